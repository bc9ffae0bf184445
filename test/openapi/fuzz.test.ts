/**
 * schemathesis (PyPI, pinned by scripts/services/schemathesis.sh) fuzzes a live `anvil server` (fake-hardware,
 * in-process conductor, a fresh MariaDB database) over its own /v1/openapi.json: every operation, examples bounded per operation, checks
 * not_a_server_error (0 × 5xx) and the document ones (status code, content type, response schema and headers
 * conform). Path parameters name seeded objects (a node, its port, portgroup, chassis, ...) so requests reach the
 * handlers instead of 404s; DELETEs keep generated names so the seeds survive the run. `/v1/anvil/events` is an
 * endless SSE stream and is left out (test/nova/events-stream.test.ts covers it).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlDatabase } from '@anvil/db/testing';
import { type AnvilServer, startServer } from '../anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { seedFuzzTargets } from './seed.ts';

const st = process.env.ANVIL_SCHEMATHESIS;
failWithout(
  !st && 'ANVIL_SCHEMATHESIS is not set (bash scripts/services/schemathesis.sh start; export its env)',
  process.env.ANVIL_FUZZ_DATABASE !== 'sqlite' && !process.env.ANVIL_TEST_MYSQL_URL && 'ANVIL_TEST_MYSQL_URL is not set (bash scripts/services/mariadb.sh start; export its env)',
);

// bounded for `npm test` (~2000 cases); a longer run: ANVIL_FUZZ_EXAMPLES=50 ANVIL_FUZZ_PHASES=coverage,fuzzing
const EXAMPLES = Number(process.env.ANVIL_FUZZ_EXAMPLES ?? 12);
const PHASES = process.env.ANVIL_FUZZ_PHASES ?? 'fuzzing';
// the announced max by default; ANVIL_FUZZ_MAX_VERSION=1.115 fuzzes the 1.83+ routes as well (api_max_version)
const MAX_VERSION = process.env.ANVIL_FUZZ_MAX_VERSION;
// the server on a fresh MariaDB database (ANVIL_TEST_MYSQL_URL): it enforces column types and ranges that SQLite
// lets through, so it is where the fuzzer finds server errors; ANVIL_FUZZ_DATABASE=sqlite for the SQLite default
const MYSQL = process.env.ANVIL_FUZZ_DATABASE !== 'sqlite';
let anvil: AnvilServer;
let dir: string;
let dropDb: (() => Promise<void>) | undefined;

before(async () => {
  const settings: Record<string, string> = MAX_VERSION ? { api_max_version: MAX_VERSION } : {};
  if (MYSQL) {
    const created = await createMysqlDatabase(process.env.ANVIL_TEST_MYSQL_URL as string);
    dropDb = created.drop;
    settings.database_url = created.url;
  }
  anvil = await startServer({ env: { ANVIL_CONFIG: '' }, settings });
  dir = mkdtempSync(join(tmpdir(), 'anvil-fuzz-'));
});
after(async () => {
  await anvil?.stop();
  await dropDb?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out })); // not 'exit': the summary may still be in the pipe
  });
}

test('schemathesis: every operation, 0 server errors, 0 answers that break the document', { timeout: 600_000 }, async () => {
  const ids = await seedFuzzTargets(anvil.url);
  writeFileSync(join(dir, 'schemathesis.toml'), fuzzConfig(ids));
  const { code, out } = await run(
    st as string,
    [
      'run', `${anvil.url}/v1/openapi.json`, '--url', anvil.url,
      '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance',
      '--header', 'X-OpenStack-Ironic-API-Version: latest', // every route and field exists at latest
      '--phases', PHASES, '--max-examples', String(EXAMPLES), '--workers', '2', '--seed', '17',
      '--exclude-path', '/v1/anvil/events', '--generation-database', 'none', '--request-timeout', '20', '--no-shrink',
    ],
    dir,
  );
  const summary = out.slice(out.lastIndexOf('SUMMARY'));
  const cases = /(\d+) generated, (\d+) passed/.exec(summary);
  const took = /in ([\d.]+)s =/.exec(summary);
  console.log(`schemathesis: ${cases?.[1] ?? '?'} cases, ${took?.[1] ?? '?'} s, max version ${MAX_VERSION ?? 'announced'}, ${MYSQL ? 'MariaDB' : 'SQLite'}`);
  assert.equal(code, 0, `schemathesis found failures:\n${out.slice(-12_000)}`);
  const tested = /Tested: (\d+)/.exec(summary);
  const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
  assert.ok(tested && selected, summary);
  assert.equal(Number(tested[1]), Number(selected[1]), `every selected operation was tested:\n${summary}`);
  assert.equal(Number(selected[2]) - Number(selected[1]), 1, 'only /v1/anvil/events is left out');
  assert.match(summary, /(\d+) generated, \1 passed/, summary);
  const serverLog = anvil.output();
  assert.doesNotMatch(serverLog, /Unhandled|TypeError|ReferenceError/, 'no crash in the server log');
});

/** schemathesis.toml: the seeded names as path parameters, per resource (DELETE keeps generated ones). */
function fuzzConfig(ids: Record<string, string>): string {
  const op = (regex: string, params: Record<string, string>) =>
    `[[operations]]\ninclude-path-regex = "${regex}"\nexclude-method = "DELETE"\nparameters = { ${Object.entries(params)
      .map(([k, v]) => `"path.${k}" = "${v}"`)
      .join(', ')} }\n`;
  return [
    op('^/v1/(anvil/)?nodes/\\\\{ident\\\\}', { ident: ids.node }),
    op('^/v1/nodes/\\\\{node\\\\}', { node: ids.node, ident: ids.connector }),
    op('^/v1/nodes/\\\\{node\\\\}/volume/targets', { node: ids.node, ident: ids.target }),
    op('^/v1/heartbeat/', { ident: ids.node }),
    op('^/v1/chassis/\\\\{chassis\\\\}', { chassis: ids.chassis, ident: ids.node }),
    op('^/v1/chassis/\\\\{ident\\\\}', { ident: ids.chassis }),
    op('^/v1/ports/', { ident: ids.port }),
    op('^/v1/portgroups/\\\\{ident\\\\}', { ident: ids.portgroup }),
    op('^/v1/portgroups/\\\\{pg\\\\}', { pg: ids.portgroup }),
    op('^/v1/allocations/', { ident: ids.allocation }),
    op('^/v1/deploy_templates/', { ident: ids.template }),
    op('^/v1/volume/connectors/', { ident: ids.connector }),
    op('^/v1/volume/targets/', { ident: ids.target }),
    op('^/v1/drivers/', { name: 'fake-hardware' }),
    op('^/v1/conductors/', { hostname: ids.conductor }),
    op('^/v1/anvil/boot-trace/', { mac: ids.mac }),
  ].join('\n');
}
