/**
 * Ironic's conductor check (utils.validate_port_physnet) when a port joins a portgroup or changes its physical
 * network: every port of a portgroup has the same physical_network (null included).
 */
import { AnvilError, Conflict } from '@anvil/sdk';
import type { Database } from '@anvil/db';

const PortgroupPhysnetInconsistent = (pg: string, nets: (string | null)[]) =>
  new AnvilError(
    `Port group ${pg} has member ports with inconsistent physical networks (${nets.join(', ')}). All ports in a port group must have the same physical network.`,
    'PortgroupPhysnetInconsistent',
    500,
  );

/** `physnet` is the port's physical network after the change; `portId` (an existing port) is left out of the group. */
export async function checkPortPhysnet(db: Database, portgroupId: number, physnet: string | null, portId?: number): Promise<void> {
  const members = await db.ports.list({ filters: { portgroup_id: portgroupId } });
  const nets = [...new Set(members.filter((p) => p.id !== portId).map((p) => p.physical_network ?? null))];
  if (nets.length === 0) return;
  const pg = await db.portgroups.get(portgroupId);
  if (nets.length > 1) throw PortgroupPhysnetInconsistent(pg.uuid, nets);
  if (nets[0] !== physnet)
    throw new Conflict(
      `Port with physical network ${physnet ?? 'None'} cannot become a member of port group ${pg.uuid} which has ports in physical network ${nets[0] ?? 'None'}.`,
    );
}
