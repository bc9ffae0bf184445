/**
 * Real Nova drives Anvil: Nova's own Ironic virt driver (nova.virt.ironic.driver.IronicDriver from Debian's
 * python3-nova 26, with its openstacksdk/ironicclient clients and oslo.config handling) runs the same checks
 * (test/nova/real-nova/harness.py) against `anvil server` and against Debian's real Ironic 21.4, side by side.
 * Needs scripts/services/nova.sh (ANVIL_TEST_NOVA_PYTHON) and scripts/services/real-ironic.sh
 * (NOVA_REAL_IRONIC_URL); a missing one fails the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startAnvil } from './anvil-process.ts';

const run = promisify(execFile);
const dir = new URL('./real-nova/', import.meta.url).pathname;

interface Check {
  check: string;
  ok: boolean;
  detail: string;
  seconds: number;
}

async function harness(python: string, url: string): Promise<Check[]> {
  const { stdout } = await run(python, [`${dir}harness.py`, url], { cwd: dir, timeout: 240_000, maxBuffer: 1 << 24 }).catch((e) => {
    throw new Error(`harness against ${url} did not finish: ${e.message}\n${e.stdout ?? ''}\n${String(e.stderr ?? '').slice(-3000)}`);
  });
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{"check"'))
    .map((l) => JSON.parse(l));
}

test("Nova's Ironic driver against Anvil and real Ironic", { timeout: 300_000 }, async (t) => {
  const python = process.env.ANVIL_TEST_NOVA_PYTHON;
  const ironic = process.env.NOVA_REAL_IRONIC_URL;
  assert.ok(python, 'ANVIL_TEST_NOVA_PYTHON is not set: run scripts/services/nova.sh start (installs python3-nova)');
  assert.ok(ironic, 'NOVA_REAL_IRONIC_URL is not set: run scripts/services/real-ironic.sh start');
  const anvil = await startAnvil();
  try {
    const [ours, theirs] = await Promise.all([harness(python, anvil.url), harness(python, ironic)]);
    const names = [...new Set([...theirs.map((c) => c.check), ...ours.map((c) => c.check)])];
    const mark = (c?: Check) => (c ? `${c.ok ? 'pass' : 'FAIL'} ${c.seconds.toFixed(2)}s` : 'missing');
    const rows = names.map((n) => {
      const a = ours.find((c) => c.check === n);
      const r = theirs.find((c) => c.check === n);
      return { n, a, r, line: `${n.padEnd(42)} | ${mark(a).padEnd(12)} | ${mark(r).padEnd(12)}` };
    });
    t.diagnostic(`${'Nova IronicDriver check'.padEnd(42)} | ${'Anvil'.padEnd(12)} | real Ironic 21.4`);
    for (const r of rows) t.diagnostic(r.line);
    for (const r of rows) {
      if (!r.a?.ok) t.diagnostic(`Anvil ${r.n}: ${r.a?.detail}`);
      if (!r.r?.ok) t.diagnostic(`real Ironic ${r.n}: ${r.r?.detail}`);
      if (r.a?.ok && r.r?.ok && r.a.detail.replace(/[0-9a-f-]{36}/g, 'U') !== r.r.detail.replace(/[0-9a-f-]{36}/g, 'U'))
        t.diagnostic(`${r.n} differs: Anvil "${r.a.detail}" / real Ironic "${r.r.detail}"`);
    }
    assert.ok(names.length >= 13, `${names.length} checks ran`);
    assert.deepEqual(rows.filter((r) => !r.r?.ok).map((r) => r.n), [], 'checks failing against real Ironic (the harness is wrong)');
    assert.deepEqual(rows.filter((r) => !r.a?.ok).map((r) => r.n), [], 'checks failing against Anvil');
  } catch (err) {
    t.diagnostic(anvil.output().slice(-3000));
    throw err;
  } finally {
    await anvil.stop();
  }
});
