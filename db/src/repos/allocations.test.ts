import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DeployStep } from '@anvil/sdk';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('allocations and deploy templates', ({ db }) => {
  test('allocation CRUD with list fields; name unique', async () => {
    const a = await db.allocations.create({ name: 'alloc-1', resource_class: 'gold', traits: ['CUSTOM_X'], candidate_nodes: ['n1', 'n2'] });
    assert.equal(a.state, 'allocating');
    assert.deepEqual(a.traits, ['CUSTOM_X']);
    assert.deepEqual(a.candidate_nodes, ['n1', 'n2']);
    assert.deepEqual(a.extra, {});
    assert.equal(a.node_id, null);
    assert.deepEqual(await db.allocations.getByIdent('alloc-1'), a);
    assert.deepEqual(await db.allocations.getByIdent(a.uuid), a);
    await assert.rejects(db.allocations.create({ name: 'alloc-1' }), { code: 'DuplicateName', message: 'An allocation with name alloc-1 already exists.' });
    const e = await db.allocations.update(a.uuid, { state: 'error', last_error: 'no nodes' });
    assert.equal(e.state, 'error');
    assert.deepEqual((await db.allocations.list({ filters: { state: 'error' } })).map((x) => x.uuid), [a.uuid]);
    assert.deepEqual((await db.allocations.list({ filters: { resource_class: 'silver' } })), []);
    await db.allocations.destroy(a.uuid);
    await assert.rejects(db.allocations.getByUuid(a.uuid), { code: 'NotFound', message: `Allocation ${a.uuid} could not be found.` });
  });

  test('setting node_id associates the node; destroy dissociates it', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', instance_info: { image_source: 'img' } });
    const a = await db.allocations.create({ resource_class: 'gold', traits: ['CUSTOM_GPU'] });
    const active = await db.allocations.update(a.uuid, { node_id: n.id, state: 'active' });
    assert.equal(active.node_id, n.id);
    let node = await db.nodes.getByUuid(n.uuid);
    assert.equal(node.allocation_id, a.id);
    assert.equal(node.instance_uuid, a.uuid);
    assert.deepEqual(node.instance_info, { image_source: 'img', traits: ['CUSTOM_GPU'] });
    assert.deepEqual((await db.allocations.list({ filters: { node_id: n.id } })).map((x) => x.uuid), [a.uuid]);
    await db.allocations.destroy(a.uuid);
    node = await db.nodes.getByUuid(n.uuid);
    assert.equal(node.allocation_id, null);
    assert.equal(node.instance_uuid, null);
  });

  test('allocating a node that has an instance → NodeAssociated, nothing changes', async () => {
    const inst = randomUUID();
    const n = await db.nodes.create({ driver: 'fake-hardware', instance_uuid: inst });
    const a = await db.allocations.create({ resource_class: 'gold' });
    await assert.rejects(db.allocations.update(a.uuid, { node_id: n.id, state: 'active' }), { code: 'NodeAssociated', status: 409 });
    assert.equal((await db.allocations.getByUuid(a.uuid)).state, 'allocating');
    assert.equal((await db.allocations.getByUuid(a.uuid)).node_id, null);
    const before = (await db.allocations.list()).length;
    await assert.rejects(db.allocations.create({ node_id: n.id, name: 'doomed' }), { code: 'NodeAssociated' });
    assert.equal((await db.allocations.list()).length, before);
    assert.equal((await db.nodes.getByUuid(n.uuid)).instance_uuid, inst);
  });

  test("an allocation uuid already used as another node's instance_uuid → InstanceAssociated", async () => {
    const a = await db.allocations.create({ resource_class: 'gold' });
    const taken = await db.nodes.create({ driver: 'fake-hardware', instance_uuid: a.uuid });
    const free = await db.nodes.create({ driver: 'fake-hardware' });
    await assert.rejects(db.allocations.update(a.uuid, { node_id: free.id, state: 'active' }), {
      code: 'InstanceAssociated',
      status: 409,
      message: `Instance ${a.uuid} is already associated with a node, it cannot be associated with this other node ${free.uuid}`,
    });
    assert.equal((await db.allocations.getByUuid(a.uuid)).node_id, null);
    assert.equal((await db.nodes.getByUuid(free.uuid)).allocation_id, null);
    assert.equal((await db.nodes.getByUuid(taken.uuid)).instance_uuid, a.uuid);
  });

  test('takeOver moves conductor_affinity only from the expected conductor', async () => {
    const c1 = await db.conductors.register('alloc-c1', '', []);
    const c2 = await db.conductors.register('alloc-c2', '', []);
    const a = await db.allocations.create({ conductor_affinity: c1.id });
    assert.equal(await db.allocations.takeOver(a.uuid, c2.id, c2.id), false);
    assert.equal(await db.allocations.takeOver(a.uuid, c1.id, c2.id), true);
    assert.equal((await db.allocations.getByUuid(a.uuid)).conductor_affinity, c2.id);
    const results = await Promise.all([db.allocations.takeOver(a.uuid, c2.id, c1.id), db.allocations.takeOver(a.uuid, c2.id, c1.id)]);
    assert.deepEqual(results.sort(), [false, true]);
    await assert.rejects(db.allocations.takeOver(randomUUID(), null, c1.id), { code: 'NotFound' });
  });

  test('deploy templates with steps: create, replace steps, list by names, unique name', async () => {
    const steps: DeployStep[] = [
      { interface: 'bios', step: 'apply_configuration', args: { settings: [{ name: 'LogicalProc', value: 'Enabled' }] }, priority: 150 },
      { interface: 'raid', step: 'apply_configuration', args: {}, priority: 0 },
    ];
    const tpl = await db.deployTemplates.create({ name: 'CUSTOM_HYPERTHREADING_ON', steps, extra: { k: 'v' } });
    assert.deepEqual(tpl.steps, steps);
    assert.deepEqual(await db.deployTemplates.getByIdent('CUSTOM_HYPERTHREADING_ON'), tpl);
    await assert.rejects(db.deployTemplates.create({ name: 'CUSTOM_HYPERTHREADING_ON', steps: [] }), {
      code: 'DuplicateName',
      message: 'A deploy template with name CUSTOM_HYPERTHREADING_ON already exists.',
    });
    const other = await db.deployTemplates.create({ name: 'CUSTOM_RAID1', steps: [steps[1]] });
    const upd = await db.deployTemplates.update(tpl.uuid, { steps: [steps[1]] });
    assert.deepEqual(upd.steps, [steps[1]]);
    const renamed = await db.deployTemplates.update(tpl.uuid, { name: 'CUSTOM_HT' });
    assert.deepEqual(renamed.steps, [steps[1]]);
    assert.deepEqual((await db.deployTemplates.listByNames(['CUSTOM_HT', 'CUSTOM_RAID1', 'CUSTOM_NONE'])).map((x) => x.name), ['CUSTOM_HT', 'CUSTOM_RAID1']);
    assert.deepEqual((await db.deployTemplates.list({ sortKey: 'name' })).map((x) => [x.name, x.steps.length]), [['CUSTOM_HT', 1], ['CUSTOM_RAID1', 1]]);
    await db.deployTemplates.destroy(other.uuid);
    assert.equal(Number((await db.knex('deploy_template_steps').where('deploy_template_id', other.id).count({ c: '*' }).first())?.c), 0);
    await assert.rejects(db.deployTemplates.getByName('CUSTOM_RAID1'), { code: 'NotFound', message: 'Deploy template CUSTOM_RAID1 could not be found.' });
  });
});
