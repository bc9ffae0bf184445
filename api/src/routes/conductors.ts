/**
 * /v1/conductors (1.49): list (default fields hostname, conductor_group, alive; detail=true or /detail-less
 * full objects), GET /v1/conductors/{hostname}. `alive` = online and heartbeat newer than heartbeat_timeout.
 */
import { InvalidParameterValue, NotFound, type ConductorRecord } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { routeSince } from '../gates.ts';
import { linkPair } from '../links.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkFieldsKnown, pick } from '../render/fields.ts';

export const CONDUCTOR_FIELDS = ['hostname', 'conductor_group', 'alive', 'drivers', 'created_at', 'updated_at', 'links'];
const DEFAULT_LIST = ['hostname', 'conductor_group', 'alive'];

export function isAlive(c: ConductorRecord, timeoutSec: number, now = Date.now()): boolean {
  const last = Date.parse(c.updated_at ?? c.created_at);
  return c.online && Number.isFinite(last) && now - last <= timeoutSec * 1000;
}

function render(c: ConductorRecord, base: string, timeoutSec: number, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    hostname: c.hostname,
    conductor_group: c.conductor_group,
    alive: isAlive(c, timeoutSec),
    drivers: c.drivers,
    created_at: c.created_at,
    updated_at: c.updated_at,
    links: linkPair(base, 'conductors', c.hostname),
  };
  return pick(out, fields);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  // Ironic raises NotFound (a faultstring 404) below 1.49, for the list and for one conductor
  const since = routeSince(49, 'resource');
  const timeout = () => Number(deps.settings.heartbeat_timeout) || 6;
  router.get('/v1/conductors', since, async (ctx) => {
    const q = new Query(ctx.query, ['fields', 'detail', ...PAGING_KEYS]);
    const fields = q.fields();
    checkFieldsKnown(fields, CONDUCTOR_FIELDS);
    const detail = q.bool('detail') ?? false;
    if (detail && fields) throw new InvalidParameterValue("Can not specify ?detail=True and fields in the same request.");
    const p = paging(q, ['drivers'], false);
    const rows: ConductorRecord[] = await deps.db.conductors.list({ limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
    const base = baseUrl(ctx, deps.settings);
    const shown = detail ? undefined : (fields ?? DEFAULT_LIST);
    const conductors = rows.map((c) => render(c, base, timeout(), shown));
    const next = nextLink(base, 'conductors', rows as unknown as Record<string, unknown>[], p.limit, {
      detail: detail || undefined,
      fields: fields?.join(','),
      sort_key: q.str('sort_key'),
      sort_dir: q.str('sort_dir'),
    }, 'hostname');
    ctx.body = next ? { conductors, next } : { conductors };
  });
  router.get('/v1/conductors/:hostname', since, async (ctx) => {
    const q = new Query(ctx.query, ['fields']);
    const fields = q.fields();
    checkFieldsKnown(fields, CONDUCTOR_FIELDS);
    let c: ConductorRecord;
    try {
      c = await deps.db.conductors.get(ctx.params.hostname);
    } catch {
      throw new NotFound(`Conductor ${ctx.params.hostname} could not be found.`);
    }
    ctx.body = render(c, baseUrl(ctx, deps.settings), timeout(), fields);
  });
}
