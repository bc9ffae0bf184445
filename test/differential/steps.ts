/**
 * What the differential replay sends: every row of the contract table (one microversion below its boundary and at
 * it), every bad-input case, and a scripted lifecycle. A step is computed per server (paths and bodies may name
 * that server's objects) and sent to both; only the steps' answers are compared, not the requests rows make to
 * prepare themselves.
 */
import { ROWS } from '../contract/cases.ts';
import type { RowWorld } from '../contract/fixture.ts';
import { CASES, type Fixture as BadFixture } from '../bad-input/cases.ts';
import { LIFECYCLE } from './lifecycle.ts';

export interface Sent {
  method: string;
  path: string;
  body?: unknown;
  version: string | null;
}

export interface Step {
  /** `section / name @version`: the key of the deliberate-difference list */
  key: string;
  send(w: RowWorld, bad: BadFixture, state: Record<string, string>): Promise<Sent>;
  /** after the answer (both servers): wait for the node's task, undo the row's change */
  after?(w: RowWorld, state: Record<string, string>, answer: { status: number; body: any }): Promise<void>;
}

export function contractSteps(): Step[] {
  return ROWS.flatMap((row) =>
    (row.since > 1 ? [row.since - 1, row.since] : [row.since]).map(
      (minor): Step => ({
        key: `contract / ${row.method} ${row.name} @1.${minor}`,
        send: async (w) => ({ method: row.method, path: await row.path(w), body: row.body?.(w), version: `1.${minor}` }),
        after: async (w) => {
          if (row.settle) await w.settle(row.settle(w));
          if (minor === row.since) await row.after?.(w);
        },
      }),
    ),
  );
}

export function badInputSteps(): Step[] {
  return CASES.map((c) => ({
    key: `bad-input / ${c.method} ${c.name} @${c.version === undefined ? 'latest' : c.version}`,
    send: async (_w, f) => ({ method: c.method, path: c.path(f), body: c.raw ?? c.body?.(f), version: c.version === undefined ? 'latest' : c.version }),
  }));
}

export function lifecycleSteps(): Step[] {
  return LIFECYCLE.map((s) => ({
    key: `lifecycle / ${s.name}`,
    send: async (_w, _f, state) => ({ method: s.method, path: s.path(state), body: s.body?.(state), version: s.version ?? 'latest' }),
    after: async (w, state, answer) => {
      s.save?.(answer.body, state);
      if (s.settle) await w.settle(s.settle(state));
      if (s.allocation && answer.status < 300) await w.allocated(answer.body.uuid);
    },
  }));
}
