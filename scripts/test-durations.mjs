// A node:test reporter for scripts/run-tests.mjs: one line "<ms>\t<file>" per test file as it completes (the file's
// whole run in its own process, hooks included), so the run can name where the time goes.
export default async function* durations(source) {
  for await (const event of source) {
    const d = event.data;
    if (event.type === 'test:complete' && d?.nesting === 0 && d.file && d.name === d.file) {
      yield `${Math.round(d.details?.duration_ms ?? 0)}\t${d.file}\n`;
    }
  }
}
