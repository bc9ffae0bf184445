/** A small argv parser for the compute verbs: `--k v`, `--k=v`, repeatable flags, boolean switches, positionals. */
export interface Parsed {
  flags: Map<string, string[]>;
  positional: string[];
}

export function parseArgs(argv: string[], booleans: Set<string>): Parsed {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const put = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f') put('format', argv[++i] ?? '');
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = (eq > 0 ? a.slice(2, eq) : a.slice(2)).replace(/_/g, '-');
      if (eq > 0) put(key, a.slice(eq + 1));
      else if (booleans.has(key)) put(key, 'true');
      else {
        const v = argv[++i];
        if (v === undefined) throw new Error(`option --${key} needs a value`);
        put(key, v);
      }
    } else positional.push(a);
  }
  return { flags, positional };
}

export const one = (p: Parsed, k: string): string | undefined => p.flags.get(k)?.at(-1);
export const all = (p: Parsed, k: string): string[] => p.flags.get(k) ?? [];
export const bool = (p: Parsed, k: string): boolean => /^(1|true|yes|on)$/i.test(one(p, k) ?? 'false');

/** `k=v,k2=v2` → {k: v, k2: v2} */
export function keyValues(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
