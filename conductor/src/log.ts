/**
 * Anvil's logger (API and conductor): pino JSON lines on stderr, pretty text on a terminal (pino-pretty), levels
 * debug|info|warn|error (setting log_level / ANVIL_LOG_LEVEL, default info; log_format json|pretty|auto).
 * The request being served (its id, global id and project) lives in an AsyncLocalStorage: the API sets it per
 * request, the RPC transports carry it to the conductor (Kafka header x-openstack-request-id), and every line
 * logged while serving it — access log, conductor task, BMC call — carries `request_id`.
 * Callers pass only safe fields: never driver_info, instance_info, tokens or config drives.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskLogger } from '@anvil/sdk';
import pino from 'pino';
import pretty from 'pino-pretty';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export interface Logger extends TaskLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** The request a piece of work serves; carried across RPC. */
export interface RequestContext {
  request_id: string;
  /** an inbound X-Openstack-Request-Id kept as the global id (oslo's global_request_id) */
  global_request_id?: string;
  project?: string | null;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
/** Kafka header (and HTTP header) carrying the request id between processes */
export const REQUEST_ID_HEADER = 'x-openstack-request-id';

export const currentRequest = (): RequestContext | undefined => requestContext.getStore();

/** Run `fn` as part of request `ctx` (no-op wrapper when ctx is undefined). */
export function withRequest<T>(ctx: RequestContext | undefined, fn: () => T): T {
  return ctx ? requestContext.run(ctx, fn) : fn();
}

let root: pino.Logger | null = null;

function rootLogger(): pino.Logger {
  if (root) return root;
  const format = process.env.ANVIL_LOG_FORMAT ?? 'auto';
  const usePretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  const stream = usePretty ? pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : pino.destination({ fd: 2, sync: true });
  root = pino(
    {
      level: 'debug',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const r = requestContext.getStore();
        if (!r) return {};
        return r.global_request_id ? { request_id: r.request_id, global_request_id: r.global_request_id } : { request_id: r.request_id };
      },
    },
    stream,
  );
  return root;
}

export function createLogger(base: Record<string, unknown> = {}, level = process.env.ANVIL_LOG_LEVEL ?? 'info'): Logger {
  const lvl: Level = (LEVELS as readonly string[]).includes(level) ? (level as Level) : 'info';
  const p = rootLogger().child(base, { level: lvl });
  const emit = (l: Level) => (msg: string, fields?: Record<string, unknown>) => (fields ? p[l](fields, msg) : p[l](msg));
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (f) => createLogger({ ...base, ...f }, lvl),
  };
}
