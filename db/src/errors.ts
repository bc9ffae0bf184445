/**
 * Storage errors: Ironic's exception names not in @anvil/sdk, and the one place engine errors
 * (SQLITE_CONSTRAINT_UNIQUE / ER_DUP_ENTRY, foreign keys) become typed AnvilErrors.
 */
import { AnvilError, InvalidParameterValue, MissingParameterValue } from '@anvil/sdk';

const make = (code: string, status: number) =>
  class extends AnvilError {
    constructor(message: string) {
      super(message, code, status);
    }
  };

/** 409: an instance_uuid already used by another node. */
export const InstanceAssociated = make('InstanceAssociated', 409);
/** 400: release of a node that is not reserved. */
export const NodeNotLocked = make('NodeNotLocked', 400);
/** 409: portgroup name taken. */
export const PortgroupDuplicateName = make('PortgroupDuplicateName', 409);
/** 409: portgroup MAC taken. */
export const PortgroupMACAlreadyExists = make('PortgroupMACAlreadyExists', 409);
/** 409: volume connector (type, connector_id) taken. */
export const VolumeConnectorTypeAndIdAlreadyExists = make('VolumeConnectorTypeAndIdAlreadyExists', 409);
/** 409: volume target boot_index taken on the node. */
export const VolumeTargetBootIndexAlreadyExists = make('VolumeTargetBootIndexAlreadyExists', 409);

/** A unique violation, reduced to the table and its columns (engine independent). */
export interface UniqueViolation {
  table: string;
  columns: string[];
}

/** Names unique indexes so both engines' messages lead back to (table, columns): uniq_<table>0<col>0<col>. */
export function uniqueIndexName(table: string, columns: string[]): string {
  return `uniq_${table}0${columns.join('0')}`;
}

export function parseUniqueViolation(err: unknown): UniqueViolation | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & { code?: string; errno?: number };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: nodes.name" or "... node_traits.node_id, node_traits.trait"
    const m = /constraint failed: (.+)$/.exec(e.message);
    if (!m) return null;
    const parts = m[1].split(',').map((s) => s.trim().split('.'));
    return { table: parts[0][0], columns: parts.map((p) => p[1]) };
  }
  if (e.code === 'ER_DUP_ENTRY' || e.errno === 1062) {
    // "Duplicate entry 'x' for key 'uniq_nodes0name'" (MySQL 8: 'nodes.uniq_nodes0name')
    const m = /for key '(?:[^'.]+\.)?uniq_([^'0]+)0([^']+)'/.exec(e.message);
    if (!m) return null;
    return { table: m[1], columns: m[2].split('0') };
  }
  return null;
}

/** The column of a NOT NULL violation, or null. */
export function notNullColumn(err: unknown): string | null {
  const e = err as { code?: string; errno?: number; message?: string } | null;
  if (!e?.message) return null;
  if (e.code === 'SQLITE_CONSTRAINT_NOTNULL') return /NOT NULL constraint failed: \w+\.(\w+)/.exec(e.message)?.[1] ?? '?';
  if (e.errno === 1048 || e.code === 'ER_BAD_NULL_ERROR') return /Column '(\w+)' cannot be null/.exec(e.message)?.[1] ?? '?';
  return null;
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return !!e && (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e.errno === 1452 || e.errno === 1451 || e.code === 'ER_NO_REFERENCED_ROW_2' || e.code === 'ER_ROW_IS_REFERENCED_2');
}

/**
 * Runs a write and maps engine constraint errors: onUnique(columns) returns the typed error for that unique key
 * (or undefined to rethrow as is); foreign-key failures become InvalidParameterValue, NOT NULL ones
 * MissingParameterValue.
 */
export async function mapConstraintErrors<T>(fn: () => Promise<T>, onUnique: (columns: string) => Error | undefined): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const u = parseUniqueViolation(err);
    if (u) {
      const mapped = onUnique(u.columns.join(','));
      if (mapped) throw mapped;
    }
    if (isForeignKeyViolation(err)) throw new InvalidParameterValue('The request refers to a related object that does not exist.');
    const e = err as { errno?: number; message?: string };
    if (e?.errno === 1406) {
      const col = /column '(\w+)'/i.exec(e.message ?? '')?.[1] ?? '?';
      throw new InvalidParameterValue(`Value for field ${col} is too long.`);
    }
    const missing = notNullColumn(err);
    if (missing) throw new MissingParameterValue(`Field ${missing} is required and cannot be null.`);
    throw err;
  }
}
