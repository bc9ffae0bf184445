/**
 * Deploy templates in use: a deployment whose instance traits name a template gets the template's steps (Ironic's
 * deploy templates); a template step the driver does not support refuses the deployment with Ironic's message.
 * Real API + real conductor (fake-hardware) on SQLite.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startWorld, type World } from './fixture.ts';

let w: World;
before(async () => {
  w = await startWorld(testEngines()[0]);
});
after(() => w?.close());

async function deployable(name: string, traits: string[]) {
  const n = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name });
  await w.c.db.nodes.update(n.uuid, { provision_state: 'available', power_state: 'power off' });
  // instance traits must also be node traits (Ironic's validate_instance_info_traits)
  await w.ok('PUT', `/v1/nodes/${n.uuid}/traits`, { traits });
  await w.ok('PATCH', `/v1/nodes/${n.uuid}`, [{ op: 'add', path: '/instance_info', value: { image_source: 'http://127.0.0.1/img', traits } }]);
  return n.uuid as string;
}

test('a template step the driver does not support refuses the deployment', async () => {
  await w.ok('POST', '/v1/deploy_templates', { name: 'CUSTOM_DT_RAID', steps: [{ interface: 'raid', step: 'create_configuration', args: {}, priority: 90 }] });
  const u = await deployable('dt-raid', ['CUSTOM_DT_RAID']);
  const r = await w.call('PUT', `/v1/nodes/${u}/states/provision`, { target: 'active' });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(String(r.error), /^Validation of deploy steps from deploy templates matching this node's instance traits failed\. Matching deploy templates: CUSTOM_DT_RAID\. Errors: /);
  assert.equal((await w.ok('GET', `/v1/nodes/${u}`)).provision_state, 'available');
});

test('a supported template step joins the deploy plan before deploy.deploy; the deployment completes', async () => {
  await w.ok('POST', '/v1/deploy_templates', {
    name: 'CUSTOM_DT_BIOS',
    steps: [{ interface: 'bios', step: 'apply_configuration', args: { settings: [{ name: 'hyperthreading', value: 'Disabled' }] }, priority: 150 }],
  });
  const u = await deployable('dt-bios', ['CUSTOM_DT_BIOS', 'CUSTOM_NO_TEMPLATE']);
  // fake deploy sleeps 0.5 s in its deploy step, so the stored plan can be read while deploy.deploy runs
  await w.ok('PATCH', `/v1/nodes/${u}`, [{ op: 'add', path: '/driver_info/fake_deploy_sleep', value: '0.5' }]);
  const r = await w.call('PUT', `/v1/nodes/${u}/states/provision`, { target: 'active' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const during = await w.c.waitFor(u, (n) => (n.deploy_step as { step?: string }).step === 'deploy');
  const plan = (during.driver_internal_info.deploy_steps as { interface: string; step: string; args: unknown; priority: number }[]).map((s) => [
    `${s.interface}.${s.step}`,
    s.priority,
  ]);
  assert.deepEqual(plan, [['bios.apply_configuration', 150], ['deploy.deploy', 100]]);
  const done = await w.c.waitFor(u, (n) => n.provision_state === 'active' && n.reservation === null);
  assert.deepEqual(done.deploy_step, {});
});
