/**
 * Ironic's `direct` deploy interface (agent.AgentDeploy + agent_base mixins): deploy steps deploy(100),
 * write_image(80), prepare_instance_boot(60), tear_down_agent(40), switch_to_tenant_network(30), boot_instance(20);
 * agent clean steps erase_devices_metadata / erase_devices; heartbeat decides when a paused step is finished
 * (ipa-contract §3). Boot and network work is delegated to the node's boot and network interfaces.
 */
import { configDriveForInstanceInfo } from 'cloud-config-drive';
import {
  type DeployInterface,
  InstanceDeployFailure,
  type InterfaceFactory,
  type JsonObject,
  NodeCleaningFailure,
  PowerState,
  type StepDeclaration,
  type Task,
} from '@anvil/sdk';
import { agentClient, commandErrorText } from './agent-client.ts';
import { nodeForAgent, portsForAgent } from './agent-payload.ts';
import { executeAgentServiceStep, prepareInbandService, serviceHeartbeat, tearDownInbandService } from './service.ts';
import { buildImageInfo, isWholeDiskImage, validateInstanceInfo } from './image-info.ts';
import { collectLogs } from './logs.ts';
import { cachedSteps } from './step-cache.ts';
import { powerAction, wipeAgent } from './node-power.ts';
import { finalizeRescue } from './rescue-finalize.ts';
import { agentSettings } from './settings.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export class DirectDeploy implements DeployInterface {
  constructor(readonly config: Readonly<Record<string, unknown>> = {}) {}

  get deploySteps(): StepDeclaration[] {
    return [
      { step: 'deploy', priority: 100 },
      { step: 'write_image', priority: 80 },
      { step: 'prepare_instance_boot', priority: 60 },
      { step: 'tear_down_agent', priority: 40 },
      { step: 'switch_to_tenant_network', priority: 30 },
      { step: 'boot_instance', priority: 20 },
    ];
  }

  get cleanSteps(): StepDeclaration[] {
    const s = agentSettings(this.config);
    return [
      { step: 'erase_devices_metadata', priority: s.eraseMetadataPriority, abortable: true, requires_ramdisk: true },
      { step: 'erase_devices', priority: s.eraseDevicesPriority, abortable: true, requires_ramdisk: true },
    ];
  }

  getProperties() {
    return {
      deploy_forces_oob_reboot: 'Whether Ironic should force a reboot of the Node via the out-of-band channel after deployment is complete. Provides compatibility with older deploy ramdisks. Defaults to False. Optional.',
      agent_verify_ca: 'Either a Boolean value, a path to a CA_BUNDLE file or directory with certificates of trusted CAs. If set to True the driver will verify the host certificates; if False the driver will ignore verifying the SSL certificate. Optional.',
    };
  }

  async validate(task: Task): Promise<void> {
    await task.driver.get('boot').validate(task);
    if (['deploying', 'available', 'wait call-back', 'active'].includes(task.node.provision_state) || task.node.instance_info.image_source) {
      validateInstanceInfo(task.node.instance_info);
    }
  }

  async prepare(task: Task): Promise<void> {
    if (task.node.provision_state !== 'deploying') {
      if (task.node.provision_state === 'active') await task.driver.get('boot').prepareInstance(task);
      return;
    }
    await powerAction(task, PowerState.OFF);
    const net = task.driver.get('network');
    await net.unconfigureTenantNetworks(task);
    await net.addProvisioningNetwork(task);
    await task.setInternalInfo({ is_whole_disk_image: isWholeDiskImage(task.node.instance_info) });
    await task.driver.get('boot').prepareRamdisk(task, {});
  }

  async deploy(task: Task): Promise<'done' | 'wait'> {
    await powerAction(task, PowerState.REBOOT as 'rebooting');
    return 'wait';
  }

  async executeStep(task: Task, step: string, args: JsonObject, kind: 'clean' | 'deploy' | 'service'): Promise<'wait' | undefined> {
    const s = agentSettings(this.config, task);
    if (kind === 'service') return executeAgentServiceStep(task, agentClient(task, s.commandTimeoutMs), step, args);
    if (kind === 'clean') {
      const client = agentClient(task, s.commandTimeoutMs);
      const r = await client.command('clean.execute_clean_step', {
        step: { interface: 'deploy', step, args, priority: (task.node.clean_step as JsonObject).priority ?? 0 },
        node: nodeForAgent(task, false),
        ports: portsForAgent(task),
        clean_version: task.node.driver_internal_info.hardware_manager_version ?? null,
      }, false);
      if (r.command_status === 'FAILED') throw new InstanceDeployFailure(commandErrorText(r));
      return 'wait';
    }
    switch (step) {
      case 'deploy':
        return (await this.deploy(task)) === 'wait' ? 'wait' : undefined;
      case 'write_image': {
        const image = buildImageInfo(task.node.uuid, task.node.instance_info) as unknown as JsonObject;
        const cd = task.node.instance_info.configdrive;
        const configdrive = cd ? configDriveForInstanceInfo(cd as string, { uuid: task.node.uuid, name: task.node.name }) : null;
        if (configdrive) image.configdrive = configdrive;
        const r = await agentClient(task, s.commandTimeoutMs).command('deploy.execute_deploy_step', {
          step: { interface: 'deploy', step: 'write_image', args: { image_info: image, configdrive }, priority: 80 },
          node: nodeForAgent(task, true),
          ports: portsForAgent(task),
          deploy_version: task.node.driver_internal_info.hardware_manager_version ?? null,
        }, false);
        if (!r?.command_status) throw new InstanceDeployFailure('The agent did not accept write_image');
        return 'wait';
      }
      case 'prepare_instance_boot':
        await this.prepareInstanceBoot(task);
        return;
      case 'tear_down_agent':
        await this.tearDownAgent(task);
        return;
      case 'switch_to_tenant_network': {
        const net = task.driver.get('network');
        await net.removeProvisioningNetwork(task);
        await net.configureTenantNetworks(task);
        return;
      }
      case 'boot_instance':
        await powerAction(task, PowerState.ON);
        return;
      default:
        throw new InstanceDeployFailure(`Unknown deploy step ${step}`);
    }
  }

  private async prepareInstanceBoot(task: Task): Promise<void> {
    const s = agentSettings(this.config, task);
    const client = agentClient(task, s.commandTimeoutMs);
    const whole = task.node.driver_internal_info.is_whole_disk_image !== false;
    const uuids = await client.command('standby.get_partition_uuids', {}, true);
    const res = (uuids.command_result ?? {}) as Record<string, unknown>;
    const root = (res['root uuid'] ?? res.root_uuid ?? null) as string | null;
    await task.setInternalInfo({ root_uuid_or_disk_id: root });
    const mode = String(task.node.driver_internal_info.deploy_boot_mode ?? task.node.properties.capabilities ?? '').includes('bios') ? 'bios' : 'uefi';
    if (!whole || mode === 'uefi') {
      const params = { root_uuid: root, efi_system_part_uuid: res['efi system partition uuid'] ?? null, prep_boot_part_uuid: null, target_boot_mode: mode };
      await client.command('image.install_bootloader', params, false);
      const done = await client.waitFor('install_bootloader', s.commandWaitMs);
      if (done.command_status === 'FAILED') throw new InstanceDeployFailure(`Failed to install a bootloader when deploying node ${task.node.uuid}. Error: ${commandErrorText(done)}`);
    }
    await task.driver.get('management').setBootDevice(task, 'disk', true);
    await task.driver.get('boot').prepareInstance(task);
  }

  /** Soft power off through the agent; poll the BMC; hard off when the node is still on after the retries. */
  private async tearDownAgent(task: Task): Promise<void> {
    const s = agentSettings(this.config, task);
    await collectLogs(task, s, false, 'deploy');
    const power = task.driver.get('power');
    let off = false;
    try {
      await agentClient(task, s.commandTimeoutMs).command('standby.power_off', {}, false);
      for (let i = 0; i < s.powerOffRetries && !off; i++) {
        await sleep(s.powerOffRetryMs);
        off = (await power.getPowerState(task)) === PowerState.OFF;
      }
    } catch (err) {
      task.log.warn(`Soft power off through the agent failed for node ${task.node.uuid}; forcing it`, { error: (err as Error).message });
    }
    if (!off) await power.setPowerState(task, PowerState.OFF);
    await task.saveNode({ power_state: PowerState.OFF });
    await wipeAgent(task);
  }

  /** Agent heartbeat in a wait state: 'continue' when the ramdisk just booted or the running step ended. */
  async heartbeat(task: Task, _url: string, _version: string | null): Promise<'continue' | undefined> {
    const state = task.node.provision_state;
    const s = agentSettings(this.config, task);
    const client = agentClient(task, s.commandTimeoutMs);
    if (state === 'rescue wait') {
      await finalizeRescue(task, client);
      return 'continue';
    }
    if (state === 'service wait') return serviceHeartbeat(task, client);
    const kind = state === 'clean wait' ? 'clean' : 'deploy';
    const current = (kind === 'clean' ? task.node.clean_step : task.node.deploy_step) as JsonObject;
    const cacheKey = `agent_cached_${kind}_steps`;
    if (!task.node.driver_internal_info[cacheKey]) {
      // first heartbeat of this ramdisk run: load the in-band steps (Ironic's refresh_steps)
      try {
        const r = await client.command(`${kind}.get_${kind}_steps`, { node: nodeForAgent(task, false), ports: portsForAgent(task) }, true);
        await task.setInternalInfo(cachedSteps(kind, task.node.uuid, (r.command_result ?? {}) as JsonObject));
      } catch (err) {
        // Ironic's _heartbeat_clean_wait names the stage it failed in
        if (kind === 'clean') throw new NodeCleaningFailure(`Node failed to start the first cleaning step: ${(err as Error).message}`);
        throw err;
      }
    }
    if (!current?.step || (kind === 'deploy' && current.step === 'deploy')) return 'continue';
    const cmd = `execute_${kind}_step`;
    const last = await client.last();
    if (!last || last.command_name !== cmd) return;
    if (last.command_status === 'RUNNING') return;
    if (last.command_status === 'FAILED') {
      await collectLogs(task, s, true, kind);
      // Ironic's process_next_step: the cleaning error handler gets this message as it is
      if (kind === 'clean') throw new NodeCleaningFailure(`Clean step ${current.interface}.${current.step} failed on node ${task.node.uuid}. ${commandErrorText(last)}`);
      throw new InstanceDeployFailure(`Agent returned error for ${kind} step ${JSON.stringify(current)} on node ${task.node.uuid} : ${commandErrorText(last)}.`);
    }
    const done = (last.command_result?.[`${kind}_step`] ?? {}) as JsonObject;
    if (done.step !== current.step || (done.interface ?? current.interface) !== current.interface) return;
    return 'continue';
  }

  async prepareCleaning(task: Task): Promise<'done' | 'wait'> {
    await task.driver.get('network').addCleaningNetwork(task);
    await task.setInternalInfo({ agent_cached_clean_steps: null });
    await task.driver.get('boot').prepareRamdisk(task, {});
    await powerAction(task, PowerState.REBOOT as 'rebooting');
    return 'wait';
  }

  async tearDownCleaning(task: Task): Promise<void> {
    await collectLogs(task, agentSettings(this.config, task), false, 'cleaning');
    await powerAction(task, PowerState.OFF);
    await task.driver.get('boot').cleanUpRamdisk(task);
    await task.driver.get('network').removeCleaningNetwork(task);
  }

  /** Servicing with in-band steps: boot the agent (Ironic's prepare_inband_service); 'wait' for its heartbeat. */
  prepareService(task: Task): Promise<'done' | 'wait'> {
    return prepareInbandService(task);
  }

  tearDownService(task: Task): Promise<void> {
    return tearDownInbandService(task);
  }

  async tearDown(task: Task): Promise<void> {
    await powerAction(task, PowerState.OFF);
    const net = task.driver.get('network');
    await net.removeProvisioningNetwork(task);
    await net.unconfigureTenantNetworks(task);
  }

  async cleanUp(task: Task): Promise<void> {
    const boot = task.driver.get('boot');
    await boot.cleanUpRamdisk(task);
    await boot.cleanUpInstance(task);
  }

  async takeOver(task: Task): Promise<void> {
    if (task.node.provision_state === 'active') await task.driver.get('boot').prepareInstance(task);
  }
}

const factory: InterfaceFactory<'deploy'> = (config) => new DirectDeploy(config);
export default factory;
