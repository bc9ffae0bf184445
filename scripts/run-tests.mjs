#!/usr/bin/env node
// Finds every *.test.ts in the workspace packages and runs them with node's test runner (tsx loader).
// Usage: node scripts/run-tests.mjs [--unit] [path-substring ...]
//   --unit  only tests beside package code (not test/), which need no MariaDB/Kafka.
// Prints a spec report, then one closing line "N passed, N failed".
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));
const SKIP = new Set(['node_modules', 'dist', '.git', '.cache', 'data', '.tmp']);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}
let files = walk(root, []).sort();
if (unitOnly) files = files.filter((f) => !f.startsWith('test/'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
// The spec report is passed through to stdout and its closing "ℹ pass N / ℹ fail N" lines are read back.
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    // a file whose tests all finished exits even if a library left a handle open (kafkajs, see conductor/README.md)
    '--test-force-exit',
    `--test-timeout=${process.env.ANVIL_TEST_TIMEOUT_MS ?? '600000'}`,
    `--test-concurrency=${process.env.ANVIL_TEST_CONCURRENCY ?? '2'}`,
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] },
);
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-500000);
});
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
const num = (k) => Number(new RegExp(`^ℹ ${k} (\\d+)`, 'm').exec(tail)?.[1] ?? 0);
console.log(`tests: ${num('pass')} passed, ${num('fail')} failed, ${num('skipped')} skipped`);
process.exit(status);
