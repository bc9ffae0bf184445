/**
 * ConductorRepo: conductor registrations and heartbeats (updated_at), plus the hardware-type interfaces each
 * conductor offers (what GET /v1/drivers aggregates). "Alive" = online and heartbeat newer than a timeout.
 */
import type { Knex } from 'knex';
import { NotFound } from '@anvil/sdk';
import type { ConductorRecord } from '@anvil/sdk';
import { nowDb, toDbDate, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { parseUniqueViolation } from '../errors.ts';
import { boolEq, eq } from '../list.ts';
import type { ConductorRepo } from '../types.ts';

export const CONDUCTOR_SPEC: TableSpec = {
  table: 'conductors',
  label: 'Conductor',
  columns: ['hostname', 'conductor_group', 'online', 'drivers', 'created_at', 'updated_at'],
  json: { drivers: 'array' },
  bools: ['online'],
  dates: ['created_at', 'updated_at'],
};

const notFound = (host: string) => new NotFound(`Conductor ${host} could not be found.`);

export function makeConductorRepo(ctx: RepoContext): ConductorRepo {
  const base = crud<ConductorRecord>(ctx, {
    spec: CONDUCTOR_SPEC,
    uuid: false,
    markerColumn: 'hostname',
    filters: { online: boolEq('conductors.online'), conductor_group: eq('conductors.conductor_group'), hostname: eq('conductors.hostname') },
  });
  const cutoff = (timeoutSec: number) => toDbDate(new Date(Date.now() - timeoutSec * 1000));
  const alive = (qb: Knex.QueryBuilder, timeoutSec: number) => qb.where('conductors.online', 1).where('conductors.updated_at', '>=', cutoff(timeoutSec));

  const repo: ConductorRepo = {
    async register(hostname, group, drivers) {
      const values = { conductor_group: group, drivers, online: true, updated_at: nowDb() };
      return ctx.tx(async (k) => {
        const updated = await base.updateWhere({ hostname }, values, k);
        if (updated === 0) {
          try {
            await base.insert({ hostname, ...values }, k);
          } catch (err) {
            if (!parseUniqueViolation(err)) throw err; // registered concurrently: update it instead
            await base.updateWhere({ hostname }, values, k);
          }
        }
        return base.get('hostname', hostname, () => notFound(hostname), k);
      });
    },
    async touch(hostname) {
      const n = await ctx.k('conductors').where({ hostname }).update({ online: 1, updated_at: nowDb() });
      if (n === 0) throw notFound(hostname);
    },
    async unregister(hostname) {
      await ctx.tx(async (k) => {
        const row = await k('conductors').where({ hostname }).first('id');
        if (!row) throw notFound(hostname);
        await k('conductor_hardware_interfaces').where('conductor_id', row.id).delete();
        await k('conductors').where('id', row.id).update({ online: 0, updated_at: nowDb() });
      });
    },
    async markDead(hostname, timeoutSec) {
      // one conditional UPDATE: a conductor that heartbeated since it was seen stale is not declared dead
      return ctx.tx(async (k) => {
        const n = await k('conductors').where({ hostname, online: 1 }).where('updated_at', '<', cutoff(timeoutSec)).update({ online: 0, updated_at: nowDb() });
        if (n === 0) return false;
        const row = await k('conductors').where({ hostname }).first('id');
        await k('conductor_hardware_interfaces').where('conductor_id', row.id).delete();
        return true;
      });
    },
    get: (hostname) => base.get('hostname', hostname, () => notFound(hostname)),
    list: (opts) => base.list(opts),
    async listAlive(timeoutSec) {
      const rows = await alive(ctx.k('conductors').select('conductors.*'), timeoutSec).orderBy('conductors.id');
      return rows.map(base.decode);
    },
    async registerHardwareInterfaces(hostname, rows) {
      await ctx.tx(async (k) => {
        const c = await k('conductors').where({ hostname }).first('id');
        if (!c) throw notFound(hostname);
        await k('conductor_hardware_interfaces').where('conductor_id', c.id).delete();
        const created_at = nowDb();
        const seen = new Set<string>();
        const unique = rows.filter((r) => {
          const key = `${r.hardware_type}\0${r.interface_type}\0${r.interface_name}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        for (let i = 0; i < unique.length; i += 200) {
          await k('conductor_hardware_interfaces').insert(
            unique.slice(i, i + 200).map((r) => ({ conductor_id: c.id, ...r, default: r.default ? 1 : 0, created_at })),
          );
        }
      });
    },
    async listHardwareInterfaces(timeoutSec) {
      const qb = ctx
        .k('conductor_hardware_interfaces as h')
        .join('conductors', 'conductors.id', 'h.conductor_id')
        .select('h.hardware_type', 'h.interface_type', 'h.interface_name', 'h.default', 'conductors.hostname')
        .orderBy(['h.hardware_type', 'h.interface_type', 'h.id']);
      if (timeoutSec !== undefined) alive(qb, timeoutSec);
      const rows = await qb;
      return rows.map((r: Record<string, unknown>) => ({
        hardware_type: String(r.hardware_type),
        interface_type: String(r.interface_type),
        interface_name: String(r.interface_name),
        default: Boolean(Number(r.default)),
        hostname: String(r.hostname),
      }));
    },
  };
  return repo;
}
