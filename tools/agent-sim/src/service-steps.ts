/**
 * IPA's `service` extension (ironic_python_agent/extensions/service.py) with the GenericHardwareManager's service
 * steps as IPA lists them: `get_service_steps` (synchronous) and `execute_service_step` (asynchronous; the result
 * names the step so the conductor can match it). Simulated: burnin_cpu and burnin_memory take
 * driver_info agent_burnin_cpu_timeout / agent_burnin_memory_timeout seconds (0.3 s when unset, at most 30 s);
 * burnin_network fails as IPA's does without a partner config; every other listed step answers IPA's
 * "could not find method" error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandFailed, HW_VERSION } from './agent-common.ts';
import type { Handler } from './agent.ts';

const step = (name: string, iface: string, abortable: boolean | null) => ({
  step: name,
  priority: 0,
  interface: iface,
  reboot_requested: false,
  ...(abortable === null ? {} : { abortable }),
});

/** GenericHardwareManager.get_service_steps (IPA master), in its order. */
export const SERVICE_STEPS = [
  step('delete_configuration', 'raid', true),
  step('apply_configuration', 'raid', null),
  step('create_configuration', 'raid', true),
  step('burnin_cpu', 'deploy', true),
  step('burnin_gpu', 'deploy', true),
  step('burnin_memory', 'deploy', true),
  step('burnin_network', 'deploy', true),
  step('write_image', 'deploy', null),
  step('inject_files', 'deploy', null),
  step('execute_bootc_install', 'deploy', null),
];

async function burnin(node: Record<string, any>, key: string): Promise<void> {
  const seconds = Number(node?.driver_info?.[key]);
  await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 300);
}

const RUN: Record<string, (node: Record<string, any>) => Promise<unknown>> = {
  burnin_cpu: (node) => burnin(node, 'agent_burnin_cpu_timeout'),
  burnin_memory: (node) => burnin(node, 'agent_burnin_memory_timeout'),
  burnin_network: async (node) => {
    const info = node?.driver_info ?? {};
    if (!info.agent_burnin_fio_network_config && !info.agent_burnin_fio_network_pairing_backend_url) {
      // IPA's burnin.fio_network raises CleaningError (message "Clean step failed") with these details
      throw new CommandFailed('CleaningError', 'Clean step failed', 'fio (network): dynamic pairing config is missing agent_burnin_fio_network_pairing_backend_url');
    }
    await burnin(node, 'agent_burnin_fio_network_runtime');
  },
};

export const SERVICE_COMMANDS: Record<string, Handler> = {
  get_service_steps: {
    async: false,
    run: async () => ({ service_steps: { GenericHardwareManager: SERVICE_STEPS }, hardware_manager_version: HW_VERSION }),
  },
  execute_service_step: {
    async: true,
    run: async (_a, p) => {
      const name = p.step?.step;
      if (typeof name !== 'string') throw new CommandFailed('ValueError', `Malformed service_step, no "step" key: ${JSON.stringify(p.step)}`);
      const run = RUN[name];
      if (!run) throw new CommandFailed('HardwareManagerMethodNotFound', `Could not find method: ${name}`);
      return { service_result: (await run(p.node ?? {})) ?? null, service_step: p.step };
    },
  },
};
