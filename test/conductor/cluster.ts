/**
 * A multi-process Anvil for tests and the benchmark: N `anvil conductor` processes and one `anvil api` process,
 * sharing a MariaDB database and talking over Kafka, each a real child process of `node cli/bin/anvil.js`.
 * A private conductor group keeps them apart from other suites using the same broker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forwardChildOutput } from '../child-output.ts';
import { freePort } from '../free-port.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const anvilBin = `${root}cli/bin/anvil.js`;

export interface ClusterOptions {
  databaseUrl: string;
  /** A database URL for conductor `i` instead of databaseUrl (e.g. through a test/tcp-proxy.ts proxy). */
  conductorDatabaseUrl?: (i: number) => string | undefined;
  brokers: string;
  conductors?: number;
  /** extra --set key=value for every process */
  settings?: Record<string, string | number | boolean>;
  logLevel?: string;
  /** Start the `anvil api` process too (default true); the benchmark hosts its API in-process instead. */
  api?: boolean;
}

export interface AnvilProc {
  name: string;
  /** The anvil arguments it was started with (restart uses them again). */
  args: string[];
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export interface Cluster {
  apiUrl: string;
  group: string;
  hostnames: string[];
  procs: Map<string, AnvilProc>;
  kill(hostname: string, signal?: NodeJS.Signals): Promise<void>;
  /** Start a killed process again with the same arguments (same hostname / port). */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Start `anvil <args>`; resolves once a line matches `ready`. `output` (optional) collects stdout+stderr from the start. */
export function launch(name: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv, timeoutMs = 60_000, output: string[] = []): Promise<AnvilProc> {
  // ANVIL_NODE_ARGS: extra node flags for every process (e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile them)
  const nodeArgs = (process.env.ANVIL_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, anvilBin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  forwardChildOutput(child, name);
  // 'close', not 'exit': at 'exit' the last lines written may still sit in the pipes, unread
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.join('').slice(-4000)}`));
    }, timeoutMs);
    // ANVIL_TEST_LOG_DIR: every process's whole output also appended to DIR/<name>.log (a restart appends)
    const logDir = process.env.ANVIL_TEST_LOG_DIR;
    const keep = (s: string) => {
      output.push(s);
      if (output.length > 2000) output.splice(0, output.length - 2000);
      if (logDir) appendFileSync(`${logDir}/${name}.log`, s);
    };
    const onData = (buf: Buffer) => {
      const s = buf.toString();
      keep(s);
      if (ready.test(s)) {
        clearTimeout(timer);
        resolve({ name, args, child, output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => keep(b.toString()));
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output.join('').slice(-4000)}`));
    });
  });
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const tag = randomBytes(4).toString('hex');
  const group = `ct${tag}`;
  const n = opts.conductors ?? 3;
  const common = [
    '--rpc-transport', 'kafka',
    '--kafka-brokers', opts.brokers,
    '--conductor-group', group,
    '--set', 'enabled_hardware_types=fake-hardware',
    '--set', 'rpc_response_timeout=15',
    // `anvil api` would also serve the Inspector-compatible API on the fixed port 5050
    '--set', 'inspector_api_enabled=false',
    ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ];
  const env = { ...process.env, ANVIL_LOG_LEVEL: opts.logLevel ?? 'warn' };
  const hostnames = Array.from({ length: n }, (_, i) => `cond-${tag}-${i}`);
  const procs = new Map<string, AnvilProc>();
  try {
    const started = await Promise.all(
      hostnames.map((h, i) => {
        const db = opts.conductorDatabaseUrl?.(i) ?? opts.databaseUrl;
        return launch(h, ['conductor', '--database-url', db, ...common, '--hostname', h], /anvil conductor: /, env);
      }),
    );
    for (const p of started) procs.set(p.name, p);
    let apiUrl = '';
    if (opts.api !== false) {
      const port = await freePort();
      const api = await launch('api', ['api', '--database-url', opts.databaseUrl, ...common, '--hostname', `api-${tag}`, '--port', String(port)], /listening on/, env);
      procs.set('api', api);
      apiUrl = `http://127.0.0.1:${port}`;
    }
    return {
      apiUrl,
      group,
      hostnames,
      procs,
      async kill(hostname, signal = 'SIGKILL') {
        const p = procs.get(hostname);
        if (!p) return;
        p.child.kill(signal);
        await p.exited;
      },
      async restart(name) {
        const p = procs.get(name);
        if (!p) throw new Error(`no process ${name}`);
        if (p.child.exitCode === null && p.child.signalCode === null) throw new Error(`${name} is still running`);
        const ready = name === 'api' ? /listening on/ : /anvil conductor: /;
        procs.set(name, await launch(name, p.args, ready, env));
      },
      async stop() {
        await Promise.all(
          [...procs.values()].map(async (p) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return;
            p.child.kill('SIGTERM');
            const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
            await p.exited;
            clearTimeout(t);
          }),
        );
      },
    };
  } catch (err) {
    for (const p of procs.values()) p.child.kill('SIGKILL');
    throw err;
  }
}

/** A tiny Ironic client for the tests and the benchmark (JSON, microversion header, Ironic error text). */
export function ironicClient(base: string, version = '1.46') {
  return async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; error: string | null }> {
    const r = await fetch(base + path, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const parsed = text ? JSON.parse(text) : null;
    let error: string | null = null;
    if (parsed?.error_message) {
      const inner = JSON.parse(parsed.error_message);
      error = inner.faultstring ?? inner.description ?? parsed.error_message;
    }
    return { status: r.status, body: parsed, error };
  };
}

/** Run fn over items with at most `limit` at once. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
