/**
 * The node as Nova's driver sees it: the fixed field set every SDK read asks for, and the reads themselves
 * (get by UUID, list, find by instance), all at the read microversion.
 */
import type { IronicClient } from '../client/ironic-client.ts';
import { IronicHttpError } from '../client/http-error.ts';
import { InstanceNotFound, NovaTimeout } from './nova-errors.ts';

export const NODE_FIELDS = [
  'uuid',
  'power_state',
  'target_power_state',
  'provision_state',
  'target_provision_state',
  'last_error',
  'maintenance',
  'properties',
  'instance_uuid',
  'traits',
  'resource_class',
] as const;

export interface NodeView {
  uuid: string;
  power_state: string | null;
  target_power_state: string | null;
  provision_state: string | null;
  target_provision_state: string | null;
  last_error: string | null;
  maintenance: boolean;
  properties: Record<string, unknown>;
  instance_uuid: string | null;
  traits: string[];
  resource_class: string | null;
}

/** Nova's power states (nova/compute/power_state.py names). */
export type NovaPowerState = 'RUNNING' | 'SHUTDOWN' | 'NOSTATE';

export function novaPowerState(ironic: string | null): NovaPowerState {
  if (ironic === 'power on') return 'RUNNING';
  if (ironic === 'power off') return 'SHUTDOWN';
  return 'NOSTATE';
}

const fieldsQuery = `fields=${NODE_FIELDS.join(',')}`;

function normalize(raw: Record<string, unknown>): NodeView {
  return {
    uuid: String(raw.uuid),
    power_state: (raw.power_state as string | null) ?? null,
    target_power_state: (raw.target_power_state as string | null) ?? null,
    provision_state: (raw.provision_state as string | null) ?? null,
    target_provision_state: (raw.target_provision_state as string | null) ?? null,
    last_error: (raw.last_error as string | null) ?? null,
    maintenance: Boolean(raw.maintenance),
    properties: (raw.properties as Record<string, unknown>) ?? {},
    instance_uuid: (raw.instance_uuid as string | null) ?? null,
    traits: Array.isArray(raw.traits) ? (raw.traits as string[]) : [],
    resource_class: (raw.resource_class as string | null) ?? null,
  };
}

export async function getNode(client: IronicClient, uuid: string): Promise<NodeView> {
  return normalize(await client.get<Record<string, unknown>>(`/v1/nodes/${encodeURIComponent(uuid)}?${fieldsQuery}`, 'read'));
}

/** `GET /v1/nodes?fields=…[&extra filters]`, following `next` links. */
export async function listNodes(client: IronicClient, filters: Record<string, string> = {}): Promise<NodeView[]> {
  const q = new URLSearchParams(filters).toString();
  let path: string | null = `/v1/nodes?${fieldsQuery}${q ? `&${q}` : ''}`;
  const out: NodeView[] = [];
  while (path) {
    const page: { nodes: Record<string, unknown>[]; next?: string } = await client.get(path, 'read');
    out.push(...page.nodes.map(normalize));
    path = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
  }
  return out;
}

/** Find the node holding an instance: 0 → null, 1 → node, more → hard error (as Nova). */
export async function findByInstance(client: IronicClient, instanceUuid: string): Promise<NodeView | null> {
  const nodes = await listNodes(client, { instance_uuid: instanceUuid });
  if (nodes.length > 1) throw new NovaTimeout(`more than one node is associated with instance ${instanceUuid}`);
  return nodes[0] ?? null;
}

export async function requireByInstance(client: IronicClient, instanceUuid: string): Promise<NodeView> {
  const node = await findByInstance(client, instanceUuid);
  if (!node) throw new InstanceNotFound(`instance ${instanceUuid} could not be found on any node`);
  return node;
}

export async function nodeExists(client: IronicClient, uuid: string): Promise<NodeView | null> {
  try {
    return await getNode(client, uuid);
  } catch (err) {
    if (IronicHttpError.is(err, 404)) return null;
    throw err;
  }
}
