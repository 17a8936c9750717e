/**
 * Suppression needs authority (#11 part 1, and part 4's admitted pairs): only exposure findings in Markdown prose can be
 * suppressed inline; a suppression the change adds counts only with an approval; admission decisions ignore
 * suppression and read the whole tree, whatever the scope.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/check.js';
import { configSchema } from '../../src/engine/config.js';
import { admissionJson, admissionPath, decisionDoc, DECISION_PATH, EXTERNAL_DECISION, frontMatter, ISSUES_PATH, issuesDoc, localTree } from '../../src/engine/rules/fixtures.js';
import { RULES } from '../../src/engine/rules/index.js';
import { INLINE_SUPPRESSIBLE, isSuppressible, type BaselineEntry } from '../../src/engine/suppress.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { evaluateFiles, toInput, type Files } from '../helpers/tree.js';

const KEY = 'sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX';
const NOTES = '.sot/notes.md';
const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');
const CODEX = admissionPath('openai-codex', 'gpt-5.5');
const notes = (...body: string[]) => `${frontMatter({ title: 'Notes' })}\n# Notes\n\n${body.join('\n')}\n`;
/** Line of the first body line of notes(): front matter (10 lines), blank, heading, blank. */
const BODY = 14;
const brief = (fs: readonly Finding[]) => fs.map((f) => `${f.severity} ${f.file}:${f.line} ${f.ruleId}`);

const run = evaluateFiles;

/** The issue's example: an anthropic admission whose own JSON carries an allow directive on the line of its findings. */
const ANTHROPIC_DECISION = decisionDoc({
  ...EXTERNAL_DECISION,
  provider_class: '`external_anthropic`',
  provider: '`anthropic`',
  model: '`claude-sonnet-4-6`',
  credential_source_class: '`anthropic-api-key-env`',
  allowed_network_class: '`hosted`',
});
const anthropicAdmission = (directive: string) =>
  JSON.stringify({
    status: 'admitted',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    credential_source_class: 'anthropic-api-key-in-repo',
    allowed_network_class: 'hosted',
    approval_source: 'JP chat approval on 2026-05-31',
    admission_timestamp: '2026-05-31T21:50:00-04:00',
    review_trigger: `before any credential source change ${directive}`,
  }) + '\n';

describe('where a directive counts', () => {
  it('a directive inside a JSON string value is ignored and reported; the admission is not admitted', () => {
    for (const directive of ['sot-gate:allow * -- approved in chat', 'sot-gate:allow admission/stale -- approved', 'sot-gate:allow secret/* -- x']) {
      const r = run({ [DECISION_PATH]: ANTHROPIC_DECISION, [ANTHROPIC]: anthropicAdmission(directive) });
      expect(r.suppressed, directive).toEqual([]);
      expect(brief(r.findings), directive).toEqual([`error ${ANTHROPIC}:1 admission/stale`, `warning ${ANTHROPIC}:1 suppress/ignored-directive`]);
      expect(r.findings[1]!.message).toMatch(/is not in a Markdown file: it suppresses nothing/);
      expect(r.admittedPairs).toEqual([]);
    }
    // the same admission without the directive: the directive was the only difference
    expect(brief(run({ [DECISION_PATH]: ANTHROPIC_DECISION, [ANTHROPIC]: anthropicAdmission('') }).findings)).toEqual([`error ${ANTHROPIC}:1 admission/stale`]);
  });
  it('a directive in the YAML front matter is ignored and reported, the secret on its line stays active', () => {
    const doc = `---\ntitle: Notes # sot-gate:allow secret/* -- test key\nkey: ${KEY} # sot-gate:allow secret/openai -- test key\n---\n# Notes\n`;
    const r = run({ [NOTES]: doc });
    expect(r.suppressed).toEqual([]);
    expect(brief(r.findings.filter((f) => f.ruleId.startsWith('secret/') || f.ruleId.startsWith('suppress/')))).toEqual([
      `error ${NOTES}:3 secret/openai`,
      `warning ${NOTES}:2 suppress/ignored-directive`,
      `warning ${NOTES}:3 suppress/ignored-directive`,
    ]);
    expect(r.findings.find((f) => f.ruleId === 'suppress/ignored-directive')!.message).toContain('in the YAML front matter');
    expect(JSON.stringify(r)).not.toContain(KEY);
  });
  it('a Markdown directive naming a governance rule is ignored and reported', () => {
    for (const rule of ['sot/frontmatter-missing', 'sot/*', 'decision/*', 'engine/rule-error', 'suppress/unapproved', 'evidence/endpoint-value']) {
      const r = run({ '.sot/a.md': `# A <!-- sot-gate:allow ${rule} -- legacy -->\n` });
      expect(r.suppressed, rule).toEqual([]);
      expect(brief(r.findings), rule).toEqual(['error .sot/a.md:1 sot/frontmatter-missing', 'warning .sot/a.md:1 suppress/ignored-directive']);
      expect(r.findings[1]!.message).toContain(`\`sot-gate:allow ${rule}\` names a rule no directive covers`);
    }
    // `*` in prose covers the exposure rules only: the governance finding stays, and the directive is not reported
    expect(brief(run({ '.sot/a.md': '# A <!-- sot-gate:allow * -- legacy -->\n' }).findings)).toEqual(['error .sot/a.md:1 sot/frontmatter-missing']);
  });
  it('an example marker outside Markdown prose marks nothing and is reported', () => {
    const doc = `---\ntitle: Notes\nkey: ${KEY} # sot-gate:example\n---\n# Notes\n`;
    const r = run({ [NOTES]: doc });
    expect(r.suppressed).toEqual([]);
    expect(brief(r.findings.filter((f) => f.line === 3))).toEqual([`error ${NOTES}:3 secret/openai`, `warning ${NOTES}:3 suppress/ignored-directive`]);
    const json = run({ ...localTree(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ review_trigger: `x ${KEY} sot-gate:example` }) });
    expect(json.suppressed).toEqual([]);
    expect(json.findings.map((f) => f.ruleId)).toContain('suppress/ignored-directive');
    expect(json.admittedPairs).toEqual([]);
  });
});

describe('a suppression the change adds needs an approval', () => {
  const allowed = notes(`key: ${KEY} <!-- sot-gate:allow secret/openai -- revoked test key -->`);
  const plain = notes(`key: ${KEY}`);

  it('an exposure directive in Markdown prose, unchanged from the base: suppressed', () => {
    const r = run({ [NOTES]: allowed }, { base: { [NOTES]: allowed } });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([['secret/openai', BODY, { kind: 'inline', reason: 'revoked test key' }]]);
  });
  it('without a base (a push, the CLI without --base-*): the tree\'s directives count as reviewed', () => {
    expect(run({ [NOTES]: allowed }).suppressed).toHaveLength(1);
  });
  it('the same directive added by the change: suppress/unapproved, and the finding stays active', () => {
    for (const base of [{ [NOTES]: plain }, {}] as Files[]) {
      const r = run({ [NOTES]: allowed }, { base });
      expect(r.suppressed).toEqual([]);
      expect(brief(r.findings)).toEqual([`error ${NOTES}:${BODY} suppress/unapproved`, `error ${NOTES}:${BODY} secret/openai`]);
      const u = r.findings[0]!;
      expect(u.message).toContain('`sot-gate:allow secret/openai`');
      expect(u.message).toContain(`it would hide secret/openai at ${NOTES}:${BODY}`);
      expect(u.message).toContain('approves the current head');
      expect(u.message).not.toContain(KEY);
      expect(u.message).not.toContain(KEY.slice(0, 12));
      expect(r.summary.errors).toBe(2);
    }
  });
  it('with an approver: suppressed, the reason names the approver', () => {
    const r = run({ [NOTES]: allowed }, { base: { [NOTES]: plain }, approvedBy: 'jp' });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => f.suppressed)).toEqual([{ kind: 'inline', reason: 'revoked test key (added by this change; approved by @jp)' }]);
  });
  it('a directive moved onto another line, or with another reason or rule, is new; whitespace around the line is not', () => {
    const other = notes(`key: ${KEY.replace('Zq8', 'Zq9')} <!-- sot-gate:allow secret/openai -- revoked test key -->`);
    expect(run({ [NOTES]: allowed }, { base: { [NOTES]: other } }).findings.map((f) => f.ruleId)).toContain('suppress/unapproved');
    const reason = allowed.replace('revoked test key', 'another reason');
    expect(run({ [NOTES]: reason }, { base: { [NOTES]: allowed } }).findings.map((f) => f.ruleId)).toContain('suppress/unapproved');
    const family = allowed.replace('allow secret/openai', 'allow secret/*');
    expect(run({ [NOTES]: family }, { base: { [NOTES]: allowed } }).findings.map((f) => f.ruleId)).toContain('suppress/unapproved');
    const indented = allowed.replace(`key: ${KEY}`, `  key: ${KEY}`).replace('-->\n', '-->  \n');
    expect(run({ [NOTES]: indented }, { base: { [NOTES]: allowed } }).findings).toEqual([]);
    // a file renamed by the change: its directives are new there
    expect(run({ '.sot/renamed.md': allowed }, { base: { [NOTES]: allowed } }).findings.map((f) => f.ruleId)).toContain('suppress/unapproved');
  });
  it('a directive on the line above, in a Markdown comment, added by the change: reported at the directive', () => {
    const above = notes('<!-- sot-gate:allow secret/* -- revoked test key -->', `key: ${KEY}`);
    const r = run({ [NOTES]: above }, { base: { [NOTES]: notes('', `key: ${KEY}`) } });
    expect(brief(r.findings)).toEqual([`error ${NOTES}:${BODY} suppress/unapproved`, `error ${NOTES}:${BODY + 1} secret/openai`]);
    expect(r.findings[0]!.message).toContain(`it would hide secret/openai at ${NOTES}:${BODY + 1}`);
  });
  it('an example marker added by the change: suppress/unapproved until approved', () => {
    const marked = notes(`key: ${KEY} <!-- sot-gate:example -->`);
    const r = run({ [NOTES]: marked }, { base: { [NOTES]: plain } });
    expect(r.suppressed).toEqual([]);
    expect(brief(r.findings)).toEqual([`error ${NOTES}:${BODY} suppress/unapproved`, `error ${NOTES}:${BODY} secret/openai`]);
    expect(r.findings[0]!.message).toContain('the documentation-example marker');
    expect(run({ [NOTES]: marked }, { base: { [NOTES]: marked } }).suppressed.map((f) => f.suppressed?.reason)).toEqual(['documentation example (sot-gate:example)']);
    expect(run({ [NOTES]: marked }, { base: { [NOTES]: plain }, approvedBy: 'jp' }).suppressed.map((f) => f.suppressed?.reason)).toEqual([
      'documentation example (sot-gate:example) (added by this change; approved by @jp)',
    ]);
  });
  it('a baseline entry added or changed by the change: suppress/unapproved at the baseline file until approved', () => {
    const files = { [NOTES]: plain };
    const config = { secrets: { baseline: '.github/sot-gate-baseline.json' } };
    const fingerprint = run(files).findings[0]!.fingerprint!;
    const entry: BaselineEntry = { fingerprint, rule: 'secret/openai', reason: 'rotated' };
    const added = run(files, { base: files, baseline: [], headBaseline: [entry], config });
    expect(added.suppressed).toEqual([]);
    expect(brief(added.findings)).toEqual([`error .github/sot-gate-baseline.json:1 suppress/unapproved`, `error ${NOTES}:${BODY} secret/openai`]);
    expect(added.findings[0]!.message).toContain(`the baseline entry ${fingerprint.slice(0, 8)}… (secret/openai): it would hide secret/openai at ${NOTES}:${BODY}`);
    // in the base branch's baseline as it is: reviewed
    expect(run(files, { base: files, baseline: [entry], headBaseline: [entry], config }).suppressed).toHaveLength(1);
    // a changed entry (a later expiry) is a change
    const extended = run(files, { base: files, baseline: [{ ...entry, expires: '2026-12-01' }], headBaseline: [{ ...entry, expires: '2027-12-01' }], config });
    expect(extended.findings.map((f) => f.ruleId)).toEqual(['suppress/unapproved', 'secret/openai']);
    // approved
    const approved = run(files, { base: files, baseline: [], headBaseline: [entry], approvedBy: 'jp', config });
    expect(approved.findings).toEqual([]);
    expect(approved.suppressed.map((f) => f.suppressed?.reason)).toEqual(['rotated (added by this change; approved by @jp)']);
    // an added entry that hides nothing yet could hide a value added later: reported too
    const idle = run(files, { base: files, baseline: [], headBaseline: [{ ...entry, fingerprint: 'cd'.repeat(16) }], config });
    expect(brief(idle.findings)).toEqual([`error .github/sot-gate-baseline.json:1 suppress/unapproved`, `error ${NOTES}:${BODY} secret/openai`]);
    expect(idle.findings[0]!.message).toContain('hides no active finding now');
  });
});

describe('admission decisions ignore suppression and read the whole tree', () => {
  it('an admission with a suppressed error is not admitted', () => {
    const qwen = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
    const tree = { ...localTree(), [qwen]: admissionJson({ review_trigger: `rotate ${KEY}` }) };
    const fingerprint = run(tree).findings.find((f) => f.ruleId === 'secret/openai')!.fingerprint!;
    const r = run(tree, { baseline: [{ fingerprint, rule: 'secret/openai', reason: 'revoked' }] });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => [f.file, f.ruleId])).toEqual([[qwen, 'secret/openai']]);
    expect(r.admittedPairs).toEqual([]);
    // a suppressed exposure finding is no tree error; the unadmitted admission is what blocks
    expect(r.treeErrors).toEqual({ count: 0 });
    expect(run(localTree()).admittedPairs.map((p) => p.file)).toEqual([qwen]);
  });
  it('the changed-files scope changes the findings, never the admitted pairs or the tree errors', () => {
    const tree = { ...localTree(), [CODEX]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5', credential_source_class: 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback', allowed_network_class: 'local-tailscale-vllm-spark1-plus-codex-oauth-fallback' }), [ISSUES_PATH]: issuesDoc('## CTO-WORK-1\n\nStatus: open') };
    const whole = run(tree);
    expect(brief(whole.findings)).toContain(`error ${CODEX}:3 admission/implicit-fallback`);
    const scoped = run(tree, { changed: [ISSUES_PATH] });
    expect(scoped.findings.filter((f) => f.file === CODEX)).toEqual([]);
    expect(scoped.admittedPairs).toEqual(whole.admittedPairs);
    expect(scoped.admittedPairs.map((p) => p.provider)).toEqual(['qwen-local']);
    expect(scoped.treeErrors).toEqual(whole.treeErrors);
    expect(scoped.treeErrors).toEqual({ count: 1, first: { ruleId: 'admission/implicit-fallback', file: CODEX, line: 3 } });
  });
  it('suppress/unapproved is never out of scope: a baseline entry for an unchanged file still fails the change', () => {
    const files = { ...localTree(), [NOTES]: notes(`key: ${KEY}`) };
    const fingerprint = run(files).findings.find((f) => f.ruleId === 'secret/openai')!.fingerprint!;
    const r = run(files, { base: files, baseline: [], headBaseline: [{ fingerprint, rule: 'secret/openai', reason: 'x' }], changed: ['b.json'], config: { secrets: { baseline: 'b.json' } } });
    expect(brief(r.findings)).toEqual(['error b.json:1 suppress/unapproved']);
  });
});

describe('the README states who can suppress what, as the code does', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('Suppression is accountable'), readme.indexOf('## GitHub Action'));
  it('names exactly the suppressible families, and every rule family as governance', () => {
    const exposure = /\*\*Only exposure findings\*\* \(([^)]*)/.exec(section)?.[1] ?? '';
    expect([...exposure.matchAll(/`([a-z]+\/)\*`/g)].map((m) => m[1])).toEqual([...INLINE_SUPPRESSIBLE]);
    const governance = /Governance findings \(([^)]*)\)/.exec(section)?.[1] ?? '';
    const families = [...governance.matchAll(/`([a-z]+\/)\*`/g)].map((m) => m[1]!);
    const ruleFamilies = new Set([...RULES.map((r) => r.id), 'engine/rule-error', 'evidence/x'].map((id) => `${id.split('/')[0]}/`));
    expect(new Set(families)).toEqual(new Set([...ruleFamilies].filter((f) => !INLINE_SUPPRESSIBLE.includes(f as never))));
    expect(families.some((f) => isSuppressible(`${f}x`))).toBe(false);
  });
  it('lists the suppress/* rules in the rules table', () => {
    for (const r of RULES.filter((x) => x.id.startsWith('suppress/'))) expect(readme).toContain(`| \`${r.id}\` | ${r.defaultSeverity} |`);
  });
});
