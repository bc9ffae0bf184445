/**
 * Optional artificial latency for the fake interfaces, two ways:
 *  - settings `fake_<kind>_delay` (Ironic's [fake] <kind>_delay): seconds ("2"), or "1,5" for a random delay
 *    between the two, weighted towards the first (triangular, as in Ironic) — every node;
 *  - driver_info `fake_<kind>_sleep` (Anvil, per node): seconds ("2") or a range "1-3" (uniform); wins when set.
 * Lets tests, benchmarks and demos see slow hardware without real hardware.
 */
import type { Task } from '@anvil/sdk';

export type Delay = (task: Task) => Promise<void>;

export const noDelay: Delay = async () => {};

/** Parse Ironic's delay setting into [low, high] seconds; null when unset or invalid. */
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

/** driver_info fake_<kind>_sleep: "2" or "1-3" (uniform); 0 when unset or invalid. */
export function sleepSeconds(setting: unknown, u = Math.random()): number {
  if (setting === undefined || setting === null || setting === '') return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(String(setting));
  if (!m) return 0;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return hi > lo ? lo + u * (hi - lo) : lo;
}

const wait = (s: number) => (s > 0 ? new Promise<void>((r) => setTimeout(r, s * 1000)) : Promise.resolve());

export function fakeDelay(settings: Readonly<Record<string, unknown>>, kind: string): Delay {
  const range = parseDelay(settings[`fake_${kind}_delay`]);
  return (task: Task) => {
    const perNode = task?.node?.driver_info?.[`fake_${kind}_sleep`];
    if (perNode !== undefined && perNode !== null && perNode !== '') return wait(sleepSeconds(perNode));
    return range ? wait(drawSeconds(range)) : Promise.resolve();
  };
}

/** driver_info documentation of the per-node sleep (GET /v1/drivers/{name}/properties). */
export const sleepProperty = (kind: string): Record<string, string> => ({
  [`fake_${kind}_sleep`]: `Seconds to sleep in each fake ${kind} call, or a range "min-max". Optional.`,
});
