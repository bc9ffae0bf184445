/**
 * Ironic's "fake" BIOS interface (21.4): clean steps only — apply_configuration (required `settings`) makes the
 * node's cached BIOS settings exactly the given name/value list, factory_reset removes them all,
 * cache_bios_settings does nothing.
 */
import { InvalidParameterValue, type BiosInterface, type InterfaceFactory, type JsonObject, type StepDeclaration, type Task } from '@anvil/sdk';

/** The TypeError Ironic's fake apply_configuration raises when `settings` is not a list (its loop over it fails). */
function notAList(v: unknown): string {
  if (typeof v === 'string' || (v !== null && typeof v === 'object')) return "string indices must be integers, not 'str'";
  const type = v === null || v === undefined ? 'NoneType' : typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int' : 'float';
  return `'${type}' object is not iterable`;
}

export class FakeBios implements BiosInterface {
  readonly ironicClass = 'FakeBIOS';
  readonly cleanSteps: StepDeclaration[] = [
    {
      step: 'apply_configuration',
      priority: 0,
      abortable: false,
      argsinfo: { settings: { description: 'List of BIOS settings, each item needs to contain a dictionary with name/value pairs', required: true } },
    },
    { step: 'factory_reset', priority: 0, abortable: false, argsinfo: {} },
    { step: 'cache_bios_settings', priority: 0, abortable: false, argsinfo: {} },
  ];
  /** Anvil also offers these two as deploy steps (Ironic 21.4 silently skips them: skip_missing). */
  readonly deploySteps: StepDeclaration[] = [
    { step: 'apply_configuration', priority: 0, argsinfo: { settings: { description: 'List of BIOS settings, each item needs to contain a dictionary with name/value pairs', required: true } } },
    { step: 'factory_reset', priority: 0, argsinfo: {} },
  ];
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async cacheBiosSettings(_task: Task): Promise<void> {}
  async executeStep(task: Task, step: string, args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    if (step === 'apply_configuration') {
      const settings = args.settings;
      if (!Array.isArray(settings)) throw new InvalidParameterValue(notAList(settings));
      await task.saveBiosSettings?.(
        settings.map((s) => {
          const o = (s ?? {}) as JsonObject;
          return { name: String(o.name), value: o.value === null || o.value === undefined ? null : String(o.value) };
        }),
      );
    } else if (step === 'factory_reset') await task.saveBiosSettings?.([]);
    else if (step !== 'cache_bios_settings') throw new InvalidParameterValue(`Unknown BIOS step ${step}.`);
  }
}

const factory: InterfaceFactory<'bios'> = () => new FakeBios();
export default factory;
