/**
 * `anvil server create|list|show|delete|reboot|stop|start|rescue|unrescue|rebuild|interface-attach|
 * interface-detach`, `anvil flavor …` and `anvil image …`: a thin client of the compute API (`anvil compute`,
 * or the one inside `anvil server`) at --compute-endpoint. Verbs wait until the server is stable.
 */
import { readFileSync } from 'node:fs';
import { AnvilError } from '@anvil/sdk';
import { customResourceClass } from '../placement/resource-class.ts';
import { type Parsed, all, bool, keyValues, one, parseArgs } from './args.ts';
import { clientAuth } from '../client/api-auth.ts';
import { ComputeApiError, ComputeClient } from './compute-client.ts';
import { OUTPUT_USAGE, type OutputOptions, formatList, formatObject, splitOutputArgs } from '@anvil/sdk/output';

export const SERVER_VERBS = ['create', 'list', 'show', 'delete', 'reboot', 'stop', 'start', 'rescue', 'unrescue', 'rebuild', 'interface-attach', 'interface-detach'];

const BOOLEANS = new Set(['hard', 'preserve-ephemeral', 'help', 'json', 'no-wait']);

const COMMON = `common: --compute-endpoint URL (ANVIL_COMPUTE_ENDPOINT, default http://127.0.0.1:8774)
auth (as openstackclient; each also OS_*): --os-auth-type none|token|http_basic|password  --os-token T
        --os-auth-url URL --os-username U --os-password P --os-project-name P [--os-user-domain-name D] [--os-project-domain-name D]
${OUTPUT_USAGE}`;

export const SERVER_HELP = `usage: anvil server <verb> [options]   (compute verbs; 'anvil server' alone runs Anvil)
  create [NAME] --flavor F --image I [--nic port-id=P[,net-id=N]]... [--user-data FILE]
         [--config-drive true] [--name N] [--property k=v]... [--key-name K] [--admin-pass P]
         [--availability-zone Z] [--no-wait]
  list | show S | delete S | reboot S [--hard] | stop S | start S
  rescue S [--password P] | unrescue S | rebuild S [--image I] [--preserve-ephemeral]
  interface-attach S --port-id P | interface-detach S --port-id P
${COMMON}`;

export const IMAGE_HELP = `usage: anvil image create NAME --url URL [--checksum MD5] [--os-hash-algo sha256 --os-hash-value HEX]
                         [--disk-format raw|qcow2] [--property key=value]...   (architecture, traits_required, img_config_drive)
       anvil image list | show I | delete I
No Glance here: an image is a URL plus checksums (the compute API's /image), which go to instance_info on deploy.
${COMMON}`;

export const FLAVOR_HELP = `usage: anvil flavor create NAME [--resource-class baremetal] [--vcpus N --ram MB --disk GB --ephemeral GB --swap MB]
                          [--property key=value]...   (e.g. capabilities:boot_mode=uefi, trait:CUSTOM_X=required)
       anvil flavor list | show F | delete F
${COMMON}`;

/** openstackclient's auth options, each also an OS_* variable */
const AUTH_OPTIONS = ['auth-type', 'token', 'auth-url', 'username', 'password', 'project-name', 'user-domain-name', 'project-domain-name'] as const;

function client(p: Parsed): ComputeClient {
  const opt = (k: (typeof AUTH_OPTIONS)[number]) => one(p, `os-${k}`) ?? process.env[`OS_${k.toUpperCase().replace(/-/g, '_')}`];
  const auth = clientAuth({
    authType: opt('auth-type'),
    token: opt('token'),
    authUrl: opt('auth-url'),
    username: opt('username'),
    password: opt('password'),
    projectName: opt('project-name'),
    userDomainName: opt('user-domain-name'),
    projectDomainName: opt('project-domain-name'),
  });
  return new ComputeClient(one(p, 'compute-endpoint') ?? process.env.ANVIL_COMPUTE_ENDPOINT ?? 'http://127.0.0.1:8774', undefined, auth);
}

/** a waiting verb says each status change on stderr (stdout keeps the one result), so it never blocks silently */
const progress = (line: string) => console.error(`waiting: ${line}`);

/** what `server show` prints */
export function serverSummary(s: any): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    task_state: s['OS-EXT-STS:task_state'],
    power_state: ({ 0: 'NOSTATE', 1: 'RUNNING', 4: 'SHUTDOWN' } as Record<number, string>)[s['OS-EXT-STS:power_state']] ?? 'NOSTATE',
    flavor: s.flavor?.original_name ?? s.flavor?.id,
    image: s.image?.id,
    node: s['OS-EXT-SRV-ATTR:hypervisor_hostname'],
    host: s['OS-EXT-SRV-ATTR:host'],
    networks: Object.values((s.addresses ?? {}) as Record<string, { addr: string }[]>).flatMap((l) => l.map((a) => a.addr)),
    config_drive: s.config_drive === 'True',
    metadata: s.metadata,
    key_name: s.key_name,
    fault: s.fault ? { code: s.fault.details, message: s.fault.message } : null,
    created: s.created,
    updated: s.updated,
  };
}

/** one object, or a list with [header, key] columns, through the one formatter (@anvil/sdk/output) */
function printOne(o: OutputOptions, v: Record<string, unknown>): void {
  console.log(formatObject(v, o));
}

function printList(o: OutputOptions, columns: [string, (x: any) => unknown][], items: any[]): void {
  const text = formatList(
    columns.map(([h]) => h),
    items.map((x) => columns.map(([, f]) => f(x))),
    o,
  );
  if (text) console.log(text);
}

function nicOf(spec: string): { port: string; uuid?: string } {
  const kv = keyValues(spec);
  const port = kv['port-id'] ?? kv.port_id;
  if (!port) throw new Error(`--nic ${spec}: port-id=<neutron port id> is required`);
  return kv['net-id'] ? { port, uuid: kv['net-id'] } : { port };
}

async function serverVerb(verb: string, p: Parsed, o: OutputOptions, c: ComputeClient): Promise<number> {
  const show = (s: any) => printOne(o, serverSummary(s));
  const wait = !bool(p, 'no-wait');
  const target = async () => {
    const ref = p.positional[0];
    if (!ref) throw new Error(`${verb}: which server? (name or id)`);
    return c.server(ref);
  };
  const act = async (body: unknown) => {
    const s = await target();
    await c.call('POST', `/v2.1/servers/${s.id}/action`, body);
    show(wait ? await c.waitStable(s.id, undefined, progress) : await c.server(s.id));
    return 0;
  };
  switch (verb) {
    case 'create': {
      const name = one(p, 'name') ?? p.positional[0];
      const flavor = one(p, 'flavor');
      const image = one(p, 'image');
      if (!name || !flavor || !image) throw new Error('server create needs a name, --flavor and --image');
      const ud = one(p, 'user-data');
      const server: Record<string, unknown> = {
        name,
        flavorRef: await resolveFlavor(c, flavor),
        imageRef: await resolveImage(c, image),
        networks: all(p, 'nic').map(nicOf),
        config_drive: bool(p, 'config-drive'),
        metadata: Object.assign({}, ...all(p, 'property').map(keyValues)),
      };
      if (ud) server.user_data = readFileSync(ud).toString('base64');
      for (const [flag, key] of [['key-name', 'key_name'], ['admin-pass', 'adminPass'], ['availability-zone', 'availability_zone']]) if (one(p, flag)) server[key] = one(p, flag);
      const made = (await c.call('POST', '/v2.1/servers', { server })).server;
      show(wait ? await c.waitStable(made.id, undefined, progress) : await c.server(made.id));
      return 0;
    }
    case 'list': {
      const list = ((await c.call('GET', '/v2.1/servers/detail')).servers as any[]).map(serverSummary).reverse();
      printList(o, [['ID', (s) => s.id], ['Name', (s) => s.name], ['Status', (s) => s.status], ['Power State', (s) => s.power_state], ['Node', (s) => s.node], ['Flavor', (s) => s.flavor], ['Image', (s) => s.image]], list);
      return 0;
    }
    case 'show':
      show(await target());
      return 0;
    case 'delete': {
      const s = await target();
      await c.call('DELETE', `/v2.1/servers/${s.id}`);
      if (wait) await c.waitGone(s.id);
      return 0;
    }
    case 'reboot':
      return act({ reboot: { type: bool(p, 'hard') ? 'HARD' : 'SOFT' } });
    case 'stop':
      return act({ 'os-stop': null });
    case 'start':
      return act({ 'os-start': null });
    case 'rescue':
      return act({ rescue: one(p, 'password') ? { adminPass: one(p, 'password') } : {} });
    case 'unrescue':
      return act({ unrescue: null });
    case 'rebuild': {
      const s = await target();
      const image = one(p, 'image') ? await resolveImage(c, one(p, 'image')!) : s.image.id;
      await c.call('POST', `/v2.1/servers/${s.id}/action`, { rebuild: { imageRef: image, preserve_ephemeral: bool(p, 'preserve-ephemeral') } });
      show(wait ? await c.waitStable(s.id, undefined, progress) : await c.server(s.id));
      return 0;
    }
    case 'interface-attach':
    case 'interface-detach': {
      const s = await target();
      const port = one(p, 'port-id');
      if (!port) throw new Error(`${verb} needs --port-id`);
      if (verb === 'interface-attach') await c.call('POST', `/v2.1/servers/${s.id}/os-interface`, { interfaceAttachment: { port_id: port } });
      else await c.call('DELETE', `/v2.1/servers/${s.id}/os-interface/${encodeURIComponent(port)}`);
      show(await c.server(s.id));
      return 0;
    }
    default:
      console.error(SERVER_HELP);
      return 2;
  }
}

async function resolveFlavor(c: ComputeClient, ref: string): Promise<string> {
  const list = (await c.call('GET', '/v2.1/flavors')).flavors as { id: string; name: string }[];
  return (list.find((f) => f.id === ref) ?? list.find((f) => f.name === ref))?.id ?? ref;
}

async function resolveImage(c: ComputeClient, ref: string): Promise<string> {
  if (/^https?:\/\//.test(ref)) return ref;
  const list = (await c.call('GET', `/image/v2/images?limit=1000`)).images as { id: string; name: string }[];
  return (list.find((i) => i.id === ref) ?? list.find((i) => i.name === ref))?.id ?? ref;
}

function report(o: OutputOptions | null, err: unknown): number {
  const e = err as Error;
  const code = AnvilError.is(e) ? e.code : e.name;
  if (o?.format === 'json') {
    const out: Record<string, unknown> = { error: code, message: e.message };
    if (e instanceof ComputeApiError && e.rejected) out.rejected = e.rejected;
    console.log(JSON.stringify(out, null, 2));
  } else console.error(`${code}: ${e.message}`);
  return 1;
}

export async function runServer(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  let p: Parsed;
  let o: OutputOptions;
  try {
    const { output, rest } = splitOutputArgs(args, process.env);
    p = parseArgs(rest, BOOLEANS);
    o = bool(p, 'json') ? { ...output, format: 'json' } : output;
  } catch (err) {
    console.error(`${(err as Error).message}\n${SERVER_HELP}`);
    return 2;
  }
  if (!SERVER_VERBS.includes(verb) || bool(p, 'help')) {
    console.log(SERVER_HELP);
    return SERVER_VERBS.includes(verb) ? 0 : 2;
  }
  try {
    return await serverVerb(verb, p, o, client(p));
  } catch (err) {
    return report(o, err);
  }
}

/** the verb, its output options and the rest parsed; a bad option is one line and exit 2 */
function parseVerb(argv: string[], help: string): { verb: string; o: OutputOptions; p: Parsed } | number {
  const [verb, ...args] = argv;
  try {
    const { output, rest } = splitOutputArgs(args, process.env);
    const p = parseArgs(rest, BOOLEANS);
    return { verb, o: bool(p, 'json') ? { ...output, format: 'json' } : output, p }; // --json: the older spelling of -f json
  } catch (err) {
    console.error(`${(err as Error).message}\n${help}`);
    return 2;
  }
}

export async function runFlavor(argv: string[]): Promise<number> {
  const parsed = parseVerb(argv, FLAVOR_HELP);
  if (typeof parsed === 'number') return parsed;
  const { verb, o, p } = parsed;
  const c = client(p);
  try {
    switch (verb) {
      case 'create': {
        const name = p.positional[0];
        if (!name) throw new Error('flavor create needs a NAME');
        const num = (k: string) => Number(one(p, k) ?? 0);
        const f = (await c.call('POST', '/v2.1/flavors', { flavor: { name, vcpus: num('vcpus'), ram: num('ram'), disk: num('disk'), 'OS-FLV-EXT-DATA:ephemeral': num('ephemeral'), swap: num('swap'), ...(one(p, 'id') ? { id: one(p, 'id') } : {}) } })).flavor;
        const specs: Record<string, string> = {};
        const rc = one(p, 'resource-class');
        if (rc) Object.assign(specs, { [`resources:${customResourceClass(rc)}`]: '1', 'resources:VCPU': '0', 'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0' });
        for (const prop of all(p, 'property')) {
          const i = prop.indexOf('=');
          if (i <= 0) throw new Error(`--property ${prop}: expected key=value`);
          specs[prop.slice(0, i)] = prop.slice(i + 1);
        }
        if (Object.keys(specs).length) await c.call('POST', `/v2.1/flavors/${f.id}/os-extra_specs`, { extra_specs: specs });
        const out = { ...f, extra_specs: specs };
        printOne(o, out);
        return 0;
      }
      case 'list': {
        const list = (await c.call('GET', '/v2.1/flavors/detail')).flavors as any[];
        const withSpecs = await Promise.all(list.map(async (f) => ({ ...f, extra_specs: (await c.call('GET', `/v2.1/flavors/${f.id}/os-extra_specs`)).extra_specs })));
        const props = (f: any) => Object.entries(f.extra_specs).map(([k, v]) => `${k}='${v}'`).join(', ');
        printList(o, [['ID', (f) => f.id], ['Name', (f) => f.name], ['VCPUs', (f) => f.vcpus], ['RAM', (f) => f.ram], ['Disk', (f) => f.disk], ['Properties', props]], withSpecs);
        return 0;
      }
      case 'show':
      case 'delete': {
        const id = await resolveFlavor(c, p.positional[0] ?? '');
        if (verb === 'delete') {
          await c.call('DELETE', `/v2.1/flavors/${encodeURIComponent(id)}`);
          return 0;
        }
        const f = { ...(await c.call('GET', `/v2.1/flavors/${encodeURIComponent(id)}`)).flavor, extra_specs: (await c.call('GET', `/v2.1/flavors/${encodeURIComponent(id)}/os-extra_specs`)).extra_specs };
        printOne(o, f);
        return 0;
      }
      default:
        console.log(FLAVOR_HELP);
        return verb === 'help' || verb === '--help' ? 0 : 2;
    }
  } catch (err) {
    return report(o, err);
  }
}

export async function runImage(argv: string[]): Promise<number> {
  const parsed = parseVerb(argv, IMAGE_HELP);
  if (typeof parsed === 'number') return parsed;
  const { verb, o, p } = parsed;
  const c = client(p);
  try {
    switch (verb) {
      case 'create': {
        const name = p.positional[0];
        const url = one(p, 'url');
        if (!name || !url) throw new Error('image create needs a NAME and --url');
        const body: Record<string, unknown> = { name, url };
        for (const prop of all(p, 'property')) {
          const i = prop.indexOf('=');
          if (i <= 0) throw new Error(`--property ${prop}: expected key=value`);
          const k = prop.slice(0, i);
          body[k] = k === 'traits_required' ? prop.slice(i + 1).split(',').filter(Boolean) : prop.slice(i + 1);
        }
        for (const [flag, key] of [['checksum', 'checksum'], ['os-hash-algo', 'os_hash_algo'], ['os-hash-value', 'os_hash_value'], ['disk-format', 'disk_format']]) if (one(p, flag)) body[key] = one(p, flag);
        const img = await c.call('POST', '/image/v2/images', body);
        printOne(o, img);
        return 0;
      }
      case 'list': {
        const list = (await c.call('GET', '/image/v2/images?limit=1000')).images as any[];
        printList(o, [['ID', (i) => i.id], ['Name', (i) => i.name], ['URL', (i) => i.url], ['Checksum', (i) => i.checksum]], list);
        return 0;
      }
      case 'show':
        printOne(o, await c.call('GET', `/image/v2/images/${encodeURIComponent(await resolveImage(c, p.positional[0] ?? ''))}`));
        return 0;
      case 'delete':
        await c.call('DELETE', `/image/v2/images/${encodeURIComponent(await resolveImage(c, p.positional[0] ?? ''))}`);
        return 0;
      default:
        console.log(IMAGE_HELP);
        return verb === 'help' || verb === '--help' ? 0 : 2;
    }
  } catch (err) {
    return report(o, err);
  }
}
