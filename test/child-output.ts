/**
 * The one way a test helper keeps a child process's output available for a failure: under node's test runner
 * (NODE_TEST_CONTEXT set) each line the child writes goes on to this test file's stderr as `‹name› line`.
 * scripts/test-reporter.mjs holds those lines back and prints the last of them only when a test of this file fails,
 * so a passing run stays quiet. Outside the runner (benchmarks, a script) nothing is forwarded. The helper's own
 * copy of the output (what tests read and assert on) is untouched: this only adds a listener.
 */
import type { ChildProcess } from 'node:child_process';

export function forwardChildOutput(child: ChildProcess, name: string): void {
  if (!process.env.NODE_TEST_CONTEXT) return;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length) process.stderr.write(lines.map((l) => `‹${name}› ${l}\n`).join(''));
    });
    stream?.on('end', () => {
      if (partial) process.stderr.write(`‹${name}› ${partial}\n`);
      partial = '';
    });
  }
}
