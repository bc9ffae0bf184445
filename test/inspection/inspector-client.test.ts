/**
 * The seeds' ironic-inspector flow with the real client: `openstack baremetal introspection …` (python-ironic-
 * inspector-client over Debian's openstackclient, scripts/services/inspector-client.sh) against `anvil server`'s
 * Inspector-compatible API. An ipmi node (ipmi_sim BMC, pxe boot, the `inspector` inspect interface) is inspected by
 * a simulated machine that PXE-boots the agent and posts its inventory to the API's /v1/continue: rule import /
 * list / show, introspection start / status (finished) / list, data save (the stored inventory), the imported rule's
 * property and trait on the node, abort of a second introspection, rule delete. Each CLI run costs a Python start-up
 * (~1.5 s quiet), so waits poll the API directly.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SimSwitch, simInventory } from '@anvil/agent-sim';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { apiClient, type ApiClient, deployDebug, FAST_DEPLOY_SETTINGS, freeUdpPort, type ImageServer, ipmiDriverInfo, startImageServer, startSim, waitState } from '../deploy/fixtures.ts';
import { freePort } from '../free-port.ts';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const py = process.env.ANVIL_TEST_INSPECTOR_PYTHON;
failWithout(
  anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim() ?? (existsSync('/usr/bin/tftp') ? null : 'tftp-hpa client (/usr/bin/tftp) is not installed'),
  py ? null : 'ANVIL_TEST_INSPECTOR_PYTHON is not set: run scripts/services/inspector-client.sh start (python-ironic-inspector-client over python3-openstackclient)',
);

const MAC = '52:54:00:ab:ce:01';
const sw = new SimSwitch({ name: 'leaf-11', chassisMac: '52:54:00:99:88:11', portPrefix: 'xe-0/0/', vlans: [{ id: 10, name: 'prov' }], mtu: 9000 });

describe('ironic-inspector client against the Inspector-compatible API', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let images: ImageServer;
  let inspectorUrl: string;
  let dir: string;
  let tftpPort: number;

  before(async () => {
    let inspectorPort: number;
    [bmc, images, tftpPort, inspectorPort] = await Promise.all([startIpmiSim(), startImageServer({ kernel: Buffer.from('k'.repeat(4096)), ramdisk: Buffer.from('r'.repeat(8192)) }), freeUdpPort(), freePort()]);
    anvil = await startAnvil({
      pxe_tftp_port: tftpPort,
      pxe_http_server: false,
      ...FAST_DEPLOY_SETTINGS,
      inspector_port: inspectorPort,
      inspector_hooks: '$default_hooks,cpus,memory,root-device,parse-lldp,local-link-connection',
    });
    api = apiClient(anvil.url, '1.96');
    inspectorUrl = `http://127.0.0.1:${inspectorPort}`;
    dir = mkdtempSync(join(tmpdir(), 'inspector-cli-'));
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([bmc?.stop(), images?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: anvil.url };
    for (const k of Object.keys(e)) if (/^OS_(CLOUD|AUTH_URL|TOKEN|USER|PASS|PROJECT)/.test(k)) delete e[k];
    return e;
  };
  /** `openstack baremetal introspection ARGS` (JSON output when -f json) */
  const cli = (...args: string[]): Promise<any> =>
    new Promise((resolve, reject) => {
      execFile(py!, ['-m', 'openstackclient.shell', '--inspector-url', inspectorUrl, 'baremetal', 'introspection', ...args], { env: env(), timeout: 60_000 }, (e, stdout, stderr) => {
        if (e) return reject(new Error(`baremetal introspection ${args.join(' ')} failed (${(e as { code?: number }).code}): ${stderr}${stdout}`));
        try {
          resolve(stdout.trim() ? JSON.parse(stdout) : null);
        } catch {
          resolve(stdout);
        }
      });
    });
  const status = (uuid: string) => fetch(`${inspectorUrl}/v1/introspection/${uuid}`).then((r) => r.json() as Promise<{ finished: boolean; state: string; error: string | null }>);

  test('rule import, introspection start/status/list, data save, abort, rule delete', async (t) => {
    const inventory = simInventory({ index: 11, nics: [{ name: 'eno1', mac: MAC, ipv4: '10.30.0.11', switch: sw, switchPort: 5 }], bmcAddress: bmc.host, cpus: 12, memoryMb: 32768, diskGiB: [240] });
    const { machine } = startSim(t, bmc, MAC, { host: '127.0.0.1', port: tftpPort }, { name: 'insp-cli', inventory });
    t.after(() => deployDebug(t, machine, anvil));

    const rulesFile = join(dir, 'rules.json');
    writeFileSync(
      rulesFile,
      JSON.stringify([
        {
          description: 'rack label from the switch',
          conditions: [
            { op: 'ge', field: 'data://inventory.cpu.count', value: 8 },
            { op: 'eq', field: 'data://inventory.interfaces[*].mac_address', value: MAC },
          ],
          actions: [
            { action: 'set-attribute', path: '/properties/rack', value: '{data[parsed_lldp][eno1][switch_system_name]}' },
            { action: 'add-trait', name: 'CUSTOM_INSPECTOR_RULE' },
          ],
        },
      ]),
    );
    const imported = await cli('rule', 'import', rulesFile, '-f', 'json');
    assert.equal(imported.length, 1);
    const ruleUuid = imported[0].UUID;
    assert.deepEqual((await cli('rule', 'list', '-f', 'json')).map((r: { UUID: string }) => r.UUID), [ruleUuid]);
    const shown = await cli('rule', 'show', ruleUuid, '-f', 'json');
    assert.equal(shown.description, 'rack label from the switch');
    assert.deepEqual(shown.actions[1], { action: 'add-trait', name: 'CUSTOM_INSPECTOR_RULE' });
    assert.equal(shown.conditions[0].multiple, 'any');

    const created = await api('POST', '/nodes', { name: 'insp-cli', driver: 'ipmi', boot_interface: 'pxe', inspect_interface: 'inspector', driver_info: ipmiDriverInfo(bmc, images.url) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uuid = created.body.uuid;
    assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: MAC, pxe_enabled: true })).status, 201);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');

    await cli('start', uuid);
    await until('introspection finished', async () => (await status(uuid)).finished, 90_000, () => anvil.output().slice(-3000));
    const st = await cli('status', uuid, '-f', 'json');
    assert.deepEqual([st.finished, st.state, st.error], [true, 'finished', null]);
    const listed = (await cli('list', '-f', 'json')).find((s: { UUID: string }) => s.UUID === uuid);
    assert.deepEqual([listed?.Error, typeof listed?.['Finished at']], [null, 'string'], JSON.stringify(listed));

    const node = (await api('GET', `/nodes/${uuid}`)).body;
    assert.equal(node.provision_state, 'manageable');
    assert.equal(node.properties.rack, 'leaf-11');
    assert.equal(node.properties.cpus, 12);
    assert.deepEqual((await api('GET', `/nodes/${uuid}/traits`)).body.traits, ['CUSTOM_INSPECTOR_RULE']);
    assert.match(machine.lastRamdisk?.cmdline ?? '', new RegExp(`ipa-inspection-callback-url=${inspectorUrl}/v1/continue`));
    const [port] = (await api('GET', `/ports/detail?node=${uuid}`)).body.ports;
    assert.deepEqual(port.local_link_connection, { switch_id: '52:54:00:99:88:11', port_id: 'xe-0/0/5', switch_info: 'leaf-11' });

    const saved = join(dir, 'data.json');
    await cli('data', 'save', '--file', saved, uuid);
    const data = JSON.parse(readFileSync(saved, 'utf8'));
    assert.deepEqual(data.inventory, inventory);
    assert.equal(data.parsed_lldp.eno1.switch_system_name, 'leaf-11');

    // a second run, aborted while the node waits for its agent (the machine is stopped first)
    await machine.stop();
    await cli('start', uuid);
    await waitState(api, uuid, 'inspect wait');
    await cli('abort', uuid);
    const aborted = await until('introspection aborted', async () => ((await status(uuid)).finished ? status(uuid) : null), 30_000);
    assert.deepEqual([aborted.state, aborted.error], ['error', 'Canceled by operator']);
    await waitState(api, uuid, 'inspect failed');

    await cli('rule', 'delete', ruleUuid);
    assert.deepEqual(await fetch(`${inspectorUrl}/v1/rules`).then((r) => r.json()), { rules: [] });
  });
});
