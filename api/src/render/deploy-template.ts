/** A deploy template as Ironic shows it (pure): step args pass through the secret masker. */
import type { DeployTemplateRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { maskDict } from '../mask.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const DEPLOY_TEMPLATE_FIELDS: FieldTable = { created_at: 55, extra: 55, links: 55, name: 55, steps: 55, updated_at: 55, uuid: 55 };
export const DEPLOY_TEMPLATE_DEFAULT_LIST_FIELDS = ['uuid', 'name'];
export const DEPLOY_TEMPLATE_INVALID_SORT_KEYS = ['extra', 'steps'];

export function checkDeployTemplateFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, DEPLOY_TEMPLATE_FIELDS);
  checkFieldsKnown(fields, Object.keys(DEPLOY_TEMPLATE_FIELDS));
}

export function renderDeployTemplate(t: DeployTemplateRecord, base: string, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      created_at: t.created_at,
      extra: t.extra ?? {},
      links: linkPair(base, 'deploy_templates', t.uuid),
      name: t.name,
      steps: (t.steps ?? []).map((s) => ({ args: maskDict(s.args ?? {}), interface: s.interface, priority: s.priority, step: s.step })),
      updated_at: t.updated_at,
      uuid: t.uuid,
    },
    fields,
  );
}
