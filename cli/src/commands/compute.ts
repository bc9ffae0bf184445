/**
 * `anvil compute`: the compute service alone (nova-bridge): the Nova-compatible compute API on compute_port,
 * builds, the resource tracker, power-state sync and the hash ring shared with other compute services on the
 * same database. Talks to the baremetal API at compute_ironic_url only through its public HTTP API.
 */
import { mkdirSync } from 'node:fs';
import { loadSettings, SETTINGS_HELP } from '../config.ts';
import { waitForSignal } from './signals.ts';

export const COMPUTE_HELP = `usage: anvil compute [options]

Runs one compute service: serves the compute API (/v2.1 servers, flavors, os-keypairs, os-availability-zone and
/image) for \`openstack server …\` and \`anvil server <verb>\`, builds instances on the baremetal API's nodes.
Several compute services on one --database-url share the nodes by a hash ring; a dead one's instances are
adopted by the others after compute_service_down_time.

  --compute-port N            ANVIL_COMPUTE_PORT            compute API port (default 8774)
  --compute-host NAME         ANVIL_COMPUTE_HOST            this service's name (default <hostname>-compute)
  --compute-ironic-url URL    ANVIL_COMPUTE_IRONIC_URL      baremetal API (default http://<host>:<port>)
  --set compute_max_attempts=3 / compute_report_interval=2 / compute_service_down_time=10 (s)
  --set compute_resource_interval=60 / compute_power_sync_interval=600 (s)

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { settings, help } = await loadSettings(argv);
  if (help) {
    console.log(COMPUTE_HELP);
    return 0;
  }
  if (!settings.database_url) mkdirSync(settings.data_dir, { recursive: true });
  const { startComputeService } = await import('@anvil/nova-bridge/service');
  const running = await startComputeService(settings);
  console.log(`anvil compute: ${running.service.host} serving the compute API on ${running.service.url} (baremetal API ${running.service.o.endpoint})`);
  await waitForSignal();
  await running.stop();
  return 0;
}
