/**
 * GET one node, answered again without Koa while nothing changed: the first answer to a `GET /v1/nodes/{node}`
 * goes through the whole Koa stack, and its bytes (status 200, headers, body, ETag) are kept under the request's
 * inputs — the raw URL (path and query: `fields`, `.json`), Host (links), the microversion headers. The next
 * identical request is answered from them: fresh request ids, `If-None-Match` → 304 as etagMiddleware does, the same
 * access-log line and HTTP metrics (logRequest).
 *
 * Kept only while it is provably what Koa would answer:
 * - the database's change stamp (Database.changeStamp: every write of this process, commits and rollbacks too, and
 *   any other connection's commit) is the one the route read under; any change drops every kept answer. Engines
 *   that cannot give a stamp (MariaDB/MySQL: other processes write) keep nothing;
 * - `auth_strategy` is noauth (no credentials, no policy, no redaction in the answer); otherwise nothing is kept;
 * - the serving conductor (1.49 `conductor`, from the hash ring, which changes without a database write) is asked
 *   again and must be the one in the kept body;
 * - a server past half of `api_max_in_flight` leaves the request to Koa (which may refuse it, as before).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type { NodeView } from '@anvil/db';
import type { Logger } from '@anvil/conductor';
import type { ApiDeps, ApiState, RouteDeps } from './context.ts';
import { logRequest } from './middleware/access-log.ts';
import { etagMatches, type InFlight } from './middleware/honest.ts';
import { servingConductor } from './nodes/extras.ts';

/** What the show route leaves in ctx.state when its answer may be kept. */
export interface ShowCacheable {
  /** the change stamp before the route read anything, unchanged after */
  stamp: number;
  /** set when the body shows the serving conductor: the node to ask the hash ring about again */
  node?: NodeView;
  conductor?: string | null;
}

interface Entry {
  /** flat [name, value, ...] as Koa wrote them; request id slots filled per request */
  headers: unknown[];
  /** the same without Content-Type and Content-Length (Koa's 304 for If-None-Match) */
  notModified: unknown[];
  idSlots: number[];
  idSlots304: number[];
  body: Buffer;
  etag: string;
  path: string;
  route: string;
  node?: NodeView;
  conductor?: string | null;
}

const ID_HEADERS = new Set(['openstack-request-id', 'x-openstack-request-id']);
const NOT_IN_304 = new Set(['content-type', 'content-length']);
export const SHOW_CACHE_MAX = 10_000;

const keyOf = (url: string | undefined, h: IncomingMessage['headers']) =>
  `${url}\n${h.host ?? ''}\n${h['x-openstack-ironic-api-version'] ?? ''}\n${h['openstack-api-version'] ?? ''}`;

export class NodeShowCache {
  readonly enabled: boolean;
  /** requests in progress in Koa (overloadMiddleware counts them) */
  readonly load: InFlight = { count: 0 };
  private readonly entries = new Map<string, Entry>();
  private stamp: number | null = null;
  private readonly maxInFlight: number;
  /** answers served from kept ones (tests) */
  hits = 0;

  constructor(
    private readonly deps: ApiDeps,
    private readonly log: Logger,
    private readonly max = SHOW_CACHE_MAX,
  ) {
    const db = deps.db as Partial<ApiDeps['db']> | null; // some middleware tests run without a database
    this.enabled = (deps.settings.auth_strategy ?? 'noauth') === 'noauth' && typeof db?.changeStamp === 'function' && db.changeStamp() !== null;
    this.maxInFlight = Number(deps.settings.api_max_in_flight ?? 1000);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Answers the request from a kept answer and returns true, or returns false (Koa answers). */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || this.entries.size === 0) return false;
    const started = performance.now();
    if (this.maxInFlight && this.load.count >= this.maxInFlight / 2) return false;
    const key = keyOf(req.url, req.headers);
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.deps.db.changeStamp() !== this.stamp) {
      this.entries.clear();
      return false;
    }
    if (e.node && servingConductor(this.deps as RouteDeps, e.node) !== e.conductor) {
      this.entries.delete(key);
      return false;
    }
    const id = `req-${randomUUID()}`;
    const notModified = etagMatches(req.headers['if-none-match'], e.etag);
    const headers = (notModified ? e.notModified : e.headers).slice();
    for (const i of notModified ? e.idSlots304 : e.idSlots) headers[i] = id;
    res.writeHead(notModified ? 304 : 200, headers as string[]);
    res.end(notModified ? undefined : e.body);
    this.hits++;
    logRequest(this.log, 'GET', e.path, e.route, notModified ? 304 : 200, started, id, null);
    return true;
  }

  /** Koa middleware (inside the access log): keeps a 200 the show route marked, with the headers Koa is about to write. */
  middleware(): Middleware<ApiState> {
    return async (ctx, next) => {
      await next();
      const c = ctx.state.showCacheable;
      if (!this.enabled || !c || ctx.status !== 200 || typeof ctx.body !== 'string' || ctx.method !== 'GET') return;
      const etag = ctx.response.get('ETag');
      const stamp = this.deps.db.changeStamp();
      if (!etag || stamp !== c.stamp) return;
      if (stamp !== this.stamp) {
        this.entries.clear();
        this.stamp = stamp;
      }
      const headers: unknown[] = [];
      const notModified: unknown[] = [];
      const idSlots: number[] = [];
      const idSlots304: number[] = [];
      for (const name of (ctx.res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
        const lower = name.toLowerCase();
        const raw = ctx.res.getHeader(name);
        const value = typeof raw === 'number' ? String(raw) : raw;
        if (ID_HEADERS.has(lower)) idSlots.push(headers.length + 1);
        headers.push(name, value);
        if (NOT_IN_304.has(lower)) continue;
        if (ID_HEADERS.has(lower)) idSlots304.push(notModified.length + 1);
        notModified.push(name, value);
      }
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? ctx.path;
      const entry: Entry = { headers, notModified, idSlots, idSlots304, body: Buffer.from(ctx.body), etag, path: ctx.path, route };
      if (c.node) {
        entry.node = c.node;
        entry.conductor = c.conductor;
      }
      const key = keyOf(ctx.originalUrl, ctx.req.headers); // path.ts may have rewritten ctx.url
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    };
  }
}
