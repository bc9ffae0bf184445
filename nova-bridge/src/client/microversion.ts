/**
 * Microversion choice, as Nova's two clients make it (pure).
 * Reads (openstacksdk): min(1.76, server max); no header when the server shows no max or its min is above 1.76.
 * Writes (ironicclient): the highest of ["1.46", "1.38"] inside [server min, server max]; none fits → unsupported.
 */
export const SDK_NODE_MAX = '1.76';
export const IC_WANTED = ['1.46', '1.38'];

export function parseVersion(v: string | null | undefined): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec((v ?? '').trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  return x[0] - y[0] || x[1] - y[1];
}

export function chooseReadVersion(min: string | null, max: string | null): string | null {
  if (!parseVersion(max)) return null;
  if (parseVersion(min) && compareVersions(min!, SDK_NODE_MAX) > 0) return null;
  return compareVersions(max!, SDK_NODE_MAX) < 0 ? max : SDK_NODE_MAX;
}

export function chooseWriteVersion(min: string | null, max: string | null): string | null {
  if (!parseVersion(max)) return null;
  const lo = parseVersion(min) ? min! : '1.1';
  for (const v of IC_WANTED) if (compareVersions(v, lo) >= 0 && compareVersions(v, max!) <= 0) return v;
  return null;
}
