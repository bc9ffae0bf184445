/** A runbook as Ironic 39 shows it (pure): description and traits from 1.112, step args through the secret masker. */
import type { RunbookRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { maskDict } from '../mask.ts';
import { checkFieldsAllowed, checkFieldsKnown, pick } from './fields.ts';

export const RUNBOOK_DEFAULT_LIST_FIELDS = ['uuid', 'name'];
export const RUNBOOK_INVALID_SORT_KEYS = ['extra', 'steps', 'traits'];
const FIELDS_92 = ['uuid', 'created_at', 'updated_at', 'name', 'extra', 'public', 'owner', 'disable_ramdisk', 'links', 'steps'];

/** The fields a runbook has at this version, in Ironic's order. */
export function runbookFields(minor: number): string[] {
  return minor >= 112 ? [...FIELDS_92.slice(0, 8), 'description', 'links', 'steps', 'traits'] : FIELDS_92;
}

/** `fields=`: a name the runbook does not have at this version is "not valid" (400), as Ironic's check. */
export function checkRunbookFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, {});
  checkFieldsKnown(fields, runbookFields(minor));
}

export function renderRunbook(r: RunbookRecord, minor: number, base: string, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    uuid: r.uuid,
    created_at: r.created_at,
    updated_at: r.updated_at,
    name: r.name,
    extra: r.extra ?? {},
    public: r.public,
    owner: r.owner,
    disable_ramdisk: r.disable_ramdisk,
  };
  if (minor >= 112) out.description = r.description;
  out.links = linkPair(base, 'runbooks', r.uuid);
  out.steps = (r.steps ?? []).map((s) => ({ interface: s.interface, step: s.step, args: maskDict(s.args ?? {}), order: s.order }));
  if (minor >= 112) out.traits = r.traits ?? [];
  return pick(out, fields);
}
