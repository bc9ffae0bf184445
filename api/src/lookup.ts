/** Resolving identifiers from URLs and bodies to records, with Ironic's messages for bad and unknown ones. */
import { AnvilError, InvalidParameterValue, NodeLocked, NotFound, type ChassisRecord, type PortgroupRecord, type PortRecord } from '@anvil/sdk';
import type { Database, NodeView } from '@anvil/db';
import { FrameworkError } from './framework-error.ts';
import { isUuidLike, LOGICAL_NAME_RE } from './validate/common.ts';

const is404 = (e: unknown) => AnvilError.is(e) && e.status === 404;

async function orNotFound<T>(p: Promise<T>, message: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (is404(e)) throw new NotFound(message);
    throw e;
  }
}

/** A node by UUID or (≥ 1.5) name; malformed identifiers are a framework 400 as in Ironic. */
export async function getNode(db: Database, ident: string, minor: number, withTraits = false): Promise<NodeView> {
  if (isUuidLike(ident)) return orNotFound(db.nodes.getByUuid(ident, { withTraits }), `Node ${ident} could not be found.`);
  if (!LOGICAL_NAME_RE.test(ident)) throw new FrameworkError(400, `Expected UUID or name for node: ${ident}`);
  if (minor < 5) throw new NotFound(`Node ${ident} could not be found.`); // Ironic: names are not looked up before 1.5
  return orNotFound(db.nodes.getByName(ident, { withTraits }), `Node ${ident} could not be found.`);
}

export async function getPort(db: Database, ident: string): Promise<PortRecord> {
  if (!isUuidLike(ident)) throw new InvalidParameterValue(`Expected UUID for port_uuid: ${ident}`);
  return orNotFound(db.ports.getByUuid(ident), `Port ${ident} could not be found.`);
}

/** A port by UUID or name, as Ironic 39's GET/PATCH (at every version); anything else (a MAC too) → 400. */
export async function getPortByIdent(db: Database, ident: string): Promise<PortRecord> {
  if (isUuidLike(ident)) return orNotFound(db.ports.getByUuid(ident), `Port ${ident} could not be found.`);
  if (!LOGICAL_NAME_RE.test(ident)) throw new InvalidParameterValue(`Expected UUID or name for port_ident: ${ident}`);
  return orNotFound(db.ports.getByName(ident), `Port ${ident} could not be found.`);
}

export async function getPortgroup(db: Database, ident: string): Promise<PortgroupRecord> {
  if (isUuidLike(ident)) return orNotFound(db.portgroups.getByUuid(ident), `Portgroup ${ident} could not be found.`);
  if (!LOGICAL_NAME_RE.test(ident)) throw new FrameworkError(400, `Expected UUID or name for portgroup: ${ident}`);
  return orNotFound(db.portgroups.getByName(ident), `Portgroup ${ident} could not be found.`);
}

export async function getChassis(db: Database, ident: string): Promise<ChassisRecord> {
  if (!isUuidLike(ident)) throw new InvalidParameterValue(`Expected UUID for chassis_uuid: ${ident}`);
  return orNotFound(db.chassis.getByUuid(ident), `Chassis ${ident} could not be found.`);
}

/** A node's chassis_uuid: an unknown chassis is a 400 with the same message (Ironic: "404 is inappropriate ... on nodes"). */
export async function getNodeChassis(db: Database, ident: string): Promise<ChassisRecord> {
  try {
    return await getChassis(db, ident);
  } catch (err) {
    if (AnvilError.is(err) && err.status === 404) throw new InvalidParameterValue(err.message);
    throw err;
  }
}

/** Per-request cache of node id → uuid and portgroup id → uuid for rendering ports/portgroups. */
export class RefCache {
  private nodes = new Map<number, Promise<string | null>>();
  private pgs = new Map<number, Promise<string | null>>();
  constructor(private readonly db: Database) {}
  nodeUuid(id: number | null): Promise<string | null> {
    if (id === null || id === undefined) return Promise.resolve(null);
    let p = this.nodes.get(id);
    if (!p) {
      p = this.db.nodes.get(id).then((n: NodeView) => n.uuid, (e: unknown) => (is404(e) ? null : Promise.reject(e)));
      this.nodes.set(id, p);
    }
    return p;
  }
  portgroupUuid(id: number | null): Promise<string | null> {
    if (id === null || id === undefined) return Promise.resolve(null);
    let p = this.pgs.get(id);
    if (!p) {
      p = this.db.portgroups.get(id).then((g: PortgroupRecord) => g.uuid, (e: unknown) => (is404(e) ? null : Promise.reject(e)));
      this.pgs.set(id, p);
    }
    return p;
  }
}

/** Ironic takes the node's exclusive lock for port/portgroup updates and deletes: reserved → 409 NodeLocked. */
export async function checkNodeNotLocked(db: Database, nodeId: number): Promise<void> {
  const node = await db.nodes.get(nodeId);
  if (node.reservation)
    throw new NodeLocked(`Node ${node.uuid} is locked by host ${node.reservation}, please retry after the current operation is completed.`);
}
