/**
 * Optional artificial latency, like Ironic's fake driver: driver_info `fake_<kind>_sleep` = seconds ("2") or
 * a range ("1-3", picked at random). Lets tests and demos see slow hardware without real hardware.
 */
import type { Task } from '@anvil/sdk';

export function sleepSeconds(setting: unknown): number {
  if (setting === undefined || setting === null || setting === '') return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(String(setting));
  if (!m) return 0;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return hi > lo ? lo + Math.random() * (hi - lo) : lo;
}

export async function fakeSleep(task: Task, kind: string): Promise<void> {
  const s = sleepSeconds(task.node.driver_info[`fake_${kind}_sleep`]);
  if (s > 0) await new Promise((r) => setTimeout(r, s * 1000));
}

export const sleepProperty = (kind: string) => ({
  [`fake_${kind}_sleep`]: `Seconds to sleep in each ${kind} call, or a range "min-max". Optional.`,
});
