/** The RPC transport the settings ask for: in-process (one per process, shared) or Kafka (kafka_brokers). */
import type { RpcTransport, Settings } from '@anvil/sdk';
import type { Logger } from '../log.ts';
import { LocalTransport } from './local.ts';

let shared: LocalTransport | null = null;

/** The process-wide in-process transport (API and conductor in one process talk through it). */
export function localTransport(log?: Logger): LocalTransport {
  if (!shared) shared = new LocalTransport(log);
  return shared;
}

export async function createTransport(settings: Settings, log?: Logger): Promise<RpcTransport> {
  if (settings.rpc_transport === 'kafka') {
    const { kafkaTransportFromSettings } = await import('./kafka.ts');
    const rpcLog = log ? (level: 'debug' | 'info' | 'warn' | 'error', message: string) => log[level](message) : undefined;
    return kafkaTransportFromSettings(settings, rpcLog);
  }
  return localTransport(log);
}
