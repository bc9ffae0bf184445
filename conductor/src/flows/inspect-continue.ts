/**
 * In-band inspection data from the ramdisk (Ironic ConductorManager.continue_inspection + inspection.py):
 * `inspect wait` → resume → `inspecting`; in the background the inspection hooks run ([inspector]hooks, pure, from
 * @anvil/plugin-inspector and any plugin's "inspection_hooks"), their changes are saved (node fields, ports,
 * traits), then the inspection rules (stored + built-in, highest priority first), then the Inspector-compatible API's
 * introspection rules (ironic-inspector's format, oldest first), and their changes; the inventory
 * and plugin data are stored ([inventory]data_backend=database), the inspect interface tears the boot down and the
 * node goes to `manageable`. Any failure → `inspect failed` with Ironic's last_error, boot torn down, powered off.
 */
import { type InspectedNode, type InspectedPort, type InspectionData, type JsonObject, NotFound } from '@anvil/sdk';
import { applyInspectorRules, applyRules, hookNames, inspectionOptions, type InspectionRule, loadBuiltInRules, type MaskSecrets, resolveHooks, runInspectionHooks } from '@anvil/plugin-inspector';
import type { ConductorContext } from '../context.ts';
import { syncPxeFilterSafely } from '../periodic/pxe-filter.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { cacheFirmwareComponents, errText, safely } from './common.ts';

const now = () => new Date().toISOString();
const NODE_READONLY = new Set(['id', 'uuid', 'traits', 'provision_state', 'target_provision_state', 'reservation', 'created_at', 'updated_at']);

export async function continueInspection(ctx: ConductorContext, uuid: string, inventory: JsonObject, pluginData: JsonObject): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'continue inspection' }, async (task) => {
    if (task.node.provision_state !== 'inspect wait') {
      throw new NotFound(`Node ${uuid} is not waiting for inspection, its provision state is ${task.node.provision_state}.`);
    }
    await task.processEvent('resume', { callback: (t) => processInspectionData(t, inventory, pluginData) });
  });
}

function snapshotPort(p: { uuid: string; address: string; pxe_enabled: boolean; local_link_connection: JsonObject; physical_network: string | null; extra: JsonObject }): InspectedPort {
  return { uuid: p.uuid, address: p.address, pxe_enabled: p.pxe_enabled, local_link_connection: { ...p.local_link_connection }, physical_network: p.physical_network, extra: { ...p.extra } };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Write what changed between two InspectionData snapshots: node fields, traits, ports (created, changed, deleted). */
async function persist(task: TaskManager, before: InspectionData, after: InspectionData): Promise<void> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after.node)) if (!NODE_READONLY.has(k) && !same(v, before.node[k])) fields[k] = v;
  if (Object.keys(fields).length) await task.saveNode(fields);
  if (!same(before.node.traits, after.node.traits)) await task.ctx.db.traits.set(task.node.id, after.node.traits);
  const keep = new Set(after.ports.filter((p) => p.uuid).map((p) => p.uuid));
  for (const p of before.ports) if (p.uuid && !keep.has(p.uuid)) await task.ctx.db.ports.destroy(p.uuid);
  for (const p of after.ports) {
    const { uuid, ...values } = p;
    if (!uuid) {
      const created = await task.createPort(values);
      p.uuid = created.uuid;
      continue;
    }
    const old = before.ports.find((x) => x.uuid === uuid);
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => !same(v, (old as unknown as Record<string, unknown>)?.[k])));
    if (Object.keys(changed).length) await task.savePort(uuid, changed);
  }
}

async function rulesFor(ctx: ConductorContext): Promise<InspectionRule[]> {
  const stored = await ctx.db.inspectionRules.list({ filters: { phase: 'main' } });
  return [...stored.map((r) => ({ ...r, description: r.description ?? null })), ...loadBuiltInRules(ctx.settings.inspection_rules_built_in_rules)];
}

export async function processInspectionData(task: TaskManager, inventory: JsonObject, pluginData: JsonObject): Promise<void> {
  const { ctx } = task;
  try {
    const traits = await ctx.db.traits.list(task.node.id);
    const node = { ...structuredClone(task.node), traits } as unknown as InspectedNode;
    const previous = await ctx.db.inventory.get(task.node.id).catch(() => null);
    const input: InspectionData = { inventory, plugin_data: structuredClone(pluginData), node, ports: task.ports.map(snapshotPort), log: [], previous_inventory: previous?.inventory ?? null };
    const hooks = resolveHooks(hookNames(ctx.settings.inspector_hooks), ctx.registry.inspectionHooks?.() ?? new Map());
    const hooked = runInspectionHooks(input, hooks, inspectionOptions(ctx.settings));
    await persist(task, input, hooked);
    const ruled = applyRules(hooked, await rulesFor(ctx), { maskSecrets: (ctx.settings.inspection_rules_mask_secrets as MaskSecrets) ?? 'always' });
    await persist(task, hooked, ruled.data);
    if (ruled.failure) {
      for (const line of ruled.data.log) task.log.info(`inspection of node ${task.node.uuid}: ${line}`);
      throw ruled.failure;
    }
    // the Inspector-compatible API's introspection rules (ironic-inspector's format), after Ironic's
    const inspectorRules = await ctx.db.inspectorRules.list();
    const final = inspectorRules.length ? applyInspectorRules(ruled.data, inspectorRules) : { data: ruled.data, failure: null };
    if (final.data !== ruled.data) await persist(task, ruled.data, final.data);
    for (const line of final.data.log) task.log.info(`inspection of node ${task.node.uuid}: ${line}`);
    if (final.failure) throw final.failure;
    if (ctx.settings.inventory_data_backend !== 'none') {
      const { logs: _logs, ...stored } = final.data.plugin_data;
      await task.saveInventory(inventory, stored);
    }
    const outcome = (await task.driver.get('inspect').continueInspection?.(task, inventory, pluginData)) ?? 'done';
    if (outcome === 'wait') await task.processEvent('wait');
    else {
      await cacheFirmwareComponents(task);
      await task.processEvent('done', { fields: { inspection_finished_at: now(), inspection_started_at: null } });
    }
  } catch (err) {
    const msg = `Async execution of continue_inspection failed with error: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'inspection failure handling', async () => {
      await task.driver.get('inspect').cleanUpAfterFailure?.(task);
      await task.processEvent('fail', { lastError: msg, fields: { inspection_started_at: null } });
    });
  }
  await syncPxeFilterSafely(ctx);
}
