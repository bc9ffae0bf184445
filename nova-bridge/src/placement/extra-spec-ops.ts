/**
 * Nova's extra-spec comparison operators for capability matching (pure): `=` (numeric ≥), `==`, `!=`, `>=`, `<=`,
 * `s==`, `s!=`, `s<`, `s<=`, `s>`, `s>=`, `<in>`, `<all-in>`, `<or>`; a bare value is string equality.
 */
export function matchesSpec(have: string | undefined, want: string): boolean {
  if (have === undefined) return false;
  const w = want.trim().replace(/^'(.*)'$/, '$1');
  const words = w.split(/\s+/);
  const op = words[0];
  const rest = words.slice(1).join(' ');
  const num = (s: string) => Number.parseFloat(s);
  switch (op) {
    case '=':
      return num(have) >= num(rest);
    case '==':
      return num(have) === num(rest);
    case '!=':
      return num(have) !== num(rest);
    case '>=':
      return num(have) >= num(rest);
    case '<=':
      return num(have) <= num(rest);
    case 's==':
      return have === rest;
    case 's!=':
      return have !== rest;
    case 's<':
      return have < rest;
    case 's<=':
      return have <= rest;
    case 's>':
      return have > rest;
    case 's>=':
      return have >= rest;
    case '<in>':
      return have.includes(rest);
    case '<all-in>':
      return words.slice(1).every((x) => have.split(/[\s,]+/).includes(x));
    case '<or>':
      return w
        .split('<or>')
        .map((s) => s.trim())
        .filter(Boolean)
        .includes(have);
    default:
      return have === w;
  }
}
