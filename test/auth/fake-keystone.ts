/**
 * A small Keystone v3 identity server for tests, speaking the real token protocol on 127.0.0.1:0:
 * POST /v3/auth/tokens (password method, project or system scope; 201 + X-Subject-Token + token body) and
 * GET /v3/auth/tokens (X-Auth-Token of a caller allowed to validate + X-Subject-Token → 200 token body, 404 unknown).
 * Roles are expanded the way Keystone's implied roles do (admin → member → reader, manager → member).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  name: string;
  password: string;
  /** project name → role names */
  projects?: Record<string, string[]>;
  /** roles on the system scope */
  system?: string[];
}

interface Token {
  body: Record<string, unknown>;
  expires: number;
}

const IMPLIED: Record<string, string[]> = { admin: ['member', 'reader'], manager: ['member', 'reader'], member: ['reader'] };
const expand = (roles: string[]) => [...new Set(roles.flatMap((r) => [r, ...(IMPLIED[r] ?? [])]))];

export class FakeKeystone {
  readonly projects = new Map<string, string>(); // name → id
  private readonly users = new Map<string, FakeUser & { id: string }>();
  private readonly tokens = new Map<string, Token>();
  private server: Server | undefined;
  url = '';
  /** Number of GET /v3/auth/tokens validations served (to observe the API's token cache). */
  validations = 0;
  tokenSeconds = 3600;

  addUser(u: FakeUser): void {
    for (const p of Object.keys(u.projects ?? {})) if (!this.projects.has(p)) this.projects.set(p, randomUUID().replace(/-/g, ''));
    this.users.set(u.name, { ...u, id: randomUUID().replace(/-/g, '') });
  }

  projectId(name: string): string {
    const id = this.projects.get(name);
    if (!id) throw new Error(`no project ${name}`);
    return id;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(([status, headers, body]) => {
          res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        })
        .catch((e) => {
          res.writeHead(500);
          res.end(String(e));
        });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Issue a token directly (what a client's POST would get), returning its id. */
  issue(user: string, scope: { project: string } | 'system'): string {
    const u = this.users.get(user);
    if (!u) throw new Error(`no user ${user}`);
    const roles = scope === 'system' ? u.system : u.projects?.[scope.project];
    if (!roles) throw new Error(`${user} has no role on that scope`);
    const expires = Date.now() + this.tokenSeconds * 1000;
    const body: Record<string, unknown> = {
      methods: ['password'],
      user: { id: u.id, name: u.name, domain: { id: 'default', name: 'Default' }, password_expires_at: null },
      roles: expand(roles).map((name) => ({ id: name, name })),
      expires_at: new Date(expires).toISOString(),
      issued_at: new Date().toISOString(),
      audit_ids: [randomBytes(8).toString('base64url')],
    };
    if (scope === 'system') body.system = { all: true };
    else body.project = { id: this.projectId(scope.project), name: scope.project, domain: { id: 'default', name: 'Default' } };
    const id = `gAAAA${randomBytes(24).toString('base64url')}`;
    this.tokens.set(id, { body, expires });
    return id;
  }

  private live(id: string | undefined): Token | undefined {
    const t = id ? this.tokens.get(id) : undefined;
    return t && t.expires > Date.now() ? t : undefined;
  }

  private async handle(req: IncomingMessage): Promise<[number, Record<string, string>, unknown]> {
    const path = (req.url ?? '').split('?')[0];
    const unauthorized: [number, Record<string, string>, unknown] = [
      401,
      { 'WWW-Authenticate': `Keystone uri="${this.url}"` },
      { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } },
    ];
    if (path !== '/v3/auth/tokens') return [404, {}, { error: { code: 404, title: 'Not Found', message: 'Not found' } }];
    if (req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const auth = JSON.parse(raw || '{}')?.auth;
      const pw = auth?.identity?.password?.user;
      const u = pw ? this.users.get(pw.name) : undefined;
      if (!auth?.identity?.methods?.includes('password') || !u || u.password !== pw.password) return unauthorized;
      const scope = auth.scope?.system?.all ? 'system' : auth.scope?.project?.name ? { project: auth.scope.project.name as string } : null;
      if (!scope) return unauthorized;
      let id: string;
      try {
        id = this.issue(u.name, scope);
      } catch {
        return unauthorized;
      }
      return [201, { 'X-Subject-Token': id }, { token: this.tokens.get(id)!.body }];
    }
    if (req.method === 'GET') {
      const caller = this.live(req.headers['x-auth-token'] as string | undefined);
      const callerRoles = ((caller?.body.roles as { name: string }[]) ?? []).map((r) => r.name);
      if (!caller || !(callerRoles.includes('service') || callerRoles.includes('admin'))) return unauthorized;
      this.validations++;
      const subject = this.live(req.headers['x-subject-token'] as string | undefined);
      if (!subject) return [404, {}, { error: { code: 404, title: 'Not Found', message: 'Could not find token.' } }];
      return [200, {}, { token: subject.body }];
    }
    return [405, {}, undefined];
  }
}
