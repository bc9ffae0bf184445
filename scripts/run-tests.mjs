#!/usr/bin/env node
// Finds every *.test.ts in the workspace packages and runs them with node's test runner (tsx loader).
// Usage: node scripts/run-tests.mjs [--unit] [path-substring ...]
//   --unit  only tests beside package code (not test/); the MariaDB/Kafka/peer ones among them still need their
//           services (scripts/services/*.sh env exported) and fail naming what is missing.
// Prints a spec report (the JSON log lines of passing test files held back, ANVIL_TEST_LOGS=all: every line;
// scripts/test-reporter.mjs), the slowest test files (ANVIL_TEST_SLOWEST, default 15; all in .tmp/test-durations.tsv),
// then one closing line "N passed, N failed[, N cancelled], N skipped"; exits non-zero on a failure and on
// any skipped (or todo) test.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
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
// Each file's wall time (scripts/test-durations.mjs) goes to a file; the slowest are printed at the end.
mkdirSync(join(root, '.tmp'), { recursive: true });
const durationsFile = join(root, '.tmp', `test-durations.${process.pid}.tsv`); // runs at once do not mix
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
    // spec, with the JSON log lines of passing test files held back (printed after a failure): scripts/test-reporter.mjs
    `--test-reporter=${process.env.ANVIL_TEST_LOGS === 'all' ? 'spec' : join(root, 'scripts/test-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'test-durations.mjs')}`,
    `--test-reporter-destination=${durationsFile}`,
    ...files,
  ],
  { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] },
);
let tail = '';
let partial = '';
// A skipped test or suite is a line "﹣ name (time) # reason" (a skipped suite is not in "ℹ skipped": its tests
// never start), so they are collected from the stream.
const skippedLines = [];
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-500000);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const l of lines) if (/^\s*\uFE63 /.test(l)) skippedLines.push(l.trim());
});
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
if (/^\s*\uFE63 /.test(partial)) skippedLines.push(partial.trim());
let durations = '';
try {
  durations = readFileSync(durationsFile, 'utf8');
  renameSync(durationsFile, join(root, '.tmp', 'test-durations.tsv'));
} catch {
  // the test process ended before writing any
}
const slowest = durations
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .sort((a, b) => Number(b[0]) - Number(a[0]))
  .slice(0, Number(process.env.ANVIL_TEST_SLOWEST ?? '15'));
if (slowest.length > 1) {
  console.log(`slowest test files (wall time of each file's process, ${files.length} files at concurrency ${process.env.ANVIL_TEST_CONCURRENCY ?? '2'}):`);
  for (const [ms, file] of slowest) console.log(`  ${(Number(ms) / 1000).toFixed(1).padStart(7)} s  ${relative(root, file)}`);
}
const num = (k) => Number(new RegExp(`^ℹ ${k} (\\d+)`, 'm').exec(tail)?.[1] ?? 0);
const todo = num('todo');
const cancelled = num('cancelled');
// a suite whose hook failed cancels its tests: they count neither as passed nor failed, so they are named here
console.log(`tests: ${num('pass')} passed, ${num('fail')} failed, ${cancelled ? `${cancelled} cancelled, ` : ''}${skippedLines.length} skipped${todo ? `, ${todo} todo` : ''}${status ? ` (exit ${status})` : ''}`);
// No silent skips: a missing prerequisite must fail its test; any skip (or todo) fails the run.
if (skippedLines.length || todo) {
  for (const l of skippedLines) console.log(`skipped: ${l}`);
  console.log('run-tests: skipped or todo tests fail the run (start the missing services: scripts/services/*.sh)');
}
process.exit(status || (skippedLines.length || todo ? 1 : 0));
