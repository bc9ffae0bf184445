/**
 * The agent's certificate (heartbeat agent_verify_ca) through the RPC facade → conductor on SQLite: written to
 * <agent_certificates_path>/<uuid>.crt, the path kept in driver_internal_info.agent_verify_ca; the same
 * certificate again is accepted, a different one refused with Ironic's 400; a power off forgets it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnvilError } from '@anvil/sdk';
import { testEngines } from '@anvil/db/testing';
import { startTestConductor } from '../testing.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUanvil\n-----END CERTIFICATE-----\n';

test('agent_verify_ca is stored as a certificate file whose path the node keeps', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-certs-'));
  const tdb = await testEngines()[0].open();
  const c = await startTestConductor(tdb.db, { agent_certificates_path: join(dir, 'certs') } as never);
  t.after(async () => {
    await c.stop();
    await tdb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const n = await c.createNode({ provision_state: 'deploying', power_state: 'power on', driver_internal_info: { agent_secret_token: 'tok' } });
  const route = { uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group };
  const hb = (ca: string | null) => c.rpcapi.heartbeat(route, { callback_url: 'http://127.0.0.1:9999', agent_token: 'tok', agent_version: '9.4.1', agent_verify_ca: ca });

  await hb(PEM);
  const file = join(dir, 'certs', `${n.uuid}.crt`);
  assert.equal((await c.db.nodes.getByUuid(n.uuid)).driver_internal_info.agent_verify_ca, file);
  assert.equal(readFileSync(file, 'utf8'), PEM);

  await hb(`${PEM}\n`); // the same certificate (whitespace aside) is fine
  await assert.rejects(hb(PEM.replace('anvil', 'other')), (err) => {
    assert.ok(AnvilError.is(err) && err.status === 400);
    assert.equal(err.message, 'Detected change in ramdisk provided "agent_verify_ca"');
    return true;
  });

  await c.rpcapi.changeNodePowerState(route, 'power off');
  const off = await c.waitFor(n.uuid, (x) => x.power_state === 'power off' && x.reservation === null);
  assert.equal(off.driver_internal_info.agent_verify_ca, undefined, 'a power off forgets the certificate (regenerated per ramdisk run)');
});
