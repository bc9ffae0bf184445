/** Evaluate a policy rule (pure): check(rule) → boolean, authorize(rule) → throws Ironic's HTTPForbidden (403). */
import { Forbidden } from '@anvil/sdk';
import { LEGACY_ADMIN, LEGACY_OBSERVER } from './checks.ts';
import type { Creds, PolicyOptions, PolicyTarget } from './creds.ts';
import { RULES } from './rules.ts';

export function check(rule: string, target: PolicyTarget, creds: Creds, opts: PolicyOptions = {}): boolean {
  if (creds.noauth) return true;
  const r = RULES[rule];
  if (!r) throw new Error(`unknown policy rule ${rule}`);
  if (r.check(creds, target, opts)) return true;
  if (opts.enforceNewDefaults) return false;
  if (r.legacy === 'admin') return LEGACY_ADMIN(creds, target, opts);
  if (r.legacy === 'observer') return LEGACY_OBSERVER(creds, target, opts);
  return false;
}

export function forbidden(rule: string): Error {
  return new Forbidden(`Access was denied to the following resource: ${rule}`);
}

export function authorize(rule: string, target: PolicyTarget, creds: Creds, opts: PolicyOptions = {}): void {
  if (!check(rule, target, creds, opts)) throw forbidden(rule);
}
