/**
 * Built-in inspection rules ([inspection_rules]built_in_rules, Ironic's get_built_in_rules): a YAML list of rules
 * that apply with the stored ones and that the API lists but cannot change. A rule without a uuid gets a synthetic
 * one, 00000000-0000-0000-0000-<index as 12 hex digits>. Parsing is pure; loadBuiltInRules reads the file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { JsonObject } from '@anvil/sdk';
import { isObj } from '../hooks/util.ts';
import { type InspectionRule, validateRule } from './engine.ts';

export function parseBuiltInRules(text: string, source = 'built-in rules'): InspectionRule[] {
  const data = parse(text) as unknown;
  if (!Array.isArray(data)) throw new Error(`Built-in rules file (${source}) should contain a list of rules`);
  let synthetic = 0;
  return data.map((raw) => {
    if (!isObj(raw)) throw new Error(`Error parsing built-in rule in ${source}: not a mapping`);
    const rule = {
      uuid: typeof raw.uuid === 'string' ? raw.uuid : `00000000-0000-0000-0000-${(synthetic++).toString(16).padStart(12, '0')}`,
      priority: typeof raw.priority === 'number' ? raw.priority : 0,
      description: typeof raw.description === 'string' ? raw.description : null,
      sensitive: raw.sensitive === true,
      phase: typeof raw.phase === 'string' ? raw.phase : 'main',
      actions: (raw.actions ?? []) as JsonObject[],
      conditions: (raw.conditions ?? []) as JsonObject[],
    };
    const bad = validateRule(rule as unknown as JsonObject, true);
    if (bad) throw new Error(`Error parsing built-in rule ${rule.uuid} in ${source}: ${bad}`);
    return { ...rule, built_in: true };
  });
}

/** The rules of the file named by the setting (none when unset), read at each inspection; a broken file throws. */
export function loadBuiltInRules(file: unknown): InspectionRule[] {
  if (typeof file !== 'string' || !file) return [];
  return parseBuiltInRules(readFileSync(file, 'utf8'), file);
}
