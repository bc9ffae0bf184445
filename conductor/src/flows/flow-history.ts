/**
 * Ironic 39's log_step_flow_history: the node history entries that mark a step flow's start and end —
 * `<flow>_start` "Starting <flow> with steps=[…]", `<flow>_end` "<Flow> completed successfully with steps=[…]" or,
 * as an ERROR, "<Flow> aborted at step '<step>' with steps=[…]" — the steps printed as Python reprs, each step's
 * args masked (mask_dict_password with oslo.utils 10's lists: "***").
 */
import { type JsonObject, maskDictPassword, pyRepr } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';
import type { StepRef } from './steps.ts';

export type StepFlow = 'deployment' | 'servicing' | 'manual_cleaning' | 'automated_cleaning';

export async function stepFlowHistory(task: TaskManager, flow: StepFlow, steps: unknown[], status: 'start' | 'end', abortedStep?: string): Promise<void> {
  const words = flow.replace('_', ' ');
  const title = words.replace(/\b\w/g, (c) => c.toUpperCase());
  const list = pyRepr(steps.map(masked));
  if (status === 'start') await task.history(`Starting ${words} with steps=${list}`, 'INFO', `${flow}_start`);
  else if (abortedStep !== undefined) await task.history(`${title} aborted at step '${abortedStep}' with steps=${list}`, 'ERROR', `${flow}_end`);
  else await task.history(`${title} completed successfully with steps=${list}`, 'INFO', `${flow}_end`);
}

function masked(step: unknown): unknown {
  if (!step || typeof step !== 'object' || Array.isArray(step)) return step;
  const args = (step as JsonObject).args;
  if (!args || typeof args !== 'object' || Array.isArray(args)) return step;
  return { ...step, args: maskDictPassword(args as JsonObject, '***', true) };
}

/** A deploy step as Ironic 39 stores it from a driver's declaration (its key order included). */
export function ironicDeployStep(s: StepRef): Record<string, unknown> {
  const args = s.args && Object.keys(s.args).length ? { args: s.args } : {};
  return { step: s.step, priority: s.priority, abortable: s.abortable ?? true, argsinfo: null, interface: s.interface, ...args };
}
