/**
 * /v2.1/servers: create (202 at once; the build runs in the compute service), list / detail / show, delete
 * (204, torn down in the background) and the actions reboot, os-start, os-stop, rescue, unrescue, rebuild.
 */
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { NotFound } from '@anvil/sdk';
import type { ActionName } from '../compute/manager.ts';
import type { Instance, Nic } from '../compute/types.ts';
import { type ApiState, BadRequest } from './app.ts';
import type { ComputeApiDeps } from './deps.ts';
import { link, serverView } from './views.ts';

type Body = Record<string, unknown>;
const obj = (v: unknown, what: string): Body => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new BadRequest(`Invalid input for field/attribute ${what}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'object'`);
  return v as Body;
};
const str = (b: Body, k: string, required = false): string | undefined => {
  const v = b[k];
  if (v === undefined || v === null) {
    if (required) throw new BadRequest(`Invalid input for field/attribute ${k}. '${k}' is a required property`);
    return undefined;
  }
  if (typeof v !== 'string' || (required && !v.trim())) throw new BadRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}.`);
  return v;
};
const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(true|1|yes|on)$/i.test(v));

function nicsOf(networks: unknown, minor: number): Nic[] {
  if (networks === undefined) {
    if (minor >= 37) throw new BadRequest("Invalid input for field/attribute server. 'networks' is a required property");
    return [];
  }
  if (networks === 'auto' || networks === 'none') return [];
  if (!Array.isArray(networks)) throw new BadRequest(`Invalid input for field/attribute networks. Value: ${JSON.stringify(networks)}.`);
  return networks.map((n) => {
    const b = obj(n, 'networks');
    const port = str(b, 'port');
    if (!port) throw new BadRequest('Anvil has no Neutron: each network must name an existing port ({"port": "<vif id>"}).');
    const nic: Nic = { port_id: port };
    const net = str(b, 'uuid');
    if (net) nic.net_id = net;
    return nic;
  });
}

async function findServer(deps: ComputeApiDeps, id: string): Promise<Instance> {
  const i = await deps.store.db.compute.findInstance(id);
  if (!i) throw new NotFound(`Instance ${id} could not be found.`);
  return i;
}

export function serverRoutes(router: Router<ApiState>, deps: ComputeApiDeps): void {
  const { store, manager } = deps;

  async function list(q: Record<string, unknown>): Promise<Instance[]> {
    let all = await store.instances(typeof q.status === 'string' ? { status: q.status.toUpperCase() } : {});
    if (typeof q.name === 'string' && q.name) {
      let re: RegExp;
      try {
        re = new RegExp(q.name.slice(0, 255));
      } catch {
        throw new BadRequest(`Invalid regular expression in name filter: ${q.name}`);
      }
      all = all.filter((i) => re.test(i.name));
    }
    if (typeof q.host === 'string') all = all.filter((i) => i.host === q.host);
    all.reverse(); // newest first, as Nova sorts (created_at desc)
    if (typeof q.marker === 'string') {
      const at = all.findIndex((i) => i.uuid === q.marker);
      if (at < 0) throw new BadRequest(`marker [${q.marker}] not found`);
      all = all.slice(at + 1);
    }
    if (q.limit !== undefined) all = all.slice(0, Math.max(0, Number(q.limit)));
    return all;
  }

  router.get('/v2.1/servers', async (ctx) => {
    const all = await list(ctx.query);
    ctx.body = { servers: all.map((i) => ({ id: i.uuid, name: i.name, links: link(ctx.state.base, `servers/${i.uuid}`) })) };
  });
  router.get('/v2.1/servers/detail', async (ctx) => {
    const all = await list(ctx.query);
    ctx.body = { servers: await Promise.all(all.map(async (i) => serverView(i, ctx.state.base, ctx.state.version, i.status === 'ERROR' ? (await store.db.compute.faults(i.uuid))[0] : undefined))) };
  });
  router.get('/v2.1/servers/:id', async (ctx) => {
    const i = await findServer(deps, ctx.params.id);
    const fault = i.status === 'ERROR' ? (await store.db.compute.faults(i.uuid))[0] : undefined;
    ctx.body = { server: serverView(i, ctx.state.base, ctx.state.version, fault) };
  });

  router.post('/v2.1/servers', async (ctx) => {
    const s = obj(obj(ctx.state.body, 'body').server, 'server');
    const name = str(s, 'name', true)!;
    const flavorRef = str(s, 'flavorRef', true)!;
    const imageRef = str(s, 'imageRef', true)!;
    await store.flavor(flavorRef).catch(() => {
      throw new BadRequest(`Flavor ${flavorRef} could not be found.`);
    });
    if (!/^https?:\/\//.test(imageRef))
      await store.image(imageRef).catch(() => {
        throw new BadRequest(`Image ${imageRef} could not be found.`);
      });
    const keyName = str(s, 'key_name');
    const key = keyName
      ? await store.db.catalog.keypair(keyName).catch(() => {
          throw new BadRequest('Invalid key_name provided.');
        })
      : undefined;
    const ud = str(s, 'user_data');
    if (ud !== undefined && !/^[A-Za-z0-9+/=\s]*$/.test(ud)) throw new BadRequest('User data needs to be valid base 64.');
    const metadata = s.metadata === undefined ? {} : (obj(s.metadata, 'metadata') as Record<string, string>);
    const count = Math.max(1, Number(s.max_count ?? s.min_count ?? 1) || 1);
    const adminPass = str(s, 'adminPass') ?? randomBytes(9).toString('base64url');
    const nics = nicsOf(s.networks, ctx.state.version.minor);
    const made: Instance[] = [];
    for (let n = 0; n < count; n++) {
      const inst = await manager.submit({
        name: count > 1 ? `${name}-${n + 1}` : name,
        flavor: flavorRef,
        image: imageRef,
        nics,
        userData: ud === undefined ? undefined : Buffer.from(ud, 'base64'),
        configDrive: truthy(s.config_drive),
        metadata,
        keyName: key?.name,
        publicKey: key?.public_key,
        adminPass,
        availabilityZone: str(s, 'availability_zone'),
      });
      made.push(inst);
      deps.startBuild(inst);
    }
    ctx.status = 202;
    const first = made[0];
    ctx.body = { server: { id: first.uuid, links: link(ctx.state.base, `servers/${first.uuid}`), 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }], adminPass } };
  });

  router.delete('/v2.1/servers/:id', async (ctx) => {
    const i = await findServer(deps, ctx.params.id);
    deps.startDelete(i.task_state === 'deleting' ? i : await store.update(i.uuid, { task_state: 'deleting' }));
    ctx.status = 204;
  });

  // os-interface: VIFs (Neutron ports, by id) attached to / detached from the instance's node
  router.get('/v2.1/servers/:id/os-interface', async (ctx) => {
    const i = await findServer(deps, ctx.params.id);
    ctx.body = { interfaceAttachments: i.nics.map((n) => ({ port_id: n.port_id, net_id: n.net_id ?? null, mac_addr: n.mac ?? null, port_state: 'ACTIVE', fixed_ips: [] })) };
  });
  router.post('/v2.1/servers/:id/os-interface', async (ctx) => {
    const a = obj(obj(ctx.state.body, 'body').interfaceAttachment, 'interfaceAttachment');
    const port = str(a, 'port_id', true)!;
    const i = await manager.attachInterface(ctx.params.id, { port_id: port, ...(str(a, 'net_id') ? { net_id: str(a, 'net_id') } : {}) });
    ctx.body = { interfaceAttachment: { port_id: port, net_id: i.nics.find((n) => n.port_id === port)?.net_id ?? null, port_state: 'ACTIVE', fixed_ips: [], mac_addr: null } };
  });
  router.delete('/v2.1/servers/:id/os-interface/:port', async (ctx) => {
    await manager.detachInterface(ctx.params.id, ctx.params.port);
    ctx.status = 202;
  });

  router.post('/v2.1/servers/:id/action', async (ctx) => {
    const body = obj(ctx.state.body, 'body');
    const [name] = Object.keys(body);
    const arg = (body[name] ?? {}) as Body;
    const i = await findServer(deps, ctx.params.id);
    switch (name) {
      case 'reboot': {
        const type = String(obj(arg, 'reboot').type ?? '').toUpperCase();
        if (type !== 'SOFT' && type !== 'HARD') throw new BadRequest(`Invalid input for field/attribute type. Value: ${JSON.stringify(arg.type)}. '${arg.type}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`);
        await manager.action('reboot', i.uuid, { hard: type === 'HARD' });
        ctx.status = 202;
        return;
      }
      case 'os-start':
      case 'os-stop':
      case 'unrescue':
        await manager.action(name as ActionName, i.uuid);
        ctx.status = 202;
        return;
      case 'rescue': {
        const password = (arg && typeof arg === 'object' && str(arg, 'adminPass')) || randomBytes(9).toString('base64url');
        await manager.action('rescue', i.uuid, { password });
        ctx.body = { adminPass: password };
        return;
      }
      case 'rebuild': {
        const b = obj(arg, 'rebuild');
        const imageRef = str(b, 'imageRef', true)!;
        if (!/^https?:\/\//.test(imageRef)) await store.image(imageRef).catch(() => {
          throw new BadRequest(`Image ${imageRef} could not be found.`);
        });
        const started = await manager.action('rebuild', i.uuid, { image: imageRef, name: str(b, 'name'), preserveEphemeral: truthy(b.preserve_ephemeral) });
        ctx.status = 202;
        const view = serverView(started.inst, ctx.state.base, ctx.state.version);
        ctx.body = { server: { ...view, adminPass: str(b, 'adminPass') ?? randomBytes(9).toString('base64url') } };
        return;
      }
      default:
        throw new BadRequest(`There is no such action: ${name}`);
    }
  });
}
