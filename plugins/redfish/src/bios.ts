/**
 * The `redfish` bios interface: cache the System's Bios Attributes (with the attribute registry's types, bounds and
 * allowable values when the BMC offers it) into the node's BIOS settings; clean/deploy steps `apply_configuration`
 * (PATCH the Bios @Redfish.Settings object, SettingsApplyTime when the BMC supports it) and `factory_reset`
 * (Bios.ResetBios). Settings pending a reboot are applied by the next power cycle; the cache is refreshed after.
 */
import { type BiosInterface, type BiosSettingInput, type InterfaceFactory, InvalidParameterValue, type JsonObject, type StepDeclaration, type Task, UnsupportedDriverExtension } from '@anvil/sdk';
import { type Json, link, memberIds, requireAction } from 'redfish-ts';
import { getSystem, type RedfishContext, redfishContext, rf } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';

const STEPS: StepDeclaration[] = [
  { step: 'apply_configuration', priority: 0, argsinfo: { settings: { description: 'A list of BIOS settings to be applied: [{"name": ..., "value": ...}]', required: true } } },
  { step: 'factory_reset', priority: 0, argsinfo: {} },
];

/** Registry entries by attribute name → BIOS setting fields (pure). */
export function settingsFrom(attributes: Json, registry: Json | null): BiosSettingInput[] {
  const entries = new Map<string, Json>();
  const list = ((registry?.RegistryEntries as Json | undefined)?.Attributes ?? []) as Json[];
  for (const e of list) if (typeof e.AttributeName === 'string') entries.set(e.AttributeName, e);
  return Object.entries(attributes).map(([name, value]) => {
    const e = entries.get(name);
    const values = Array.isArray(e?.Value) ? (e.Value as Json[]).map((v) => String(v.ValueName ?? v.ValueDisplayName)).filter(Boolean) : null;
    const n = (k: string) => (typeof e?.[k] === 'number' ? (e[k] as number) : null);
    const b = (k: string) => (typeof e?.[k] === 'boolean' ? (e[k] as boolean) : null);
    return {
      name,
      value: value === null || value === undefined ? null : String(value),
      attribute_type: typeof e?.Type === 'string' ? e.Type : null,
      allowable_values: values,
      lower_bound: n('LowerBound'),
      upper_bound: n('UpperBound'),
      min_length: n('MinLength'),
      max_length: n('MaxLength'),
      read_only: b('ReadOnly'),
      reset_required: b('ResetRequired'),
      unique: b('IsSystemUniqueProperty'),
    };
  });
}

export class RedfishBios implements BiosInterface {
  readonly cleanSteps = STEPS;
  readonly deploySteps = STEPS;
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  private async bios(task: Task, ctx: RedfishContext): Promise<{ path: string; body: Json }> {
    const path = link(await getSystem(task, ctx), 'Bios');
    if (!path) throw new UnsupportedDriverExtension(`BIOS settings are not supported by the BMC of node ${task.node.uuid}.`);
    return { path, body: await rf(task, ctx.info, 'read the Bios', () => ctx.client.get(path)) };
  }

  private async registry(task: Task, ctx: RedfishContext, bios: Json): Promise<Json | null> {
    const name = bios.AttributeRegistry;
    if (typeof name !== 'string') return null;
    try {
      const regs = await ctx.client.get('/redfish/v1/Registries');
      // the file naming the registry, else any file whose document carries the registry's Id
      const files = await Promise.all(memberIds(regs).map((id) => ctx.client.get(id)));
      const named = files.filter((f) => f.Id === name || f.Registry === name);
      for (const file of [...named, ...files.filter((f) => !named.includes(f))]) {
        const loc = ((file.Location as Json[] | undefined) ?? []).find((l) => typeof l.Uri === 'string');
        if (!loc) continue;
        const doc = await ctx.client.get(String(loc.Uri));
        if (named.includes(file) || doc.Id === name) return doc;
      }
    } catch (err) {
      task.log.warn(`BIOS attribute registry ${name} of node ${task.node.uuid} could not be read: ${(err as Error).message}`);
    }
    return null;
  }

  async cacheBiosSettings(task: Task): Promise<void> {
    const ctx = await redfishContext(task, this.config);
    const { body } = await this.bios(task, ctx);
    const attrs = (body.Attributes ?? {}) as Json;
    const settings = settingsFrom(attrs, await this.registry(task, ctx, body));
    if (!task.saveBiosSettings) throw new UnsupportedDriverExtension('this conductor cannot store BIOS settings');
    await task.saveBiosSettings(settings);
  }

  async executeStep(task: Task, step: string, args: JsonObject): Promise<void | 'wait'> {
    const ctx = await redfishContext(task, this.config);
    const { path, body } = await this.bios(task, ctx);
    if (step === 'factory_reset') {
      const a = requireAction(body, '#Bios.ResetBios');
      await rf(task, ctx.info, 'reset the BIOS to factory defaults', () => ctx.client.post(a.target, {}));
    } else if (step === 'apply_configuration') {
      const list = args.settings;
      if (!Array.isArray(list) || list.some((s) => !s || typeof s !== 'object' || typeof (s as Json).name !== 'string')) {
        throw new InvalidParameterValue('apply_configuration needs settings: a list of {"name": ..., "value": ...}.');
      }
      const attributes = Object.fromEntries((list as Json[]).map((s) => [String(s.name), s.value as unknown]));
      const settings = body['@Redfish.Settings'] as Json | undefined;
      const target = link(settings ?? {}, 'SettingsObject') ?? path;
      const patch: Json = { Attributes: attributes };
      const applyTimes = (settings?.SupportedApplyTimes ?? []) as string[];
      if (applyTimes.includes('OnReset')) patch['@Redfish.SettingsApplyTime'] = { ApplyTime: 'OnReset' };
      await rf(task, ctx.info, 'apply BIOS settings', () => ctx.client.patch(target, patch));
    } else {
      throw new InvalidParameterValue(`Unknown bios step ${step}.`);
    }
    // pending settings take effect on the next boot: power cycle now, then refresh the cache
    await task.driver.get('power').reboot(task);
    await this.cacheBiosSettings(task);
  }
}

const factory: InterfaceFactory<'bios'> = (config) => new RedfishBios(config);
export default factory;
