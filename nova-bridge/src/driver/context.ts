/** What every driver operation needs: the API client, the wait strategy and Nova's options. */
import type { IronicClient } from '../client/ironic-client.ts';
import type { NodeWaiter } from '../events/waiter.ts';

export interface DriverConfig {
  /** this compute service's host name (instance_info.nova_host_id). */
  host: string;
  /** [ironic]partition_key: only nodes of this conductor group. */
  partitionKey?: string;
  /** [ironic]peer_list / live computes: hash ring members for unowned nodes (default: just this host). */
  peerList?: string[];
  /** [ironic]api_max_retries (60): destroy's poll budget is this + 1. */
  apiMaxRetries: number;
  /** [workarounds]skip_reserve_in_use_ironic_nodes */
  skipReserveInUse?: boolean;
  /** [DEFAULT]default_ephemeral_format */
  defaultEphemeralFormat?: string;
  /** seconds to sleep between VIF attach retries on "No conductor" (Nova: 10). */
  vifNoConductorSleepMs?: number;
}

export interface DriverContext {
  client: IronicClient;
  waiter: NodeWaiter;
  config: DriverConfig;
}

/** a node path segment */
export const nodePath = (uuid: string) => `/v1/nodes/${encodeURIComponent(uuid)}`;
