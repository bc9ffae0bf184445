/**
 * Ironic's "fake" RAID interface: clean steps create_configuration / delete_configuration that copy
 * target_raid_config into raid_config (and clear it), so RAID flows can be exercised without disks.
 */
import {
  InvalidParameterValue,
  RAID_LOGICAL_DISK_PROPERTIES,
  type InterfaceFactory,
  type JsonObject,
  type RaidInterface,
  type StepDeclaration,
  type Task,
} from '@anvil/sdk';

export class FakeRaid implements RaidInterface {
  readonly cleanSteps: StepDeclaration[] = [
    { step: 'create_configuration', priority: 0, abortable: false, argsinfo: {} },
    { step: 'delete_configuration', priority: 0, abortable: false, argsinfo: {} },
  ];
  readonly deploySteps: StepDeclaration[] = [];
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async validateRaidConfig(_task: Task, config: JsonObject): Promise<void> {
    const disks = config.logical_disks;
    if (!Array.isArray(disks)) throw new InvalidParameterValue("RAID config must have a 'logical_disks' list.");
    for (const d of disks) {
      if (typeof d !== 'object' || d === null || Array.isArray(d) || d.size_gb === undefined || d.raid_level === undefined) {
        throw new InvalidParameterValue('Each logical disk needs size_gb and raid_level.');
      }
    }
  }
  getLogicalDiskProperties(): Record<string, string> {
    return { ...RAID_LOGICAL_DISK_PROPERTIES };
  }
  async executeStep(task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    if (step === 'create_configuration') await task.saveNode({ raid_config: task.node.target_raid_config });
    else if (step === 'delete_configuration') await task.saveNode({ raid_config: {} });
    else throw new InvalidParameterValue(`Unknown RAID step ${step}.`);
  }
}

const factory: InterfaceFactory<'raid'> = () => new FakeRaid();
export default factory;
