/**
 * The chaos suite's BMC fault (issue #19 item 8: "20% of BMCs gone"): `ipmi` nodes (boot/deploy `fake`) whose
 * BMCs are in-process virtual BMCs (tools/agent-sim BmcFarm, real IPMI over UDP) read by the conductors' power
 * sync. The phase silences 20% of them for a while, deploys the others meanwhile, lets them answer again and
 * undeploys; then, besides the chaos counts, how many nodes went to maintenance (must be 0: one outage is an
 * incident, not N broken nodes) and how many incidents are still open after they answer (must be 0).
 */
import { BmcFarm } from '@anvil/agent-sim';
import { sleep } from '../wait.ts';
import type { ChaosWorld, Outcome } from './chaos.ts';
import { pool } from './cluster.ts';

/** Power sync settings that make the phase short (every process of the world gets them). */
export const BMC_CHAOS_SETTINGS = {
  enabled_hardware_types: 'fake-hardware,ipmi',
  sync_power_state_interval: 2,
  // Ironic's default: a conductor seeing only one silent BMC of an outage needs the others' incident within 4 rounds
  power_state_sync_max_retries: 3,
  power_failure_recovery_interval: 2,
  ipmi_attempt_timeout: 0.3,
  ipmi_retries: 1,
  bmc_incident_min_nodes: 2,
  bmc_incident_max_backoff: 4,
} as const;

export interface BmcPhaseCounts {
  bmcs: number;
  silenced: number;
  /** incidents opened during the outage (one per conductor that owns silent nodes) */
  incidents: number;
  /** ipmi nodes in maintenance at any check during or after the outage */
  maintenance: number;
  /** incidents still open once every BMC answers again and the world settled */
  stillOpen: number;
}

export class ChaosBmcs {
  private constructor(
    readonly farm: BmcFarm,
    readonly uuids: string[],
  ) {}

  /** `n` ipmi nodes made available (in the database, as ChaosWorld.availableNodes does), their BMCs powered off. */
  static async start(w: ChaosWorld, n: number): Promise<ChaosBmcs> {
    const farm = await BmcFarm.start({ count: n });
    const uuids = await pool(farm.bmcs, 8, async (b) => {
      const r = await w.request('POST', '/v1/nodes', {
        driver: 'ipmi',
        name: `chaos-bmc-${w.cluster.group}-${b.index}`,
        conductor_group: w.cluster.group,
        resource_class: 'chaos-bmc',
        boot_interface: 'fake',
        deploy_interface: 'fake',
        driver_info: { ipmi_address: b.host, ipmi_port: b.port, ipmi_username: b.username, ipmi_password: b.password, ipmi_cipher_suite: 3 },
      });
      if (r.status !== 201) throw new Error(`ipmi node create: HTTP ${r.status} ${r.error}`);
      return r.body.uuid as string;
    });
    for (const u of uuids) {
      await w.db.nodes.update(u, { provision_state: 'available', power_state: 'power off' });
      w.accepted.set(u, 'provide');
    }
    w.uuids.push(...uuids);
    return new ChaosBmcs(farm, uuids);
  }

  /** why each ipmi node went to maintenance (first seen) */
  readonly reasons = new Map<string, string>();

  private async maintenance(w: ChaosWorld): Promise<number> {
    const m = (await w.db.nodes.list({ filters: { uuid_in: this.uuids }, limit: 100_000 })).filter((n) => n.maintenance);
    for (const n of m) if (!this.reasons.has(n.uuid)) this.reasons.set(n.uuid, `${n.uuid} (owner ${n.conductor_affinity ?? '?'}): ${n.maintenance_reason}`);
    return m.length;
  }

  /**
   * Silence `fraction` of the BMCs for `goneMs` while the others deploy; then they answer again, the deployed ones
   * undeploy, and the world settles (bounded by settleMs). Returns the chaos counts with the BMC ones.
   */
  async gone(w: ChaosWorld, opts: { fraction: number; goneMs: number; settleMs: number; phase: string }): Promise<Outcome & { bmc: BmcPhaseCounts }> {
    const every = Math.max(1, Math.round(1 / opts.fraction));
    const silent = this.farm.bmcs.filter((b) => b.index % every === 0).map((b) => b.index);
    const silentUuids = new Set(silent.map((i) => this.uuids[i]));
    const others = this.uuids.filter((u) => !silentUuids.has(u));
    const t0 = new Date().toISOString();
    let maintenance = 0;
    this.farm.setSilent(silent, true);
    await pool(others, 6, async (u) => void (await w.verb(u, 'active')));
    const until = Date.now() + opts.goneMs;
    while (Date.now() < until) {
      maintenance = Math.max(maintenance, await this.maintenance(w));
      await sleep(500);
    }
    this.farm.setSilent(silent, false);
    await pool(others, 6, async (u) => void (await w.verb(u, 'deleted')));
    // settled: every incident of this phase resolved (bounded)
    const ours = async () => (await w.db.bmcIncidents.list({ limit: 1000 })).filter((i) => i.started_at >= t0);
    const deadline = Date.now() + opts.settleMs;
    while (Date.now() < deadline && (await ours()).some((i) => i.state === 'open')) await sleep(250);
    await w.quiesce(opts.settleMs);
    maintenance = Math.max(maintenance, await this.maintenance(w));
    const incidents = await ours();
    const o = await w.count(opts.phase);
    const bmc: BmcPhaseCounts = { bmcs: this.uuids.length, silenced: silent.length, incidents: incidents.length, maintenance, stillOpen: incidents.filter((i) => i.state === 'open').length };
    if (maintenance) o.detail.push(`${maintenance} ipmi nodes went to maintenance during the BMC outage`, ...this.reasons.values());
    if (bmc.stillOpen) {
      o.detail.push(`${bmc.stillOpen} BMC incidents still open after the BMCs answered again:`);
      for (const i of incidents.filter((x) => x.state === 'open')) o.detail.push(`  ${i.uuid} of ${i.conductor}, updated ${i.updated_at}, still down: ${i.nodes.join(' ')}`);
    }
    return { ...o, bmc };
  }

  async stop(): Promise<void> {
    await this.farm.stop();
  }
}

export const bmcLine = (c: BmcPhaseCounts): string =>
  `BMCs ${c.bmcs}, silenced ${c.silenced}, incidents ${c.incidents}, nodes put in maintenance ${c.maintenance}, incidents still open ${c.stillOpen}`;
