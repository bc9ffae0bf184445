/**
 * Optional artificial latency, like Ironic's [fake] <kind>_delay options: settings `fake_<kind>_delay` =
 * seconds ("2") or two comma-separated values ("1,5") for a random delay between them, weighted towards the
 * first (triangular, as in Ironic). Lets tests and demos see slow hardware without real hardware.
 */
export type Delay = () => Promise<void>;

export const noDelay: Delay = async () => {};

/** Parse a delay setting into [low, high] seconds; null when unset or invalid. */
export function parseDelay(setting: unknown): [number, number] | null {
  if (setting === undefined || setting === null || setting === '') return null;
  const parts = String(setting)
    .split(',')
    .map((s) => Number(s.trim()));
  if (parts.length > 2 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const [lo, hi = lo] = parts;
  return hi > lo ? [lo, hi] : [lo, lo];
}

/** Seconds to wait for one call: a triangular draw with its mode at the low end. */
export function drawSeconds([lo, hi]: [number, number], u = Math.random()): number {
  return hi === lo ? lo : hi - (hi - lo) * Math.sqrt(1 - u);
}

export function fakeDelay(settings: Readonly<Record<string, unknown>>, kind: string): Delay {
  const range = parseDelay(settings[`fake_${kind}_delay`]);
  if (!range || range[1] === 0) return noDelay;
  return () => new Promise((r) => setTimeout(r, drawSeconds(range) * 1000));
}
