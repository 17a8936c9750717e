/** Factory for detectors of credentials with a recognisable prefix (most of them). */
import { isPlaceholderBody, findAll } from './util.js';
import type { Detector, Match, ScanOptions } from './types.js';

export interface TokenSpec extends Omit<Detector, 'find'> {
  /** Global regex; must start with a lookbehind on the token alphabet (linear time). */
  pattern: RegExp | RegExp[];
  /** Capture group holding the value (default 0: the whole match). */
  group?: number;
  /** Length of the fixed prefix excluded from the placeholder check (default: up to the first _ - . or ~). */
  prefix?: (value: string) => number;
  /** Placeholder test of the body (default isPlaceholderBody). */
  placeholder?: (body: string) => boolean;
  /** Extra validation of the value; default: the body is not a placeholder. */
  accept?: (value: string, body: string) => boolean;
}

const defaultPrefix = (v: string): number => {
  const m = /^[A-Za-z0-9]{1,12}[_.~-]/.exec(v);
  return m ? m[0].length : 0;
};

export function tokenDetector(spec: TokenSpec): Detector {
  const patterns = Array.isArray(spec.pattern) ? spec.pattern : [spec.pattern];
  const prefix = spec.prefix ?? defaultPrefix;
  const { pattern: _p, group: _g, prefix: _x, accept: _a, placeholder: _h, ...rest } = spec;
  void _p; void _g; void _x; void _a; void _h;
  const placeholder = spec.placeholder ?? isPlaceholderBody;
  return {
    ...rest,
    find(window: string, _opts: ScanOptions): Match[] {
      const out: Match[] = [];
      for (const re of patterns) {
        out.push(
          ...findAll(
            window,
            re,
            (value) => {
              const body = value.slice(prefix(value));
              if (placeholder(body)) return false;
              return spec.accept ? spec.accept(value, body) : true;
            },
            spec.group ?? 0,
          ),
        );
      }
      return out;
    },
  };
}
