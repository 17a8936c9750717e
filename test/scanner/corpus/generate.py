# Regenerates corpus.jsonl (deterministic seed): synthetic true positives per rule and near-miss
# false positives. The values are random strings shaped like credentials, never real ones.
#   python3 test/scanner/corpus/generate.py
import base64, json, os, random, string
R = random.Random(20260601)
A = string.ascii_letters + string.digits
HEX, B32, digits, letters = '0123456789abcdef', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', string.digits, string.ascii_letters
def rnd(n, alpha=A):
    full = any(c.islower() for c in alpha) and any(c.isupper() for c in alpha) and any(c.isdigit() for c in alpha)
    while True:
        s = ''.join(R.choice(alpha) for _ in range(n))
        if not full or (any(c.islower() for c in s) and any(c.isupper() for c in s) and any(c.isdigit() for c in s)):
            return s
recs = []
def tp(rule, texts): recs.extend({'rule': rule, 'kind': 'tp', 'text': t} for t in texts)
def fp(rule, texts): recs.extend({'rule': rule, 'kind': 'fp', 'text': t} for t in texts)
ctx = ['{v}', 'KEY={v}', 'value: "{v}"', 'export X={v}', '  "k": "{v}",', '| cell | {v} |', 'logged {v} at 12:00', '`{v}`']
def ctxs(vals): return [ctx[i % len(ctx)].format(v=v) for i, v in enumerate(vals)]
def b64u(s): return base64.urlsafe_b64encode(s.encode()).decode().rstrip('=')
def pem(kind, n): return f'-----BEGIN {kind}-----\n' + '\n'.join(rnd(64, A + '+/') for _ in range(n)) + f'\n-----END {kind}-----'
def jwt(): return b64u('{"alg":"HS256","typ":"JWT"}') + '.' + b64u('{"sub":"' + rnd(10) + '","iat":' + rnd(10, digits) + '}') + '.' + rnd(43, A + '-_')
def uuid(): return rnd(8, HEX) + '-' + rnd(4, HEX) + '-4' + rnd(3, HEX) + '-a' + rnd(3, HEX) + '-' + rnd(12, HEX)

tp('secret/openai', ctxs(['sk-proj-' + rnd(60) + 'T3BlbkFJ' + rnd(60) for _ in range(3)] + ['sk-svcacct-' + rnd(58) + 'T3BlbkFJ' + rnd(58) for _ in range(2)] + ['sk-admin-' + rnd(40) + 'T3BlbkFJ' + rnd(40) for _ in range(2)] + ['sk-' + rnd(20) + 'T3BlbkFJ' + rnd(20) for _ in range(2)] + ['sk-' + rnd(48)]))
fp('secret/openai', ['OPENAI_API_KEY=sk-...', 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'key prefix is sk-proj-', 'sk-openai-123456', 'disk-usage-report-for-all-volumes-weekly', 'OPENAI_API_KEY=$OPENAI_API_KEY', 'OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}', 'ask-the-user-for-confirmation-before-deleting-anything'])
tp('secret/anthropic', ctxs(['sk-ant-api03-' + rnd(93, A + '-_') + 'AA' for _ in range(6)] + ['sk-ant-admin01-' + rnd(93, A + '-_') + 'AA' for _ in range(2)]))
fp('secret/anthropic', ['sk-ant-api03-...', 'ANTHROPIC_API_KEY=<your-key>', 'sk-ant-api03-' + rnd(40) + 'AA', 'sk-ant-api03-' + rnd(93) + 'BB', 'use an sk-ant- key', 'ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}', 'sk-ant-api03-' + 'x' * 93 + 'AA', 'sk-ant-api02-notarealkey'])
tp('secret/github', ctxs([p + rnd(36) for p in ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'ghp_']] + ['github_pat_11' + rnd(20) + '_' + rnd(59) for _ in range(2)] + ['ghs_123456_' + rnd(40)]))
fp('secret/github', ['ghp_' + 'x' * 36, 'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}', 'tokens start with ghp_ or github_pat_', 'gho_' + 'a' * 36, 'xghp_' + rnd(36), 'ghp_' + rnd(20), 'github_pat_<redacted>', 'github_pat_' + 'x' * 22 + '_' + 'x' * 59])
tp('secret/aws', ctxs(['AKIA' + rnd(16, B32) for _ in range(4)] + ['ASIA' + rnd(16, B32) for _ in range(2)]) + ['aws_secret_access_key = ' + rnd(40, A + '/+') for _ in range(2)] + ['AWS_SECRET_ACCESS_KEY: "' + rnd(40, A + '/+') + '"'])
fp('secret/aws', ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIAXXXXXXXXXXXXXXXX', 'TODAYINASIAASACKOFRICEFELLOVER', 'AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'region: asia-pacific', 'AKIA' + rnd(10, B32), 'aws_secret_access_key = <secret>'])
tp('secret/google', ctxs(['AIzaSy' + rnd(33, A + '-_') for _ in range(8)]))
fp('secret/google', ['AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'apiKey: "AIza' + 'a' * 35 + '"', 'AIZASY' + rnd(33).upper(), 'AIzaSy' + rnd(20), 'the key starts with AIzaSy', 'AIzaSy' + 'X' * 33, 'xAIzaSy' + rnd(33), 'GOOGLE_API_KEY=${GOOGLE_API_KEY}'])
tp('secret/slack', ctxs(['xoxb-' + rnd(12, digits) + '-' + rnd(13, digits) + '-' + rnd(24) for _ in range(3)] + ['xoxp-' + rnd(11, digits) + '-' + rnd(11, digits) + '-' + rnd(12, digits) + '-' + rnd(32, HEX) for _ in range(2)] + ['https://hooks.slack.com/services/T' + rnd(8, B32) + '/B' + rnd(8, B32) + '/' + rnd(24) for _ in range(2)] + ['xapp-1-A' + rnd(10, B32) + '-' + rnd(13, digits) + '-' + rnd(64, HEX)] + ['xoxs-' + rnd(10, digits) + '-' + rnd(10, digits) + '-' + rnd(10, digits) + '-' + rnd(10, HEX)]))
fp('secret/slack', ['xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx', 'xoxb-12345-abcd234', 'xoxb-xoxb-my-bot-token', 'https://hooks.slack.com/services/TXXXXX/BXXXXX/XXXXXXXXXX', 'SLACK_BOT_TOKEN=xoxb-...', 'xoxo gossip girl', 'https://api.slack.com/web', 'XOXB-NOT-A-TOKEN'])
tp('secret/huggingface', ctxs(['hf_' + rnd(34, letters) for _ in range(6)] + ['api_org_' + rnd(34, letters) for _ in range(2)]))
fp('secret/huggingface', ['hf_' + 'x' * 34, 'hf_abc', 'HF_TOKEN=$HF_TOKEN', '(id)hf_requiredCharacteristicTypesForDisplayMetadata', 'rhf_' + rnd(34, letters), 'hf_' + rnd(34, string.ascii_lowercase), 'api_org_controller', 'hf_' + rnd(20, letters)])
tp('secret/npm', ctxs(['npm_' + rnd(36) for _ in range(8)]))
fp('secret/npm', ['npm_config_registry=https://registry.npmjs.org', 'npm_' + 'x' * 36, 'NPM_TOKEN=${{ secrets.NPM_TOKEN }}', 'npm_' + rnd(20), 'npm_package_version', 'run npm_lifecycle_event', 'npm_' + 'A' * 36, 'npm_<token>'])
tp('secret/stripe', ctxs([p + rnd(n) for p, n in [('sk_live_', 24), ('sk_live_', 99), ('rk_live_', 24), ('sk_test_', 24), ('sk_test_', 99), ('rk_test_', 30), ('sk_prod_', 40), ('rk_prod_', 40)]]))
fp('secret/stripe', ['pk_live_' + rnd(24), 'pk_test_' + rnd(24), 'sk_live_short', 'xsk_live_' + rnd(24), 'sk_test_' + 'X' * 24, 'STRIPE_KEY=sk_live_...', 'SKILLS_inventory', 'https://docs.stripe.com/keys'])
tp('secret/private-key', [pem('RSA PRIVATE KEY', 4), pem('PRIVATE KEY', 3), pem('EC PRIVATE KEY', 2), pem('OPENSSH PRIVATE KEY', 3), pem('PGP PRIVATE KEY BLOCK', 3), pem('ENCRYPTED PRIVATE KEY', 3), pem('DSA PRIVATE KEY', 2), '{"private_key": "' + pem('PRIVATE KEY', 2).replace('\n', '\\n') + '"}'])
fp('secret/private-key', ['-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----\nxxx\n-----END PRIVATE KEY-----', pem('PUBLIC KEY', 3), pem('CERTIFICATE', 3), 'never commit a private key', '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----', '"private_key": "-----BEGIN PRIVATE KEY-----\\n<redacted>\\n-----END PRIVATE KEY-----\\n"', '-----BEGIN PRIVATE KEY-----\n***\n-----END PRIVATE KEY-----'])
tp('secret/jwt', ctxs([jwt() for _ in range(8)]))
fp('secret/jwt', ['eyJxxxxxxxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxxxxxxxx.xxxxxxxx', 'the token starts with eyJ', b64u('{"alg":"HS256"}') + ' is a header only', 'JWT=<jwt>', 'jwt: ${{ secrets.JWT }}', 'eyJ.eyJ.sig', 'keyJ.notjwt', 'id_token=$ID_TOKEN'])
tp('secret/url-credentials', ['DATABASE_URL=postgres://app:' + rnd(14) + '@db.internal.corp:5432/prod', 'mongodb+srv://svc:' + rnd(12) + '@cluster0.mongodb.net/test', 'https://deploy:' + rnd(16) + '@git.corp.io/r.git', 'amqp://worker:' + rnd(12) + '@rabbit:5672/', 'redis://default:' + rnd(20) + '@cache.corp:6379', 'ftp://upload:' + rnd(10) + '!x@files.corp.net/in', 'jdbc:mysql://admin:' + rnd(12) + '@db.corp:3306/app', '"url": "https://bot:' + rnd(12) + '@hooks.corp.io/x"'])
fp('secret/url-credentials', ['https://user@github.com/o/r', 'https://${USER}:${PASS}@api.corp.io', 'redis://default:****@cache:6379', 'https://username:password@host.io', 'mysql://mysql:mysql@localhost:3306/db', 'https://{{user}}:{{pass}}@host.io', 'postgres://$(PGUSER):$(PGPASSWORD)@$(PGHOST)/db', 'https://user:abc@api.com/v1'])
tp('secret/basic-auth', ['curl -u elastic:' + rnd(12) + ' https://localhost:9200', "curl --user 'ops:" + rnd(14) + "' $URL", 'curl -s --user api:' + rnd(10) + '!t https://api.mailgun.net/v3', 'curl -k -X POST https://svc/rest \\\n  -u developer:' + rnd(16), 'curl -u ":' + rnd(12) + '" https://localhost:9200', 'curl --user kevin:\'' + rnd(16) + "' -X PATCH", 'curl -u "{' + uuid() + '}":"{' + rnd(14) + '}" https://api', 'wget --user deploy:' + rnd(12) + ' https://files'])
fp('secret/basic-auth', ['curl -u "$USER:$PASS" https://x', 'curl --user neo4j:[PASSWORD] http://[IP]:7474/', "curl -i -u 'test:test'", 'curl -u "${{ env.ID }}:${{ env.PASS }}"', 'nc -u -l 41234', 'curl -u myusername http://localhost', 'curl -u username:token', 'curl --user "xxx:yyy"'])
tp('secret/bearer', ['curl -H "Authorization: Bearer ' + rnd(32, HEX) + '" https://api', 'Authorization: Basic ' + base64.b64encode(('svc:' + rnd(12)).encode()).decode(), '"Authorization": "Token ' + rnd(40, HEX) + '"', 'authorization: Bearer ' + rnd(40, A + '._-'), "headers = {'Authorization': 'Bearer " + rnd(36) + "'}", 'Authorization: ' + uuid(), '-H "Authorization: Api-Token ' + rnd(40, HEX) + '"', 'Bearer ' + rnd(40)])
fp('secret/bearer', ['-H "Authorization: Bearer $API_KEY"', '-H "Authorization: Bearer <token>"', 'Authorization: Basic ...', 'Authorization: Token **********', 'the bearer token is read from the environment', 'Authorization: Bearer ' + 'X' * 12, 'Authorization: Bearer ${{ secrets.TOKEN }}', 'Authorization: Bearer $(gcloud auth print-access-token)'])
tp('secret/key-name', ['api_key: ' + rnd(32), '"client_secret": "' + rnd(40, HEX) + '"', 'export DB_PASSWORD=' + rnd(12) + '&x', 'Token: ' + rnd(16, HEX), 'config.set("api_token", "' + uuid() + '")', 'password = "' + rnd(14) + '"', 'accessToken: ' + rnd(30), 'SERVICE_ACCOUNT_KEY=' + rnd(40)])
fp('secret/key-name', ['max_tokens: 4096', 'token_count = 12817', '- `credential_source_class`: `pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`', 'password_policy: strict-rotation-every-90-days', 'secret_scan: enabled', 'api_key: ${{ secrets.OPENAI_API_KEY }}', 'token = process.env.GITHUB_TOKEN', 'public_key = "' + rnd(43) + '"', 'password: changeme', 'api_key: <your-key>', 'csrf-token=' + rnd(60), 'access_token_url=https://github.com/login/oauth/access_token', 'secretSize must be >= XXH3_SECRET_SIZE_MIN', 'key_length = XSalsa20.key_length', 'LLM_SECRET_NAME = "NEXUS-GPT4-API-KEY"', 'token: REDACTED', 'password: "********"', 'TokenFile="RTL_INST_CODE.cer"'])
tp('secret/high-entropy', ['export SPARK_SESSION=' + rnd(32), 'setting = "' + rnd(24) + '"', 'loki_key: ' + rnd(60), '"blob": "' + rnd(40, A + '+/') + '=="', 'opaque: ' + rnd(28), 'SIGNED_COOKIE_X=' + rnd(30), "seed := '" + rnd(26) + "'", 'cfg.k = ' + rnd(40)])
fp('secret/high-entropy', ['SRCREV_moby = "43fc912ef59a83054ea7f6706df4d53a7dea4d80"', 'request = 3b241101-e2bb-4255-8caf-4136c566a962', 'ANY_KEY = ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==', 'allowed_network_class: local-tailscale-vllm-spark1-plus-codex-oauth-fallback', 'commit = 5db23c7a9e1f0b2c4d6e8f0a1b2c3d4e5f6a7b8c', 'artifact: /home/svrnty/.hermes/profiles/cto-planb/harness-runs/20260531T235421Z-r1-string-slugify-1875638', 'sha256: ' + rnd(64, HEX), 'integrity: "sha512-' + rnd(86, A + '+/') + '=="', 'KeyPair = X25519.KeyPairGeneratorFactory', 'version = rc0.15.0_20231217_1420-SNAPSHOT', 'image: ghcr.io/org/some-service-name:2024.06.01-build.17', 'class: BlindKeySignaturesVerificationProvider'])
tp('endpoint/exposed', ['CTO_HARNESS_CASE_LOCAL_BASE_URL=http://spark-1.tail4f2a9.ts.net:8000/v1', '"CTO_HARNESS_CASE_LOCAL_BASE_URL": "https://models.corp.internal/v1"', 'export CTO_HARNESS_CASE_LOCAL_BASE_URL=http://100.101.7.33:8000/v1', 'backend log: connecting to http://192.168.1.40:8000/v1/chat/completions', 'base_url: http://10.4.0.12:11434', 'upstream spark2.tailnet-abc.ts.net refused', 'CTO_HARNESS_CASE_LOCAL_BASE_URL: 172.20.3.4:8000', '{"ts":1,"event":"connect","url":"http://100.64.0.9:8000/v1"}'])
fp('endpoint/exposed', ['The required runtime variable is `CTO_HARNESS_CASE_LOCAL_BASE_URL`.', 'must set CTO_HARNESS_CASE_LOCAL_BASE_URL before running', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://127.0.0.1:8000/v1', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=<base-url>', 'CTO_HARNESS_CASE_LOCAL_BASE_URL: ${{ secrets.LOCAL_BASE_URL }}', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=$LOCAL_URL', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=https://example.com/v1', 'upgraded to 10.2.3 and 172.16.4', 'allow 10.0.0.0/8 in the firewall', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://localhost:8000', 'CTO_HARNESS_CASE_LOCAL_BASE_URL=***', 'public DNS 8.8.8.8 and 100.200.1.1', 'model qwen3.6-35b-a3b and gpt-5.5', 'version 10.0.19041.1'])
# Escaped, encoded and glued forms (appended last: the records above keep their values and ids). A token right after a JSON
# escape (\n, \t, \u0022) or a URL-encoded character (%22) is a token; a key inside escaped or encoded JSON, a subscript or a
# CLI flag is a key; the endpoint variable's value in every written form is the endpoint.
def esc(o): return json.dumps(o)
def enc(s): return ''.join('%{:02X}'.format(ord(c)) if c in '{}":,/' else c for c in s)
E = 'CTO_HARNESS_CASE_LOCAL_BASE_URL'
oa, gh, ak, gg = 'sk-proj-' + rnd(60) + 'T3BlbkFJ' + rnd(60), 'ghp_' + rnd(36), 'AKIA' + rnd(16, B32), 'AIzaSy' + rnd(33, A + '-_')
tp('secret/openai', [esc({'stdout': '$ cat token.txt\n' + oa + '\n'}), 'KEY=pre-' + oa, 'body=' + enc('{"key":"' + oa + '"}')])
tp('secret/anthropic', [esc({'out': 'key\tsk-ant-api03-' + rnd(93, A + '-_') + 'AA'})])
tp('secret/github', [esc({'stdout': 'key\t' + gh + '\tactive'}), '"\\u0022' + gh + '\\u0022"', 'body=' + enc('{"key":"' + gh + '"}'), 'MY_TOKEN=_' + gh])
tp('secret/aws', [esc({'stdout': 'id\n' + ak}), esc({'out': esc({'Credentials': {'SecretAccessKey': rnd(40, A + '/+')}})}), 'q=' + enc('"' + ak + '"')])
tp('secret/google', [esc({'env': 'X=1\n' + gg})])
tp('secret/slack', [esc({'t': 'bot\txoxb-' + rnd(12, digits) + '-' + rnd(13, digits) + '-' + rnd(24)})])
tp('secret/huggingface', [esc({'t': 'login\nhf_' + rnd(34, letters)})])
tp('secret/npm', ['"\\u0022npm_' + rnd(36) + '\\u0022"'])
tp('secret/stripe', ['k=' + enc('"sk_live_' + rnd(24) + '"')])
tp('secret/jwt', [esc({'t': 'token\n' + jwt()})])
pw = rnd(16)
tp('secret/key-name', [esc({'arguments': esc({'password': pw})}), esc({'a': esc({'b': esc({'password': rnd(16)})})}), 'os.environ["OPENAI_API_KEY"] = "' + rnd(16) + '"',
    'headers["api_key"] = "' + rnd(16) + '"', 'mysql --password=' + rnd(16) + ' -h db', 'tool --api-key ' + rnd(16), 'data=' + enc('{"password":"' + rnd(16) + '"}'),
    esc({'req': esc({'headers': {'Authorization': 'Basic ' + base64.b64encode(('svc:' + rnd(12)).encode()).decode()}})})])
fp('secret/key-name', ['echo "$PW" | docker login --password-stdin --username ci', 'tool --token-file ./token.txt --password $DB_PASSWORD', esc({'out': esc({'password': 'changeme', 'max_tokens': 4096})}),
    'os.environ["OPENAI_API_KEY"] = os.getenv("KEY")', 'q=' + enc('{"max_tokens":4096,"token_count":12}')])
fp('secret/github', ['x' + gh, 'see\\nthe ghp_ prefix'])
fp('secret/aws', ['dump x' + ak + ' end'])
fp('secret/openai', [esc({'t': 'note\nask-the-user-for-confirmation-before-deleting-anything'}), 'p=%2Fdisk-usage-report-for-all-volumes-weekly'])
url = 'http://gpu.corp.io:8000/v1'
tp('endpoint/exposed', [esc({'stdout': 'PATH=/usr/bin\n' + E + '=' + url + '\nHOME=/root\n'}), esc({'out': esc({E: url})}), 'os.environ["' + E + '"] = "' + url + '"',
    'env:\n  - name: ' + E + '\n    value: ' + url, E + '=' + enc(url), esc({'stdout': 'connecting\n10.0.0.5:8000 refused'}),
    esc({'stdout': 'host\t192.168.1.20\tup'}), 'u=' + enc('http://192.168.1.40:8000/v1')])
fp('endpoint/exposed', [E + '=http://your-host:8000/v1', E + '=http://HOST:8000/v1', E + '=' + enc('http://<host>:8000/v1').replace('<', '%3C').replace('>', '%3E'), E + '=http://host:8000/v1',
    'os.environ["' + E + '"] = "https://api.example.com/v1"', 'env:\n  - name: ' + E + '\n    valueFrom:\n      secretKeyRef: {name: endpoint, key: url}', esc({'stdout': 'version\n10.2.3 installed'})])
for i, r in enumerate(recs): r['id'] = f"{r['rule'].replace('/', '-')}-{r['kind']}-{i:03d}"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus.jsonl'), 'w') as f:
    for r in recs: f.write(json.dumps({'id': r['id'], 'rule': r['rule'], 'kind': r['kind'], 'text': r['text']}) + '\n')
print(len(recs))
