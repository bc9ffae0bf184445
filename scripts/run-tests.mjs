#!/usr/bin/env node
// Finds every *.test.ts in the workspace packages and runs them with node's test runner (tsx loader).
// Usage: node scripts/run-tests.mjs [--unit] [path-substring ...]
//   --unit  only tests beside package code (not test/), which need no MariaDB/Kafka.
// Prints a spec report, then one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
mkdirSync(join(root, '.tmp'), { recursive: true });
const tap = join(root, '.tmp', `tests-${process.pid}.tap`);
const res = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    `--test-timeout=${process.env.ANVIL_TEST_TIMEOUT_MS ?? '600000'}`,
    `--test-concurrency=${process.env.ANVIL_TEST_CONCURRENCY ?? '2'}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
const summary = readFileSync(tap, 'utf8');
const num = (k) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(summary)?.[1] ?? 0);
console.log(`tests: ${num('pass')} passed, ${num('fail')} failed, ${num('skipped')} skipped`);
rmSync(tap, { force: true });
process.exit(res.status ?? 1);
