/**
 * `anvil server create|list|show|delete|reboot|stop|start|rescue|unrescue|rebuild|interface-attach|
 * interface-detach` and `anvil flavor create|list|show|delete`: the compute front on the command line.
 * Instances, flavors and allocations live in <data-dir>/nova/compute.json; the bridge talks to --endpoint.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AnvilError } from '@anvil/sdk';
import { ComputeManager } from '../compute/manager.ts';
import { ComputeStore } from '../compute/store.ts';
import type { Flavor, Instance, Nic } from '../compute/types.ts';
import { IronicDriver } from '../driver/driver.ts';
import type { WaitMode } from '../events/index.ts';
import { NoValidHostError } from '../placement/scheduler.ts';
import { customResourceClass } from '../placement/resource-class.ts';
import { type Parsed, all, bool, keyValues, one, parseArgs } from './args.ts';
import { fieldTable, table } from './table.ts';

export const SERVER_VERBS = ['create', 'list', 'show', 'delete', 'reboot', 'stop', 'start', 'rescue', 'unrescue', 'rebuild', 'interface-attach', 'interface-detach'];

const BOOLEANS = new Set(['hard', 'preserve-ephemeral', 'help', 'json']);

export const SERVER_HELP = `usage: anvil server <verb> [options]   (compute verbs; 'anvil server' alone runs Anvil)
  create [NAME] --flavor F --image I [--nic port-id=P[,net-id=N][,mac=M]]... [--user-data FILE]
         [--config-drive true] [--name N] [--property k=v]... [--key-name K --public-key-file F]
         [--admin-pass P] [--availability-zone Z]
  list | show S | delete S | reboot S [--hard] | stop S [--timeout SEC] | start S
  rescue S [--password P] | unrescue S | rebuild S [--image I] [--preserve-ephemeral]
  interface-attach S --port-id P | interface-detach S --port-id P
common: --endpoint URL (OS_ENDPOINT, default http://127.0.0.1:6385)  --data-dir DIR (ANVIL_DATA_DIR, ./data)
        -f table|json  --wait-mode auto|sse|poll  --poll-interval MS (2000)  --compute-host NAME`;

export const IMAGE_HELP = `usage: anvil image create NAME --url URL [--checksum MD5] [--os-hash-algo sha256 --os-hash-value HEX]
                         [--disk-format raw|qcow2] [--property key=value]...   (architecture, traits_required, img_config_drive)
       anvil image list | delete I     [--data-dir DIR] [-f json]
No Glance here: the image's id is its URL, and its checksum/format go to instance_info on deploy.`;

export const FLAVOR_HELP = `usage: anvil flavor create NAME [--resource-class baremetal] [--vcpus N --ram MB --disk GB --ephemeral GB --swap MB]
                          [--property key=value]...   (e.g. capabilities:boot_mode=uefi, trait:CUSTOM_X=required)
       anvil flavor list | show F | delete F     [--data-dir DIR] [-f json]`;

function dataDir(p: Parsed): string {
  return one(p, 'data-dir') ?? process.env.ANVIL_DATA_DIR ?? './data';
}

async function manager(p: Parsed): Promise<ComputeManager> {
  const store = new ComputeStore(dataDir(p));
  const host = one(p, 'compute-host') ?? 'anvil-compute';
  const driver = await IronicDriver.create({
    endpoint: one(p, 'endpoint') ?? process.env.OS_ENDPOINT ?? process.env.ANVIL_ENDPOINT ?? 'http://127.0.0.1:6385',
    host,
    waitMode: (one(p, 'wait-mode') as WaitMode | undefined) ?? 'auto',
    apiRetryIntervalMs: Number(one(p, 'poll-interval') ?? 2000),
    ownedInstances: () => new Set(store.instances().filter((i) => i.host === host).map((i) => i.uuid)),
  });
  return new ComputeManager(store, driver);
}

/** what `server show` prints: no user data, the admin password masked */
export function instanceView(i: Instance): Record<string, unknown> {
  return {
    id: i.uuid,
    name: i.name,
    status: i.status,
    task_state: i.task_state,
    power_state: i.power_state,
    flavor: i.flavor.name,
    image: i.image.id,
    node: i.node,
    host: i.host,
    networks: i.nics.map((n) => n.port_id),
    config_drive: i.config_drive,
    metadata: i.metadata,
    key_name: i.key_name,
    admin_pass: i.admin_pass ? '******' : null,
    fault: i.fault,
    created: i.created_at,
    updated: i.updated_at,
  };
}

function print(p: Parsed, v: unknown, render: () => string): void {
  console.log(one(p, 'format') === 'json' || bool(p, 'json') ? JSON.stringify(v, null, 2) : render());
}

function nicOf(spec: string): Nic {
  const kv = keyValues(spec);
  const port = kv['port-id'] ?? kv.port_id;
  if (!port) throw new Error(`--nic ${spec}: port-id=<neutron port id> is required`);
  const nic: Nic = { port_id: port };
  if (kv['net-id']) nic.net_id = kv['net-id'];
  if (kv.mac) nic.mac = kv.mac;
  return nic;
}

function need(p: Parsed, what: string): string {
  const v = p.positional[0];
  if (!v) throw new Error(`${what}: which server? (name or id)`);
  return v;
}

async function serverVerb(verb: string, p: Parsed, mgr: ComputeManager): Promise<number> {
  const show = (i: Instance) => print(p, instanceView(i), () => fieldTable(instanceView(i)));
  switch (verb) {
    case 'create': {
      const name = one(p, 'name') ?? p.positional[0];
      const flavor = one(p, 'flavor');
      const image = one(p, 'image');
      if (!name || !flavor || !image) throw new Error('server create needs a name, --flavor and --image');
      const ud = one(p, 'user-data');
      const pk = one(p, 'public-key-file');
      const inst = await mgr.create({
        name,
        flavor,
        image,
        nics: all(p, 'nic').map(nicOf),
        userData: ud ? readFileSync(ud) : undefined,
        configDrive: bool(p, 'config-drive'),
        metadata: Object.assign({}, ...all(p, 'property').map(keyValues)),
        keyName: one(p, 'key-name'),
        publicKey: pk ? readFileSync(pk, 'utf8').trim() : undefined,
        adminPass: one(p, 'admin-pass'),
        availabilityZone: one(p, 'availability-zone'),
      });
      show(inst);
      return 0;
    }
    case 'show':
      show(await mgr.sync(need(p, verb)).catch(() => mgr.store.instance(need(p, verb))));
      return 0;
    case 'delete':
      await mgr.delete(need(p, verb));
      return 0;
    case 'reboot':
      show(await mgr.reboot(need(p, verb), bool(p, 'hard')));
      return 0;
    case 'stop':
      show(await mgr.stop(need(p, verb), Number(one(p, 'timeout') ?? 0)));
      return 0;
    case 'start':
      show(await mgr.start(need(p, verb)));
      return 0;
    case 'rescue':
      show(await mgr.rescue(need(p, verb), one(p, 'password') ?? randomUUID().slice(0, 12)));
      return 0;
    case 'unrescue':
      show(await mgr.unrescue(need(p, verb)));
      return 0;
    case 'rebuild':
      show(await mgr.rebuild(need(p, verb), { image: one(p, 'image'), preserveEphemeral: bool(p, 'preserve-ephemeral') }));
      return 0;
    case 'interface-attach':
      show(await mgr.attachInterface(need(p, verb), nicOf(`port-id=${one(p, 'port-id') ?? ''}`)));
      return 0;
    case 'interface-detach':
      show(await mgr.detachInterface(need(p, verb), one(p, 'port-id') ?? ''));
      return 0;
    default:
      console.error(SERVER_HELP);
      return 2;
  }
}

function listServers(p: Parsed, store: ComputeStore): number {
  const list = store.instances();
  print(p, list.map(instanceView), () =>
    table(
      ['ID', 'Name', 'Status', 'Power State', 'Node', 'Flavor', 'Image'],
      list.map((i) => [i.uuid, i.name, i.status, i.power_state, i.node, i.flavor.name, i.image.id]),
    ),
  );
  return 0;
}

function report(p: Parsed, err: unknown): number {
  const e = err as Error;
  const code = AnvilError.is(e) ? e.code : e.name;
  if (one(p, 'format') === 'json') {
    const out: Record<string, unknown> = { error: code, message: e.message };
    if (e instanceof NoValidHostError) out.rejected = e.result.rejected;
    console.log(JSON.stringify(out, null, 2));
  } else console.error(`${code}: ${e.message}`);
  return 1;
}

export async function runServer(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  let p: Parsed;
  try {
    p = parseArgs(rest, BOOLEANS);
  } catch (err) {
    console.error(`${(err as Error).message}\n${SERVER_HELP}`);
    return 2;
  }
  if (!SERVER_VERBS.includes(verb) || bool(p, 'help')) {
    console.log(SERVER_HELP);
    return SERVER_VERBS.includes(verb) ? 0 : 2;
  }
  let mgr: ComputeManager | null = null;
  try {
    if (verb === 'list') return listServers(p, new ComputeStore(dataDir(p)));
    mgr = await manager(p);
    return await serverVerb(verb, p, mgr);
  } catch (err) {
    return report(p, err);
  } finally {
    await mgr?.driver.close();
  }
}

export async function runFlavor(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const p = parseArgs(rest, BOOLEANS);
  const store = new ComputeStore(dataDir(p));
  try {
    switch (verb) {
      case 'create': {
        const name = p.positional[0];
        if (!name) throw new Error('flavor create needs a NAME');
        const rc = one(p, 'resource-class');
        const specs: Record<string, string> = {};
        if (rc) Object.assign(specs, { [`resources:${customResourceClass(rc)}`]: '1', 'resources:VCPU': '0', 'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0' });
        for (const prop of all(p, 'property')) {
          const i = prop.indexOf('=');
          if (i <= 0) throw new Error(`--property ${prop}: expected key=value`);
          specs[prop.slice(0, i)] = prop.slice(i + 1);
        }
        const f: Flavor = {
          id: one(p, 'id') ?? randomUUID(),
          name,
          vcpus: Number(one(p, 'vcpus') ?? 0),
          ram: Number(one(p, 'ram') ?? 0),
          disk: Number(one(p, 'disk') ?? 0),
          ephemeral: Number(one(p, 'ephemeral') ?? 0),
          swap: Number(one(p, 'swap') ?? 0),
          extra_specs: specs,
        };
        store.putFlavor(f);
        print(p, f, () => fieldTable({ ...f, extra_specs: f.extra_specs }));
        return 0;
      }
      case 'list': {
        const list = Object.values(store.state.flavors);
        print(p, list, () =>
          table(
            ['ID', 'Name', 'VCPUs', 'RAM', 'Disk', 'Properties'],
            list.map((f) => [f.id, f.name, f.vcpus, f.ram, f.disk, Object.entries(f.extra_specs).map(([k, v]) => `${k}='${v}'`).join(', ')]),
          ),
        );
        return 0;
      }
      case 'show': {
        const f = store.flavor(p.positional[0] ?? '');
        print(p, f, () => fieldTable({ ...f }));
        return 0;
      }
      case 'delete': {
        const f = store.flavor(p.positional[0] ?? '');
        delete store.state.flavors[f.id];
        store.save();
        return 0;
      }
      default:
        console.log(FLAVOR_HELP);
        return verb === 'help' || verb === '--help' ? 0 : 2;
    }
  } catch (err) {
    return report(p, err);
  }
}

export async function runImage(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const p = parseArgs(rest, BOOLEANS);
  const store = new ComputeStore(dataDir(p));
  try {
    switch (verb) {
      case 'create': {
        const name = p.positional[0];
        const url = one(p, 'url');
        if (!name || !url) throw new Error('image create needs a NAME and --url');
        const properties: Record<string, unknown> = {};
        for (const prop of all(p, 'property')) {
          const i = prop.indexOf('=');
          if (i <= 0) throw new Error(`--property ${prop}: expected key=value`);
          const k = prop.slice(0, i);
          const v = prop.slice(i + 1);
          properties[k] = k === 'traits_required' ? v.split(',').filter(Boolean) : v;
        }
        for (const [flag, key] of [
          ['checksum', 'checksum'],
          ['os-hash-algo', 'os_hash_algo'],
          ['os-hash-value', 'os_hash_value'],
          ['disk-format', 'disk_format'],
        ]) {
          const v = one(p, flag);
          if (v) properties[key] = v;
        }
        const img = { id: url, name, properties };
        store.putImage(img);
        print(p, img, () => fieldTable({ ...img }));
        return 0;
      }
      case 'list': {
        const list = Object.values(store.state.images);
        print(p, list, () =>
          table(
            ['ID', 'Name', 'Properties'],
            list.map((i) => [i.id, i.name, i.properties]),
          ),
        );
        return 0;
      }
      case 'delete': {
        const i = store.image(p.positional[0] ?? '');
        delete store.state.images[i.id];
        store.save();
        return 0;
      }
      default:
        console.log(IMAGE_HELP);
        return verb === 'help' || verb === '--help' ? 0 : 2;
    }
  } catch (err) {
    return report(p, err);
  }
}
