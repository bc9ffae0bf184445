/**
 * Prometheus metrics of one Anvil process (prom-client), served as /metrics by the API and by `anvil conductor`
 * (metrics-server.ts). One registry per process; the series are created here once and observed where the work
 * happens: HTTP (api access-log middleware), RPC (rpcapi.ts), tasks and steps (task.ts), BMC calls (timed-driver.ts),
 * agent heartbeats (agent-callbacks.ts), Kafka consumer lag (kafka-consumer.ts). Gauges read at scrape time:
 * nodes by provision and power state (database), the database pool, live conductors.
 * Labels never carry node uuids, projects or secrets.
 */
import type { Database } from '@anvil/db';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'anvil_' }); // anvil_process_*, anvil_nodejs_*

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
const registers = [metricsRegistry];

export const httpRequests = new Counter({ name: 'anvil_http_requests_total', help: 'HTTP requests served, by method, route template and status', labelNames: ['method', 'route', 'status'], registers });
export const httpDuration = new Histogram({ name: 'anvil_http_request_duration_seconds', help: 'HTTP request latency by method and route template', labelNames: ['method', 'route'], buckets: SECONDS, registers });
export const rpcDuration = new Histogram({ name: 'anvil_rpc_call_duration_seconds', help: 'RPC calls to conductors: latency by method and outcome', labelNames: ['method', 'outcome'], buckets: SECONDS, registers });
export const taskDuration = new Histogram({ name: 'anvil_task_duration_seconds', help: 'conductor tasks (a node lock held for one flow): duration by flow and outcome', labelNames: ['flow', 'outcome'], buckets: SECONDS, registers });
export const stepDuration = new Histogram({ name: 'anvil_step_duration_seconds', help: 'deploy/clean/service steps: duration by flow, interface and step', labelNames: ['flow', 'interface', 'step', 'outcome'], buckets: SECONDS, registers });
export const bmcDuration = new Histogram({ name: 'anvil_bmc_call_duration_seconds', help: 'calls to the BMC (power/management interfaces): latency by driver, interface and method', labelNames: ['driver', 'interface', 'method'], buckets: SECONDS, registers });
export const bmcFailures = new Counter({ name: 'anvil_bmc_call_failures_total', help: 'failed BMC calls by driver, interface and method', labelNames: ['driver', 'interface', 'method'], registers });
export const agentHeartbeats = new Counter({ name: 'anvil_agent_heartbeats_total', help: 'agent heartbeats received by the conductor, by provision state of the node', labelNames: ['provision_state'], registers });
export const kafkaLag = new Gauge({ name: 'anvil_kafka_consumer_lag', help: 'messages behind the end of the partition, as of the last batch read (Kafka RPC)', labelNames: ['topic', 'partition'], registers });
export const provisionTransitions = new Counter({ name: 'anvil_node_provision_transitions_total', help: 'provision state changes by the state entered', labelNames: ['to'], registers });

/** Database-backed gauges, read at scrape time (one process may hold several databases in tests: the last wins). */
let source: { db: Database; heartbeatTimeout: number } | null = null;

const nodes = new Gauge({
  name: 'anvil_nodes',
  help: 'nodes by provision state and power state',
  labelNames: ['provision_state', 'power_state'],
  registers,
  async collect() {
    this.reset();
    if (!source) return;
    const rows = (await source.db.knex('nodes').select('provision_state', 'power_state').count({ n: '*' }).groupBy('provision_state', 'power_state')) as { provision_state: string; power_state: string | null; n: number | string }[];
    for (const r of rows) this.set({ provision_state: r.provision_state, power_state: r.power_state ?? 'None' }, Number(r.n));
  },
});
void nodes;

new Gauge({
  name: 'anvil_conductors_alive',
  help: 'conductors whose heartbeat is recent',
  registers,
  async collect() {
    if (source) this.set((await source.db.conductors.listAlive(source.heartbeatTimeout)).length);
  },
});

new Gauge({
  name: 'anvil_db_pool_connections',
  help: 'database connection pool: used, free and pending acquires',
  labelNames: ['state'],
  registers,
  collect() {
    const pool = (source?.db.knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } } | undefined)?.pool;
    if (!pool) return;
    this.set({ state: 'used' }, pool.numUsed());
    this.set({ state: 'free' }, pool.numFree());
    this.set({ state: 'pending' }, pool.numPendingAcquires());
  },
});

/** The database the scrape-time gauges read. */
export function watchDatabase(db: Database, heartbeatTimeout = 6): void {
  source = { db, heartbeatTimeout };
}

/** Time `fn` into a histogram with an outcome label (ok | error). */
export async function timed<T>(h: Histogram<string>, labels: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const end = h.startTimer(labels);
  try {
    const out = await fn();
    end({ outcome: 'ok' });
    return out;
  } catch (err) {
    end({ outcome: 'error' });
    throw err;
  }
}
