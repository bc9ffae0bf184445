/**
 * The chaos world (issue #19 item 8), shared by test/conductor/chaos.test.ts (short) and bench/chaos-bench.ts
 * (long): 1 `anvil api` + N `anvil conductor` processes over a private Kafka broker (scripts/services/kafka.sh
 * instance, so restarting it disturbs no other suite) and MariaDB behind a cuttable TCP proxy; a client that
 * records every request the API accepted; and the three counts that must be zero after every fault:
 * nodes in a transient state past their deadline (conductor/src/states/deadlines.ts), locks held by hosts that are
 * not live conductors, and lost requests (accepted, yet neither done nor failed with a reason).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AllocationRecord, NodeRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { transientDeadline, STUCK_STATES_TREATED_AS_FAIL, WAIT_STATES } from '@anvil/conductor';
import { TcpProxy } from '../tcp-proxy.ts';
import { sleep } from '../wait.ts';
import { type Cluster, ironicClient, pool, startCluster } from './cluster.ts';

const kafkaScript = new URL('../../scripts/services/kafka.sh', import.meta.url).pathname;

export interface Broker {
  brokers: string;
  down(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A private broker instance (its own port and data; `down` + `start` is a broker restart). */
export async function privateBroker(instance: string): Promise<Broker> {
  const run = async (cmd: string) =>
    (
      await promisify(execFile)('bash', [kafkaScript, cmd], {
        env: { ...process.env, ANVIL_KAFKA_INSTANCE: instance, ANVIL_KAFKA_OWNER_PID: String(process.pid) },
        timeout: 120_000,
      })
    ).stdout;
  await run('start');
  const brokers = (await run('env')).trim().split('=')[1];
  return { brokers, down: async () => void (await run('down')), start: async () => void (await run('start')), stop: async () => void (await run('stop')) };
}

export interface Outcome {
  phase: string;
  transient: number;
  stuckPastDeadline: number;
  locksByDeadHosts: number;
  lostRequests: number;
  detail: string[];
}

/** What a node must show after an accepted verb: its end state, or a failure state with last_error. */
const END: Record<string, string[]> = { active: ['active'], deleted: ['available'], provide: ['available'], manage: ['manageable'] };
const FAILED = ['deploy failed', 'clean failed', 'error', 'inspect failed', 'rescue failed', 'adopt failed'];

export class ChaosWorld {
  /** Last accepted verb per node (Nova-like clients retry 409/503 and connection errors). */
  readonly accepted = new Map<string, string>();
  readonly allocations = new Set<string>();
  /** refused with 400 although the request ran, after only clean refusals (see verb()); must stay 0 */
  refusedThoughDone = 0;
  refused = 0;
  /** Why requests were refused (status and error), for the record. */
  readonly refusals: string[] = [];
  /** 500 answers seen (each retried). */
  readonly errors: string[] = [];
  uuids: string[] = [];

  private constructor(
    readonly cluster: Cluster,
    readonly db: Database,
    readonly proxy: TcpProxy,
    readonly broker: Broker,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async start(opts: { mysqlUrl: string; conductors: number; instance: string; settings?: Record<string, string | number | boolean> }): Promise<ChaosWorld> {
    // the broker and the processes start together: conductors wait for the broker (startup.ts)
    const brokerStarting = privateBroker(opts.instance);
    const created = await createMysqlDatabase(opts.mysqlUrl);
    const db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
    const url = new URL(created.url);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
    await proxy.start();
    url.port = String(proxy.port);
    let broker: Broker | null = null;
    try {
      broker = await brokerStarting;
      const cluster = await startCluster({
        databaseUrl: url.toString(),
        brokers: broker.brokers,
        conductors: opts.conductors,
        settings: { rpc_response_timeout: 20, ...opts.settings },
      });
      return new ChaosWorld(cluster, db, proxy, broker, created.drop);
    } catch (err) {
      await Promise.all([proxy.close(), broker?.stop(), db.close()]);
      await created.drop();
      throw err;
    }
  }

  get call() {
    return ironicClient(this.cluster.apiUrl, '1.60');
  }

  /** Send one request until the API accepts or refuses it for a reason a retry cannot fix. */
  async request(method: string, path: string, body: unknown, attempts = 120): Promise<{ status: number; body: any; error: string | null; ambiguous: boolean; trail: string[] }> {
    let last: { status: number; body: any; error: string | null } = { status: 0, body: null, error: 'never sent' };
    let ambiguous = false; // an earlier attempt may have run although it was not answered 2xx
    const trail: string[] = []; // each attempt: when it was sent and its status (printed with a 'refused though done')
    for (let i = 0; i < attempts; i++) {
      const sent = clock();
      try {
        last = await this.call(method, path, body);
      } catch (err) {
        last = { status: 0, body: null, error: String(err) }; // the API process is down: retry
      }
      trail.push(`${sent}→${clock()} ${last.status}${last.status === 409 ? ` (${/locked by host (\S+),/.exec(String(last.error))?.[1] ?? last.error})` : ''}`);
      if (last.status !== 0 && last.status !== 409 && last.status !== 503 && last.status !== 500) return { ...last, ambiguous, trail };
      // A 409 (node locked) is a clean refusal: nothing ran, retry. No clean answer: the API or the broker was down
      // (0), the database failed under the request (500), or a 503 — among them a call its conductor took and then
      // died under (the API never re-routes those: the takeover finishes or fails them).
      if (last.status !== 409) ambiguous = true;
      if (last.status === 500) this.errors.push(`${method} ${path}: ${last.error}`);
      await sleep(250);
    }
    return { ...last, ambiguous, trail };
  }

  /** Nodes made available directly in the database (setup, not a phase). */
  async availableNodes(n: number, group: string): Promise<string[]> {
    const made = await this.createNodes(n, group);
    for (const u of made) {
      await this.db.nodes.update(u, { provision_state: 'available', power_state: 'power off' });
      this.accepted.set(u, 'provide');
    }
    return made;
  }

  async createNodes(n: number, group: string): Promise<string[]> {
    const made = await pool(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
      const r = await this.request('POST', '/v1/nodes', { driver: 'fake-hardware', name: `chaos-${group}-${i}`, conductor_group: group, resource_class: 'chaos' });
      if (r.status !== 201) throw new Error(`node create: HTTP ${r.status} ${r.error}`);
      return r.body.uuid as string;
    });
    this.uuids.push(...made);
    return made;
  }

  /**
   * A provision verb; a 202 is recorded as accepted. A request first answered 503 (its reply lost in an outage)
   * and then refused may have run after all: either outcome is then a correct end (recorded as "prev|verb").
   */
  async verb(uuid: string, target: string): Promise<boolean> {
    // already where the verb leads (an earlier verb was refused): a 400 then is a plain refusal, nothing ran
    const already = (END[target] ?? []).includes((await this.db.nodes.getByUuid(uuid)).provision_state);
    const r = await this.request('PUT', `/v1/nodes/${uuid}/states/provision`, { target });
    if (r.status === 202) {
      this.accepted.set(uuid, target);
      return true;
    }
    // Refused "in state X" with X where the verb leads, every earlier answer a clean refusal (409): the request ran
    // although the client was only ever told it did not — an API re-routing a call its killed conductor had taken
    // (fixed: such a call is answered 503). Counted apart; the chaos test asserts 0.
    const movedOn = /while it is in state "([^"]+)"/.exec(String(r.error))?.[1];
    const doneMeanwhile = r.status === 400 && !already && movedOn !== undefined && (END[target] ?? []).includes(movedOn);
    if (doneMeanwhile && !r.ambiguous) this.refusedThoughDone++;
    if (r.ambiguous || doneMeanwhile) this.accepted.set(uuid, `${this.accepted.get(uuid) ?? ''}|${target}`);
    this.refused++;
    const thoughDone = doneMeanwhile && !r.ambiguous ? `refused though done (attempts ${r.trail.join(', ')}): ` : '';
    this.refusals.push(`${clock().slice(0, 8)} ${target} on ${uuid}: ${thoughDone}HTTP ${r.status} ${r.error}`);
    return false;
  }

  async allocate(): Promise<string | null> {
    const r = await this.request('POST', '/v1/allocations', { resource_class: 'chaos' }, 1);
    if (r.status !== 201) return null;
    this.allocations.add(r.body.uuid);
    return r.body.uuid;
  }

  async nodes(): Promise<NodeRecord[]> {
    return this.db.nodes.list({ filters: { uuid_in: this.uuids }, limit: 100_000 });
  }

  /** Wait (bounded) until no node is transient or locked and no allocation is allocating. */
  async quiesce(timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const busy = (await this.nodes()).filter((n) => n.reservation || isTransient(n.provision_state)).length;
      const allocating = (await this.db.allocations.list({ filters: { state: 'allocating' }, limit: 100_000 })).length;
      if (busy === 0 && allocating === 0) break;
      await sleep(250);
    }
    return Date.now() - started;
  }

  /** The three counts (and how many nodes are still transient, for the record). */
  async count(phase: string): Promise<Outcome> {
    const now = Date.now();
    const alive = new Set((await this.db.conductors.listAlive(6)).map((c) => c.hostname));
    const heartbeats = new Map((await this.db.conductors.list({ limit: 1000 })).map((c) => [c.hostname, Date.parse(c.updated_at ?? c.created_at)]));
    const settings = { heartbeat_interval: 2, heartbeat_timeout: 6, check_provision_state_interval: 60 };
    const out: Outcome = { phase, transient: 0, stuckPastDeadline: 0, locksByDeadHosts: 0, lostRequests: 0, detail: [] };
    for (const n of await this.nodes()) {
      const transient = isTransient(n.provision_state);
      if (transient) out.transient++;
      const holderBeat = n.reservation && !alive.has(n.reservation) ? (heartbeats.get(n.reservation) ?? 0) : null;
      const d = transientDeadline(n, settings, holderBeat);
      if (d?.at != null && d.at < now) {
        out.stuckPastDeadline++;
        out.detail.push(`stuck: ${n.uuid} ${n.provision_state} (${d.by} due ${now - d.at} ms ago)`);
      }
      if (n.reservation && !alive.has(n.reservation)) {
        out.locksByDeadHosts++;
        out.detail.push(`lock: ${n.uuid} held by ${n.reservation}`);
      }
      const verb = this.accepted.get(n.uuid);
      const ends = (verb ?? '').split('|').flatMap((v) => END[v] ?? []);
      if (verb && !ends.includes(n.provision_state) && !(FAILED.includes(n.provision_state) && n.last_error)) {
        out.lostRequests++;
        out.detail.push(`lost: ${verb} on ${n.uuid}, now ${n.provision_state}/${n.target_provision_state} err=${n.last_error}`);
      }
    }
    for (const uuid of this.allocations) {
      const a: AllocationRecord | null = await this.db.allocations.getByUuid(uuid).catch((e: { status?: number }) => {
        if (e?.status === 404) return null; // removed by the undeploy of its node: it was done
        throw e;
      });
      if (!a) continue;
      if (a.state === 'allocating' || (a.state === 'error' && !a.last_error)) {
        out.lostRequests++;
        out.detail.push(`lost allocation ${uuid}: ${a.state}`);
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.cluster.stop();
    await this.proxy.close();
    await this.broker.stop().catch(() => undefined);
    await this.db.close();
    await this.dropDb();
  }
}

const clock = () => new Date().toISOString().slice(11, 23);

export const isTransient = (s: string) => STUCK_STATES_TREATED_AS_FAIL.includes(s) || WAIT_STATES.includes(s);

/** One line per phase, then the totals (what `npm test` prints). */
export function summary(outcomes: Outcome[], extra: Record<string, number | string> = {}): string {
  const rows = outcomes.map((o) => `  ${o.phase.padEnd(34)} stuck past deadline ${o.stuckPastDeadline}, locks by dead hosts ${o.locksByDeadHosts}, lost requests ${o.lostRequests}`);
  const total = (k: 'stuckPastDeadline' | 'locksByDeadHosts' | 'lostRequests') => outcomes.reduce((s, o) => s + o[k], 0);
  const more = Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    'chaos summary:',
    ...rows,
    `  TOTAL stuck past deadline ${total('stuckPastDeadline')}, locks by dead hosts ${total('locksByDeadHosts')}, lost requests ${total('lostRequests')}${more ? ` (${more})` : ''}`,
  ].join('\n');
}

export interface ChaosPlan {
  /** Rounds of the four faults (the short suite runs one). */
  rounds: number;
  /** How long every database connection stays cut (ms). */
  dbCutMs: number;
  /** Allocations made while the API is killed, per round. */
  allocations: number;
  /** Settle bound per phase (ms). */
  settleMs: number;
  log?: (line: string) => void;
  /** Called after each phase with its counts (the test asserts here). */
  onPhase?: (o: Outcome) => void;
}

/**
 * The faults, one after the other, each while requests run: a conductor SIGKILLed mid-deploy (a different one
 * each round) and started again; the broker restarted mid-undeploy; the API SIGKILLed mid-allocation and started
 * again; every database connection cut mid-deploy. Each phase ends when the world settled; its counts are kept.
 */
export async function runChaos(w: ChaosWorld, uuids: string[], plan: ChaosPlan): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const t0 = Date.now();
  const conc = Math.min(6, uuids.length);
  const all = (target: string) => pool(uuids, conc, async (u) => void (await w.verb(u, target)));
  const phase = async (name: string) => {
    await w.quiesce(plan.settleMs);
    const o = await w.count(name);
    outcomes.push(o);
    plan.log?.(`${name}: done at ${Date.now() - t0} ms`);
    plan.onPhase?.(o);
  };
  for (let round = 0; round < plan.rounds; round++) {
    const tag = plan.rounds > 1 ? ` (round ${round + 1})` : '';
    // deploy everything that is not active yet (allocated nodes too)
    const victim = w.cluster.hostnames[round % w.cluster.hostnames.length];
    const deploys = all('active');
    await sleep(400);
    await w.cluster.kill(victim, 'SIGKILL');
    await deploys;
    await w.cluster.restart(victim);
    await phase(`conductor SIGKILLed mid-deploy${tag}`);

    const undeploys = all('deleted');
    await sleep(300);
    await w.broker.down();
    await sleep(1_000);
    await w.broker.start();
    await undeploys;
    await phase(`Kafka broker restarted${tag}`);

    const before = w.allocations.size;
    const allocs = Promise.all(Array.from({ length: plan.allocations }, (_, i) => sleep(i * 25).then(() => w.allocate())));
    for (let i = 0; i < 3000 && w.allocations.size < before + 2; i++) await sleep(10); // killed once allocations are being made (up to 30 s: slow on a loaded machine)
    await w.cluster.kill('api', 'SIGKILL');
    await allocs;
    await w.cluster.restart('api');
    await phase(`API SIGKILLed mid-allocation${tag}`);

    const again = all('active');
    await sleep(300);
    w.proxy.cut();
    await sleep(plan.dbCutMs);
    w.proxy.restore();
    await again;
    await phase(`MariaDB connections cut ${plan.dbCutMs / 1000} s${tag}`);
    // free the allocations for the next round (undeploy removes them)
    if (round + 1 < plan.rounds) {
      await all('deleted');
      await w.quiesce(plan.settleMs);
    }
  }
  return outcomes;
}
