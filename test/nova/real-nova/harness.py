"""Drives Nova's own Ironic virt driver (nova.virt.ironic.driver.IronicDriver, Debian python3-nova 26) against one
Ironic API endpoint and prints one JSON line per check: {"check", "ok", "detail", "seconds"}.

Usage: /usr/bin/python3 harness.py URL
The nodes are enrolled through the plain HTTP API (as an operator would); every operation after that is Nova's.
"""
import json
import sys
import time
import traceback
import urllib.error
import urllib.request
import uuid

import nova_env

URL = sys.argv[1].rstrip('/')
SFX = uuid.uuid4().hex[:6]
IMAGE = '9c0f3a3e-6b5d-4bd7-8f0e-2f3d6c1a7b11'


def api(method, path, body=None, version='1.82'):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header('X-OpenStack-Ironic-API-Version', version)
    if data is not None:
        req.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def ok(method, path, body=None):
    status, out = api(method, path, body)
    if status >= 300:
        raise AssertionError('%s %s -> %s %s' % (method, path, status, out))
    return out


def wait_node(uuid_, pred, what, timeout=60):
    deadline = time.time() + timeout
    while True:
        n = ok('GET', '/v1/nodes/%s' % uuid_)
        if pred(n):
            return n
        if time.time() > deadline:
            raise AssertionError('node %s never %s: provision_state=%s target=%s power=%s last_error=%s' % (
                uuid_, what, n['provision_state'], n['target_provision_state'], n['power_state'], n['last_error']))
        time.sleep(0.2)


def enroll(name, mac):
    n = ok('POST', '/v1/nodes', {'driver': 'fake-hardware', 'name': '%s-%s' % (name, SFX), 'resource_class': 'baremetal',
                                 'properties': {'cpus': 1, 'memory_mb': 1024, 'local_gb': 10, 'cpu_arch': 'x86_64'}})
    ok('POST', '/v1/ports', {'node_uuid': n['uuid'], 'address': mac})
    ok('PUT', '/v1/nodes/%s/states/provision' % n['uuid'], {'target': 'manage'})
    wait_node(n['uuid'], lambda x: x['provision_state'] == 'manageable' and not x['target_provision_state'], 'manageable')
    ok('PUT', '/v1/nodes/%s/states/power' % n['uuid'], {'target': 'power off'})
    ok('PUT', '/v1/nodes/%s/states/provision' % n['uuid'], {'target': 'provide'})
    wait_node(n['uuid'], lambda x: x['provision_state'] == 'available' and x['power_state'] == 'power off', 'available')
    return n['uuid']


RESULTS = []


def check(name):
    def run(fn):
        t0 = time.time()
        try:
            detail = fn()
            RESULTS.append({'check': name, 'ok': True, 'detail': detail or '', 'seconds': round(time.time() - t0, 2)})
        except Exception as e:  # noqa: BLE001 - every failure is reported as the check's result
            tb = traceback.format_exc().strip().splitlines()
            RESULTS.append({'check': name, 'ok': False, 'detail': '%s: %s | %s' % (type(e).__name__, e, ' / '.join(tb[-4:])),
                            'seconds': round(time.time() - t0, 2)})
        print(json.dumps(RESULTS[-1]), flush=True)
        return fn
    return run


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main():
    nova_env.configure(URL)
    from nova import exception
    from nova.compute import power_state, provider_tree, task_states
    from nova.virt.ironic import driver as ironic_driver

    ctx = nova_env.admin_context()
    good = enroll('nova-good', '52:54:00:6e:00:01')
    maint = enroll('nova-maint', '52:54:00:6e:00:02')
    gone = enroll('nova-gone', '52:54:00:6e:00:03')
    bad = enroll('nova-bad', '52:54:00:6e:00:04')
    ok('PATCH', '/v1/nodes/%s' % maint, [{'op': 'replace', 'path': '/maintenance', 'value': True}])
    drv = ironic_driver.IronicDriver(nova_env.FakeVirtAPI())
    img = nova_env.image_meta(IMAGE)
    port1, port2 = str(uuid.uuid4()), str(uuid.uuid4())
    nw = nova_env.network_info(nova_env.vif(port1, '52:54:00:6e:00:01'))
    inst = nova_env.instance(ctx, good, 'nova-vm', nova_env.flavor(), IMAGE)
    state = lambda i: drv.get_info(i, use_cache=False).state  # noqa: E731

    check('init_host')(lambda: drv.init_host(nova_env.HOST))

    @check('get_available_nodes')
    def _():
        nodes = drv.get_available_nodes(refresh=True)
        expect({good, maint, gone, bad} <= set(nodes), 'missing own nodes in %s' % nodes)
        return '%d nodes' % len(nodes)

    def inventory(node):
        pt = provider_tree.ProviderTree()
        pt.new_root(node, node)
        drv.update_provider_tree(pt, node)
        return pt.data(node).inventory, pt.data(node).traits

    @check('update_provider_tree')
    def _():
        inv, traits = inventory(good)
        want = {'CUSTOM_BAREMETAL': {'total': 1, 'reserved': 0, 'min_unit': 1, 'max_unit': 1, 'step_size': 1,
                                     'allocation_ratio': 1.0}}
        expect(inv == want, 'inventory %s' % inv)
        return 'CUSTOM_BAREMETAL total 1 reserved 0'

    @check('spawn (config drive, VIFs)')
    def _():
        drv.prepare_for_spawn(inst)
        drv.prepare_networks_before_block_device_mapping(inst, nw)
        drv.spawn(ctx, inst, img, [], 'admin-pw', {}, nw, None)
        nova_env.OWNED.add(inst.uuid)
        n = ok('GET', '/v1/nodes/%s' % good)
        expect(n['provision_state'] == 'active' and n['instance_uuid'] == inst.uuid, 'node %s %s' % (n['provision_state'], n['instance_uuid']))
        info = n['instance_info']
        expect(info.get('image_source') == IMAGE and info.get('display_name') == 'nova-vm', 'instance_info %s' % info)
        expect('configdrive' in info, 'no configdrive in instance_info %s' % sorted(info))
        power = {power_state.RUNNING: 'RUNNING', power_state.SHUTDOWN: 'SHUTDOWN'}.get(state(inst), state(inst))
        return 'active, get_info %s, instance_info: %s' % (power, ','.join(sorted(info)))

    @check('power_off / power_on')
    def _():
        drv.power_off(inst)
        expect(state(inst) == power_state.SHUTDOWN, 'after power_off: %s' % state(inst))
        drv.power_on(ctx, inst, nw)
        expect(state(inst) == power_state.RUNNING, 'after power_on: %s' % state(inst))

    @check('reboot SOFT')
    def _():
        drv.reboot(ctx, inst, nw, 'SOFT')
        expect(state(inst) == power_state.RUNNING, 'after soft reboot: %s' % state(inst))

    @check('reboot HARD')
    def _():
        drv.reboot(ctx, inst, nw, 'HARD')
        expect(state(inst) == power_state.RUNNING, 'after hard reboot: %s' % state(inst))

    @check('rescue / unrescue')
    def _():
        drv.rescue(ctx, inst, nw, img, 'rescue-pw', None)
        expect(ok('GET', '/v1/nodes/%s' % good)['provision_state'] == 'rescue', 'not in rescue')
        drv.unrescue(ctx, inst)
        expect(ok('GET', '/v1/nodes/%s' % good)['provision_state'] == 'active', 'not active after unrescue')

    @check('rebuild')
    def _():
        inst.task_state = task_states.REBUILDING
        drv.rebuild(ctx, inst, img, [], 'admin-pw', {}, [], None, None, network_info=nw, preserve_ephemeral=False)
        n = ok('GET', '/v1/nodes/%s' % good)
        expect(n['provision_state'] == 'active', 'after rebuild %s' % n['provision_state'])
        expect(n['instance_info'].get('preserve_ephemeral') == 'False', 'preserve_ephemeral %s' % n['instance_info'].get('preserve_ephemeral'))
        inst.task_state = None

    @check('attach_interface / detach_interface')
    def _():
        extra = nova_env.vif(port2, '52:54:00:6e:00:01', ip='10.20.0.6')
        drv.attach_interface(ctx, inst, img, extra)
        vifs = [v['id'] for v in ok('GET', '/v1/nodes/%s/vifs' % good)['vifs']]
        drv.detach_interface(ctx, inst, extra)
        after = [v['id'] for v in ok('GET', '/v1/nodes/%s/vifs' % good)['vifs']]
        expect(port2 not in after, 'still attached: %s' % after)
        return 'vifs while attached: %d, after detach: %d' % (len(vifs), len(after))

    @check('destroy')
    def _():
        drv.destroy(ctx, inst, nw)
        n = wait_node(good, lambda x: x['provision_state'] == 'available', 'available after destroy')
        expect(n['instance_uuid'] is None and n['instance_info'] == {}, 'instance fields left: %s %s' % (n['instance_uuid'], n['instance_info']))
        nova_env.OWNED.discard(inst.uuid)
        expect(state(inst) == power_state.NOSTATE, 'get_info after destroy %s' % state(inst))

    @check('failure: node in maintenance')
    def _():
        inv, _t = inventory(maint)
        expect(inv['CUSTOM_BAREMETAL']['reserved'] == 1, 'maintenance node not reserved: %s' % inv)
        other = nova_env.instance(ctx, maint, 'nova-maint-vm', nova_env.flavor(), IMAGE)
        try:
            drv.prepare_for_spawn(other)
        except exception.ComputeResourcesUnavailable as e:
            expect(ok('GET', '/v1/nodes/%s' % maint)['instance_uuid'] is None, 'reserved anyway')
            return 'refused: %s' % e
        raise AssertionError('prepare_for_spawn accepted a node in maintenance')

    @check('failure: deploy failure -> instance ERROR')
    def _():
        doomed = nova_env.instance(ctx, bad, 'nova-bad-vm', nova_env.flavor(traits=['CUSTOM_NOT_ON_NODE']), IMAGE)
        drv.prepare_for_spawn(doomed)
        try:
            drv.spawn(ctx, doomed, img, [], None, {}, nova_env.network_info(nova_env.vif(str(uuid.uuid4()), '52:54:00:6e:00:04')), None)
        except Exception as e:  # noqa: BLE001 - the compute manager puts the instance in ERROR on any spawn error
            doomed.vm_state = 'error'
            drv.failed_spawn_cleanup(doomed)
            n = ok('GET', '/v1/nodes/%s' % bad)
            expect(n['instance_uuid'] is None and n['provision_state'] == 'available', 'node not released: %s %s' % (n['instance_uuid'], n['provision_state']))
            return 'ERROR: %s: %s' % (type(e).__name__, str(e)[:160])
        raise AssertionError('spawn succeeded with a trait the node lacks')

    @check('failure: destroy of a node gone missing')
    def _():
        lost = nova_env.instance(ctx, gone, 'nova-lost-vm', nova_env.flavor(), IMAGE)
        drv.prepare_for_spawn(lost)
        nova_env.OWNED.add(lost.uuid)
        ok('PATCH', '/v1/nodes/%s' % gone, [{'op': 'remove', 'path': '/instance_uuid'}])
        ok('DELETE', '/v1/nodes/%s' % gone)
        drv.destroy(ctx, lost, nova_env.network_info())
        expect(state(lost) == power_state.NOSTATE, 'get_info %s' % state(lost))
        expect(gone not in drv.get_available_nodes(refresh=True), 'the deleted node is still listed')

    for n in (good, maint, bad):
        api('DELETE', '/v1/nodes/%s' % n)
    print(json.dumps({'summary': {'passed': sum(r['ok'] for r in RESULTS), 'failed': sum(not r['ok'] for r in RESULTS)}}), flush=True)


if __name__ == '__main__':
    main()
