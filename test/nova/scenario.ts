/**
 * The end-to-end compute scenario, run against any baremetal API (real Ironic or Anvil) with fake-hardware:
 * No-valid-host with per-node reasons, server create → ACTIVE with config drive, reboot/stop/start/rescue/
 * unrescue/rebuild, delete → node available, VIFs detached. A recording proxy sits between the bridge and the
 * API so the test can read the exact requests (the config drive is masked in API output).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputeManager, ComputeStore, IronicDriver, NoValidHostError, customResourceClass } from '@anvil/nova-bridge';
import { decodeFromApi } from 'cloud-config-drive';
import { api, enrollFakeNode, waitNode } from './fake-nodes.ts';
import { readIso } from './iso-read.ts';
import { startRecordingProxy } from './recording-proxy.ts';

export interface ScenarioOptions {
  /** the API keeps VIF records (GET /vifs lists them); real Ironic's noop network interface does not */
  recordsVifs: boolean;
  /** bridge wait mode */
  waitMode: 'auto' | 'poll' | 'sse';
  /** a failing deploy can be provoked with an image_source the API rejects at validate/deploy */
  invalidImageFails: boolean;
}

export async function computeScenario(url: string, o: ScenarioOptions, log: (m: string) => void = () => {}): Promise<void> {
  const sfx = randomUUID().slice(0, 8);
  const rc = `nova-${sfx}`;
  const proxy = await startRecordingProxy(url);
  const dataDir = mkdtempSync(join(tmpdir(), 'nova-e2e-'));
  const driver = await IronicDriver.create({ endpoint: proxy.url, apiRetryIntervalMs: 100, host: `compute-${sfx}`, waitMode: o.waitMode });
  const store = await ComputeStore.open({ data_dir: dataDir });
  try {
    // nodes: one good one (kept manageable at first) and one per rejection cause
    const spec = (name: string, extra: Partial<Parameters<typeof enrollFakeNode>[1]> = {}) => ({
      name: `${name}-${sfx}`,
      resourceClass: rc,
      traits: ['CUSTOM_PROBE'],
      ...extra,
    });
    const [good, maint, manageable, gold, bios, notrait, arm, assoc] = await Promise.all([
      enrollFakeNode(url, spec('good', { manageable: true, ports: 2 })),
      enrollFakeNode(url, spec('maint')),
      enrollFakeNode(url, spec('manageable', { manageable: true })),
      enrollFakeNode(url, spec('gold', { resourceClass: `gold-${sfx}` })),
      enrollFakeNode(url, spec('bios', { capabilities: 'boot_mode:bios' })),
      enrollFakeNode(url, spec('notrait', { traits: [] })),
      enrollFakeNode(url, spec('arm', { cpuArch: 'aarch64' })),
      enrollFakeNode(url, spec('assoc')),
    ]);
    await api(url, 'PUT', `/v1/nodes/${maint.uuid}/maintenance`, { reason: 'test' });
    const other = randomUUID();
    await api(url, 'PATCH', `/v1/nodes/${assoc.uuid}`, [{ op: 'replace', path: '/instance_uuid', value: other }]);
    log('nodes enrolled');

    await store.putFlavor({
      id: randomUUID(),
      name: 'bm.probe',
      vcpus: 8,
      ram: 16384,
      disk: 100,
      ephemeral: 0,
      swap: 0,
      extra_specs: {
        [`resources:${customResourceClass(rc)}`]: '1',
        'resources:VCPU': '0',
        'resources:MEMORY_MB': '0',
        'resources:DISK_GB': '0',
        'capabilities:boot_mode': 'uefi',
        'capabilities:cpu_arch': 'x86_64',
        'trait:CUSTOM_PROBE': 'required',
      },
    });
    const mgr = new ComputeManager(store, driver);
    const image = randomUUID();
    const vif = randomUUID();

    // 1. No valid host: every node of our class is rejected, each with its own reason
    await assert.rejects(mgr.create({ name: 'nvh', flavor: 'bm.probe', image }), (err: unknown) => {
      assert.ok(err instanceof NoValidHostError);
      const why = new Map(err.result.rejected.map((r) => [r.node, r.reasons.map((x) => x.code)]));
      assert.ok(why.get(maint.uuid)?.includes('maintenance'), `maint: ${why.get(maint.uuid)}`);
      assert.ok(why.get(manageable.uuid)?.includes('not_available'));
      assert.ok(why.get(good.uuid)?.includes('not_available'));
      assert.ok(why.get(gold.uuid)?.includes('resource_class'));
      assert.ok(why.get(bios.uuid)?.includes('capabilities'));
      assert.ok(why.get(notrait.uuid)?.includes('traits'));
      assert.ok(why.get(arm.uuid)?.includes('cpu_arch'));
      assert.ok(why.get(assoc.uuid)?.includes('associated'));
      assert.match(err.message, /No valid host was found/);
      assert.match(err.message, /maintenance/);
      return true;
    });
    assert.equal((await store.instances())[0].status, 'ERROR');
    assert.equal((await (await store.instances()))[0].fault?.code, 'NoValidHost');
    assert.equal((await store.db.compute.faults((await (await store.instances()))[0].uuid))[0].name, 'NoValidHost');
    log('no valid host reasons ok');

    // 2. server create → ACTIVE
    await api(url, 'PUT', `/v1/nodes/${good.uuid}/states/provision`, { target: 'provide' });
    await waitNode(url, good.uuid, (n) => n.provision_state === 'available', 'available');
    const userData = '#cloud-config\nhostname: probe\n';
    const inst = await mgr.create({
      name: `vm-${sfx}`,
      flavor: 'bm.probe',
      image,
      nics: [{ port_id: vif, mac: 'fa:16:3e:00:00:01' }],
      userData,
      configDrive: true,
      metadata: { role: 'probe' },
    });
    assert.equal(inst.status, 'ACTIVE');
    assert.equal(inst.node, good.uuid);
    let node = await api(url, 'GET', `/v1/nodes/${good.uuid}`);
    assert.equal(node.provision_state, 'active');
    assert.equal(node.instance_uuid, inst.uuid);
    assert.equal(node.instance_info.root_gb, '100');
    assert.equal(node.instance_info.capabilities, '{"boot_mode": "uefi", "cpu_arch": "x86_64"}');
    assert.deepEqual(node.instance_info.traits, ['CUSTOM_PROBE']);
    assert.equal(node.instance_info.configdrive, '******', 'config drive masked in API output');
    const attach = proxy.find('POST', new RegExp(`/v1/nodes/${good.uuid}/vifs$`));
    assert.equal(attach.length, 1);
    assert.deepEqual(JSON.parse(attach[0].body), { id: vif });
    assert.equal(attach[0].status, 204);
    if (o.recordsVifs) {
      const vifs = await api(url, 'GET', `/v1/nodes/${good.uuid}/vifs`);
      assert.deepEqual(
        vifs.vifs.map((v: { id: string }) => v.id),
        [vif],
      );
    }
    // microversions: SDK reads at 1.76, ironicclient writes at 1.46
    const reserve = proxy.find('PATCH', new RegExp(`/v1/nodes/${good.uuid}$`))[0];
    assert.equal(reserve.headers['x-openstack-ironic-api-version'], '1.76');
    assert.deepEqual(JSON.parse(reserve.body), [{ op: 'replace', path: '/instance_uuid', value: inst.uuid }]);
    const deploy = proxy.find('PUT', new RegExp(`/v1/nodes/${good.uuid}/states/provision$`))[0];
    assert.equal(deploy.headers['x-openstack-ironic-api-version'], '1.46');
    const body = JSON.parse(deploy.body);
    assert.equal(body.target, 'active');

    // 3. the config drive in the provision request
    const { image: iso, format } = decodeFromApi(body.configdrive);
    assert.equal(format, 'iso9660');
    const cd = readIso(iso);
    try {
      assert.equal(cd.label(), 'config-2');
      const md = JSON.parse(cd.file('/openstack/latest/meta_data.json').toString());
      assert.equal(md.uuid, inst.uuid);
      assert.equal(md.name, `vm-${sfx}`);
      assert.deepEqual(md.meta, { role: 'probe' });
      assert.equal(cd.file('/openstack/latest/user_data').toString(), userData);
      const nd = JSON.parse(cd.file('/openstack/latest/network_data.json').toString());
      assert.equal(nd.links[0].vif_id, vif);
      const ports = (await api(url, 'GET', `/v1/nodes/${good.uuid}/ports/detail`)).ports;
      const port = ports.find((p: { internal_info?: { tenant_vif_port_id?: string } }) => p.internal_info?.tenant_vif_port_id === vif);
      assert.equal(nd.links[0].ethernet_mac_address, port ? port.address : 'fa:16:3e:00:00:01');
      if (o.recordsVifs) assert.ok(port && good.macs.includes(port.address), 'the VIF landed on one of the node ports');
      assert.equal(nd.networks[0].link, nd.links[0].id);
    } finally {
      cd.close();
    }
    log('create + config drive ok');

    // 4. lifecycle
    await mgr.reboot(inst.uuid);
    assert.equal((await api(url, 'GET', `/v1/nodes/${good.uuid}`)).power_state, 'power on');
    assert.equal((await mgr.stop(inst.uuid)).status, 'SHUTOFF');
    assert.equal((await api(url, 'GET', `/v1/nodes/${good.uuid}`)).power_state, 'power off');
    assert.equal((await mgr.start(inst.uuid)).status, 'ACTIVE');
    assert.equal((await api(url, 'GET', `/v1/nodes/${good.uuid}`)).power_state, 'power on');
    await mgr.reboot(inst.uuid, true);
    const powers = proxy.find('PUT', /\/states\/power$/).map((r) => JSON.parse(r.body).target);
    assert.deepEqual(powers.slice(-4), ['soft rebooting', 'power off', 'power on', 'rebooting']);
    assert.equal((await mgr.rescue(inst.uuid, 'sekrit')).status, 'RESCUE');
    assert.equal((await api(url, 'GET', `/v1/nodes/${good.uuid}`)).provision_state, 'rescue');
    assert.equal((await mgr.unrescue(inst.uuid)).status, 'ACTIVE');
    assert.equal((await api(url, 'GET', `/v1/nodes/${good.uuid}`)).provision_state, 'active');
    const rebuilt = await mgr.rebuild(inst.uuid, { preserveEphemeral: true });
    assert.equal(rebuilt.status, 'ACTIVE');
    const rb = proxy.find('PUT', new RegExp(`/v1/nodes/${good.uuid}/states/provision$`)).at(-1)!;
    assert.equal(JSON.parse(rb.body).target, 'rebuild');
    assert.ok(JSON.parse(rb.body).configdrive);
    const rbPatch = proxy.find('PATCH', new RegExp(`/v1/nodes/${good.uuid}$`)).at(-1)!;
    assert.ok(JSON.parse(rbPatch.body).some((op: { path: string; value: unknown }) => op.path === '/instance_info/preserve_ephemeral' && op.value === 'True'));
    log('lifecycle ok');

    // attach_interface / detach_interface
    const vif2 = randomUUID();
    assert.deepEqual(
      (await mgr.attachInterface(inst.uuid, { port_id: vif2 })).nics.map((n) => n.port_id),
      [vif, vif2],
    );
    assert.equal(proxy.find('POST', new RegExp(`/v1/nodes/${good.uuid}/vifs$`)).at(-1)?.body, JSON.stringify({ id: vif2 }));
    if (o.recordsVifs) {
      const ids = (await api(url, 'GET', `/v1/nodes/${good.uuid}/vifs`)).vifs.map((v: { id: string }) => v.id);
      assert.ok(ids.includes(vif2) && ids.includes(vif), JSON.stringify(ids));
    }
    assert.deepEqual(
      (await mgr.detachInterface(inst.uuid, vif2)).nics.map((n) => n.port_id),
      [vif],
    );
    assert.equal(proxy.find('DELETE', new RegExp(`/v1/nodes/${good.uuid}/vifs/${vif2}$`)).length, 1);
    if (o.recordsVifs) assert.deepEqual((await api(url, 'GET', `/v1/nodes/${good.uuid}/vifs`)).vifs, [{ id: vif }]);
    log('interface attach/detach ok');

    // 5. delete → node available, instance fields cleared, VIF detached
    await mgr.delete(inst.uuid);
    node = await waitNode(url, good.uuid, (n) => n.provision_state === 'available', 'available');
    assert.equal(node.instance_uuid, null);
    assert.equal(proxy.find('DELETE', new RegExp(`/v1/nodes/${good.uuid}/vifs/${vif}$`)).length, 1);
    if (o.recordsVifs) assert.deepEqual((await api(url, 'GET', `/v1/nodes/${good.uuid}/vifs`)).vifs, []);
    assert.equal((await store.instances()).filter((i) => i.status !== 'ERROR').length, 0);
    log('delete ok');

    // 6. a failing deploy: instance ERROR with the reason, node released again
    if (o.invalidImageFails) {
      await assert.rejects(mgr.create({ name: 'bad', flavor: 'bm.probe', image: 'not-an-image', nics: [{ port_id: randomUUID() }] }));
      const bad = (await store.instances()).find((i) => i.name === 'bad')!;
      assert.equal(bad.status, 'ERROR');
      assert.ok(bad.fault?.message);
      node = await waitNode(url, good.uuid, (n) => n.provision_state === 'available' && n.instance_uuid === null, 'released');
      log('deploy failure ok');
    }
  } finally {
    await driver.close();
    await store.close();
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
