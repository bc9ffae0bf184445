/**
 * A small fake Neutron speaking the v2.0 REST API for ports (and a networks list): POST/GET/PUT/DELETE /v2.0/ports,
 * GET /v2.0/ports?<field>=<value> filters, NeutronError bodies (PortNotFound, NetworkNotFound, MacAddressInUse),
 * binding:* attributes and extra_dhcp_opts stored as sent. Every request is logged for assertions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeNeutron {
  url: string;
  networks: Map<string, { id: string; name: string }>;
  ports: Map<string, Record<string, any>>;
  log: { method: string; path: string; body: any }[];
  /** every port that ever existed, with its last state (deleted ones included) */
  history: Map<string, Record<string, any>>;
  stop(): Promise<void>;
}

const randomMac = () => `fa:16:3e:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : null;
}

export async function startFakeNeutron(networkNames: string[]): Promise<FakeNeutron> {
  const networks = new Map(networkNames.map((name) => {
    const id = randomUUID();
    return [id, { id, name }] as const;
  }));
  const ports = new Map<string, Record<string, any>>();
  const history = new Map<string, Record<string, any>>();
  const log: FakeNeutron['log'] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body?: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
    };
    const error = (status: number, type: string, message: string) => send(status, { NeutronError: { type, message, detail: '' } });
    let body: any = null;
    try {
      body = await readJson(req);
    } catch {
      return error(400, 'HTTPBadRequest', 'Malformed JSON');
    }
    const u = new URL(req.url ?? '/', 'http://x');
    log.push({ method: req.method ?? '', path: u.pathname + u.search, body });
    const m = /^\/v2\.0\/(ports|networks)(?:\/([^/]+))?$/.exec(u.pathname);
    if (!m) return error(404, 'HTTPNotFound', 'The resource could not be found.');
    const [, coll, id] = m;
    if (coll === 'networks') return send(200, { networks: [...networks.values()] });
    if (!id && req.method === 'GET') {
      const list = [...ports.values()].filter((p) => [...u.searchParams].every(([k, v]) => String(p[k]) === v));
      return send(200, { ports: list });
    }
    if (!id && req.method === 'POST') {
      const p = body?.port;
      if (!p || typeof p !== 'object') return error(400, 'HTTPBadRequest', 'Resource body required');
      if (!networks.has(p.network_id)) return error(404, 'NetworkNotFound', `Network ${p.network_id} could not be found.`);
      const mac = p.mac_address ?? randomMac();
      if ([...ports.values()].some((x) => x.network_id === p.network_id && x.mac_address === mac)) {
        return error(409, 'MacAddressInUse', `Unable to complete operation for network ${p.network_id}. The mac address ${mac} is in use.`);
      }
      const port = {
        id: randomUUID(),
        name: '',
        admin_state_up: true,
        device_id: '',
        device_owner: '',
        fixed_ips: [{ subnet_id: randomUUID(), ip_address: `10.0.0.${ports.size + 10}` }],
        'binding:host_id': '',
        'binding:vnic_type': 'normal',
        'binding:profile': {},
        extra_dhcp_opts: [],
        ...p,
        mac_address: mac,
        status: p['binding:host_id'] ? 'ACTIVE' : 'DOWN',
      };
      ports.set(port.id, port);
      history.set(port.id, port);
      return send(201, { port });
    }
    const port = id ? ports.get(id) : undefined;
    if (!port) return error(404, 'PortNotFound', `Port ${id} could not be found.`);
    if (req.method === 'GET') return send(200, { port });
    if (req.method === 'PUT') {
      const p = body?.port ?? {};
      if ('network_id' in p) return error(400, 'HTTPBadRequest', 'Cannot update read-only attribute network_id');
      Object.assign(port, p);
      port.status = port['binding:host_id'] ? 'ACTIVE' : 'DOWN';
      return send(200, { port });
    }
    if (req.method === 'DELETE') {
      ports.delete(port.id);
      port.deleted = true;
      return send(204);
    }
    return error(405, 'HTTPMethodNotAllowed', 'Method not allowed');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    networks,
    ports,
    log,
    history,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
