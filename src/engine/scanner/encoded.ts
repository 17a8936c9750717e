/**
 * Base64 and hex runs that decode to text: the scanner scans the decoded text too (index.ts), so a token or an endpoint
 * wrapped in base64 (`Z2hwX1I3…`) or hex (`6768705f…`) is reported under its own rule. Bounded: runs of 16 to 4096
 * characters, and only runs whose decoded bytes are printable text (random bytes, hashes and ids decode to binary).
 */
const MIN_RUN = 16;
const MAX_RUN = 4096;
/** Base64 (standard and URL-safe) and hex characters: a run of them is a candidate. */
const RUN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') RUN_CHAR[c.charCodeAt(0)] = 1;
const HEX = /^[0-9A-Fa-f]+$/;

export interface EncodedCandidate {
  /** Offset of the run in the text. */
  index: number;
  /** The run as written. */
  value: string;
  /** Its decoded text. */
  decoded: string;
  form: 'base64' | 'hex';
}

/** At least 12 bytes, all printable ASCII or tab/CR/LF, but for at most one in 32 (text, not random bytes). */
function printable(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  let bad = 0;
  const allowed = bytes.length >> 5;
  for (const b of bytes) {
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) continue;
    if (++bad > allowed) return false;
  }
  return true;
}

const isRunChar = (c: number): boolean => c < 128 && RUN_CHAR[c] === 1;

function decodeRun(run: string): { decoded: string; form: EncodedCandidate['form'] } | undefined {
  if (HEX.test(run)) {
    if (run.length < 24 || run.length % 2 !== 0) return undefined;
    const bytes = Buffer.from(run, 'hex');
    return printable(bytes) ? { decoded: bytes.toString('latin1'), form: 'hex' } : undefined;
  }
  const body = run.replace(/=+$/, '');
  // Base64 of text has upper and lower case letters; one alphabet only (`+/` standard or `-_` URL-safe).
  if (body.length % 4 === 1 || !/[A-Z]/.test(body) || !/[a-z]/.test(body) || (/[+/]/.test(body) && /[-_]/.test(body))) return undefined;
  const bytes = Buffer.from(body, /[-_]/.test(body) ? 'base64url' : 'base64');
  return printable(bytes) ? { decoded: bytes.toString('latin1'), form: 'base64' } : undefined;
}

/** The base64 and hex runs of a text that decode to printable text. */
export function encodedCandidates(text: string): EncodedCandidate[] {
  const out: EncodedCandidate[] = [];
  // A run repeated (a log line logged many times) is decoded once.
  const seen = new Map<string, ReturnType<typeof decodeRun>>();
  // A plain loop over the characters (one table lookup each): a regex with boundaries costs more per position, and this
  // runs over every byte scanned.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!isRunChar(text.charCodeAt(i))) continue;
    let j = i + 1;
    while (j < n && isRunChar(text.charCodeAt(j))) j++;
    let end = j;
    while (end < n && end - j < 2 && text.charCodeAt(end) === 61) end++; // `=` padding
    if (end < n && (isRunChar(text.charCodeAt(end)) || text.charCodeAt(end) === 61)) end = j; // `run=more`: no padding
    if (j - i >= MIN_RUN && j - i <= MAX_RUN) {
      const run = text.slice(i, end);
      let d = seen.get(run);
      if (d === undefined && !seen.has(run)) {
        d = decodeRun(run);
        if (seen.size < 4096) seen.set(run, d);
      }
      if (d) out.push({ index: i, value: run, ...d });
    }
    i = j - 1; // `=` after a run (`key=Z2hw…`) may start no run, but what follows it may
  }
  return out;
}
