/** POST /v1/nodes: validate, resolve the driver's interfaces through the registry, store, render (201). */
import { randomUUID } from 'node:crypto';
import { INTERFACE_KINDS, type InterfaceField, type NodeRecord } from '@anvil/sdk';
import type { Values } from '@anvil/db';
import type { ApiContext, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getNodeChassis } from '../lookup.ts';
import { renderNode } from '../render/node.ts';
import { checkNodeName, rejectNewerFields, validateNodeCreate } from '../validate/node.ts';
import { checkNetworkData } from '../validate/network-data.ts';
import { checkServed, nodeExtras } from './extras.ts';
import { resolveParentNode } from './parent.ts';

export async function createNode(ctx: ApiContext, deps: RouteDeps): Promise<void> {
  const minor = ctx.state.minor;
  const body = validateNodeCreate(ctx.state.body);
  rejectNewerFields(body, minor);
  checkNetworkData(body.network_data);
  if (typeof body.name === 'string') checkNodeName(body.name, minor, 'Cannot create node with invalid name');

  const explicit: Partial<Record<InterfaceField, string | null>> = {};
  for (const k of INTERFACE_KINDS) {
    const v = body[`${k}_interface`];
    if (typeof v === 'string') explicit[`${k}_interface`] = v;
  }
  const uuid = (body.uuid as string | null) ?? randomUUID();
  const conductorGroup = ((body.conductor_group as string | null) ?? '').toLowerCase();
  // Like Ironic's get_topic_for: with conductors, one must serve this driver in this group (else 400 NoValidHost).
  await checkServed(deps, { uuid, driver: body.driver as string, conductor_group: conductorGroup });
  const interfaces = deps.registry.resolveInterfaces(body.driver as string, explicit);

  const values: Values<NodeRecord> = {
    uuid,
    name: (body.name as string | null) ?? null,
    driver: body.driver as string,
    driver_info: (body.driver_info as NodeRecord['driver_info']) ?? {},
    properties: (body.properties as NodeRecord['properties']) ?? {},
    instance_info: (body.instance_info as NodeRecord['instance_info']) ?? {},
    extra: (body.extra as NodeRecord['extra']) ?? {},
    network_data: (body.network_data as NodeRecord['network_data']) ?? {},
    instance_uuid: (body.instance_uuid as string | null) ?? null,
    provision_state: minor >= 11 ? 'enroll' : 'available',
    maintenance: body.maintenance === true,
    console_enabled: body.console_enabled === true,
    retired: body.retired === true,
    retired_reason: (body.retired_reason as string | null) ?? null,
    automated_clean: (body.automated_clean as boolean | null) ?? null,
    resource_class: (body.resource_class as string | null) || ((deps.settings.default_resource_class as string | undefined) ?? null),
    conductor_group: conductorGroup,
    description: (body.description as string | null) ?? null,
    owner: ctx.state.auth?.forceOwner ?? (body.owner as string | null) ?? null,
    lessee: (body.lessee as string | null) ?? null,
    shard: (body.shard as string | null) ?? null,
    ...interfaces,
  };
  if (typeof body.chassis_uuid === 'string') {
    const ch = await getNodeChassis(deps.db, body.chassis_uuid);
    values.chassis_id = ch.id;
  }
  if (typeof body.parent_node === 'string') values.parent_node = await resolveParentNode(deps.db, body.parent_node, minor);
  if (body.disable_power_off !== undefined && body.disable_power_off !== null) values.disable_power_off = body.disable_power_off === true;
  if (typeof body.instance_name === 'string') values.instance_name = body.instance_name;
  const node = await deps.db.nodes.create(values);
  const base = baseUrl(ctx, deps.settings);
  ctx.status = 201;
  ctx.set('Location', `${base}/v1/nodes/${node.uuid}`);
  ctx.body = renderNode({ ...node, traits: node.traits ?? [] }, minor, base, undefined, await nodeExtras(deps, node, minor));
}
