// The test reporter scripts/run-tests.mjs uses: node's spec reporter, but the JSON log lines (pino: `{"level":…`)
// that test files write and the lines of the processes they start (forwarded as `‹name› …` by test/child-output.ts)
// are held back per test file. A file whose tests pass says
// nothing of them; when a test of a file fails, the last HELD lines of that file are printed right after the
// failure, and everything that file writes later passes through. Every other line (a test's own console output,
// summaries) passes through as it comes. Tests never read this output (they read their children's pipes), so
// nothing they assert on changes. ANVIL_TEST_LOGS=all: no holding back (scripts/run-tests.mjs then uses spec).
import { spec as Spec } from 'node:test/reporters';

const HELD = 200;
const isLogLine = (s) => s.startsWith('{"level":') || s.startsWith('‹');

/** per file: the held lines (the last HELD), how many were held in all, and whether a test of it failed */
function createHolder() {
  const files = new Map();
  let total = 0;
  let shown = 0;
  const of = (file) => {
    let f = files.get(file);
    if (!f) files.set(file, (f = { lines: [], held: 0, failed: false }));
    return f;
  };
  return {
    /** the events to pass on for one event */
    take(ev) {
      const file = ev.data?.file ?? '';
      if (ev.type === 'test:stdout' || ev.type === 'test:stderr') {
        const f = of(file);
        if (f.failed || !isLogLine(ev.data.message)) return [ev];
        f.lines.push(ev.data.message);
        if (f.lines.length > HELD) f.lines.shift();
        f.held++;
        total++;
        return [];
      }
      if (ev.type !== 'test:fail') return [ev];
      const f = of(file);
      if (f.failed) return [ev];
      f.failed = true;
      if (f.lines.length === 0) return [ev];
      const head = `── ${file}: the last ${f.lines.length} of ${f.held} log lines (its own and its child processes') before this failure ──\n`;
      const tail = { type: 'test:stderr', data: { file, message: head + f.lines.join('') } };
      shown += f.lines.length;
      f.lines = [];
      return [ev, tail];
    },
    summary: () => (total > shown ? `ℹ ${total - shown} log lines not shown (ANVIL_TEST_LOGS=all prints them)\n` : ''),
  };
}

/**
 * node's spec reporter (a synchronous Transform) with each event passed through the holder first. Synchronous on
 * purpose: with --test-force-exit the runner exits right after the last event, so nothing may wait for a later tick.
 * (`spec` from node:test/reporters is a factory, not a class to extend; node calls this one with `new`.)
 */
export default function quietSpec() {
  const spec = new Spec();
  const holder = createHolder();
  const transform = spec._transform.bind(spec);
  const flush = spec._flush.bind(spec);
  spec._transform = (event, encoding, callback) => {
    let out = '';
    let error = null;
    for (const e of holder.take(event)) {
      transform(e, encoding, (err, text) => {
        error ??= err ?? null;
        if (text) out += text;
      });
    }
    callback(error, out || undefined);
  };
  spec._flush = (callback) => flush((err, text) => callback(err, `${text ?? ''}${holder.summary()}`));
  return spec;
}
