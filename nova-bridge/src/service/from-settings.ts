/**
 * The compute service from Anvil's settings (compute_* keys), for `anvil compute` and `anvil server`. Under
 * auth_strategy http_basic or keystone its API checks callers with the Ironic API's own middleware, and it calls the
 * baremetal API with compute_ironic_username/password (keystone: default the keystone_* service user).
 */
import type { Database } from '@anvil/db';
import type { Settings } from '@anvil/sdk';
import { authMiddleware } from '@anvil/api/auth';
import { type ApiState, isComputePublic } from '../api/app.ts';
import { serviceAuth } from '../client/api-auth.ts';
import { ComputeStore } from '../compute/store.ts';
import { ComputeService } from './compute-service.ts';

export async function startComputeService(settings: Settings, o: { db?: Database; log?: (m: string) => void } = {}): Promise<{ service: ComputeService; stop(): Promise<void> }> {
  // both before anything opens: a missing credential refuses start in one line
  const auth = serviceAuth(settings);
  const apiAuth = settings.auth_strategy === 'noauth' ? undefined : authMiddleware<ApiState>(settings, isComputePublic);
  const store = o.db ? new ComputeStore(o.db) : await ComputeStore.open(settings);
  const service = await ComputeService.start({
    endpoint: settings.compute_ironic_url ?? `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${settings.port}`,
    store,
    host: settings.compute_host ?? `${settings.hostname}-compute`,
    listen: { host: settings.host, port: settings.compute_port },
    maxAttempts: settings.compute_max_attempts,
    reportIntervalMs: settings.compute_report_interval * 1000,
    serviceDownTimeMs: settings.compute_service_down_time * 1000,
    resourceIntervalMs: settings.compute_resource_interval * 1000,
    powerSyncIntervalMs: settings.compute_power_sync_interval * 1000,
    log: o.log ?? ((m) => console.error(m)),
    auth,
    apiAuth,
  });
  return {
    service,
    async stop() {
      await service.stop();
      await store.close();
    },
  };
}
