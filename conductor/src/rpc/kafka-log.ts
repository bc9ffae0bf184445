/**
 * Logging for the Kafka RPC transport: one small function type, a quiet default, and the log creator that keeps
 * kafkajs' own chatter (connection errors on every retry, rebalance notices) out of the way.
 */
import { logLevel } from 'kafkajs';
import type { logCreator } from 'kafkajs';
import { createLogger, type Logger } from '../log.ts';

export type RpcLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type RpcLog = (level: RpcLogLevel, message: string) => void;

let logger: Logger | null = null;
/** Default: warnings and errors as JSON log lines (log.ts), the rest dropped. */
export const stderrLog: RpcLog = (level, message) => {
  if (level !== 'warn' && level !== 'error') return;
  logger ??= createLogger({ component: 'kafka-rpc' });
  logger[level](message);
};

/**
 * kafkajs logs through this. Its errors are mostly transient (the transport reports what matters itself, e.g. a
 * consumer that lost the broker), so every kafkajs line goes to our log at debug level.
 */
export function kafkajsLogCreator(log: RpcLog): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      if (level === logLevel.NOTHING) return;
      log('debug', `kafkajs ${logLevel[level] ?? level} [${namespace}] ${entry.message}`);
    };
}
