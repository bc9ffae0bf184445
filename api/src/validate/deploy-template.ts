/** Deploy template bodies (pure): Ironic's template schema, deploy step schema and duplicate-step rule. */
import Joi from 'joi';
import { AnvilError, type DeployStep, InvalidParameterValue, type JsonObject } from '@anvil/sdk';

class InvalidDeployTemplate extends AnvilError {
  constructor(message: string) {
    super(message, 'InvalidDeployTemplate', 400);
  }
}
import { jsonObject, uuid, validateBody } from './common.ts';
import { checkTrait } from './trait.ts';

/** Interfaces that may carry deploy steps (Ironic DEPLOYING_INTERFACE_PRIORITY). */
export const DEPLOY_STEP_INTERFACES = ['power', 'management', 'deploy', 'bios', 'raid'];

const STEP = Joi.object({
  interface: Joi.string().valid(...DEPLOY_STEP_INTERFACES).required(),
  step: Joi.string().min(1).required(),
  args: Joi.object().unknown(true).required(),
  priority: Joi.alternatives(Joi.number().integer().min(0).strict(), Joi.string().pattern(/^[0-9]+$/)).required(),
}).unknown(false);

export const DEPLOY_TEMPLATE_SCHEMA = Joi.object({
  description: Joi.string().max(255).allow(null),
  extra: jsonObject().allow(null),
  name: Joi.string().max(255).required(),
  steps: Joi.array().items(STEP).min(1).required(),
  uuid: uuid().allow(null),
}).unknown(false);

export interface DeployTemplateBody {
  name: string;
  steps: DeployStep[];
  extra: JsonObject;
  uuid?: string;
}

/** Validates a whole template body (create, or the patched document); priorities as integers. */
export function validateDeployTemplate(body: unknown): DeployTemplateBody {
  const v = validateBody<Record<string, unknown>>(DEPLOY_TEMPLATE_SCHEMA, body, 'template');
  const name = String(v.name);
  try {
    checkTrait(name);
  } catch {
    throw new InvalidParameterValue(
      `Schema error for template: '${name}' is not valid under any of the given schemas. Possible root cause: '${name}' does not match '^CUSTOM_[A-Z0-9_]+$'`,
    );
  }
  const steps = (v.steps as Record<string, unknown>[]).map((s) => ({
    interface: String(s.interface),
    step: String(s.step),
    args: (s.args ?? {}) as JsonObject,
    priority: Number(s.priority),
  }));
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const s of steps) {
    const key = `interface: ${s.interface}, step: ${s.step}`;
    if (seen.has(key)) dup.add(key);
    seen.add(key);
  }
  if (dup.size)
    throw new InvalidDeployTemplate(
      `Deploy template invalid: Duplicate deploy steps. A deploy template cannot have multiple deploy steps with the same interface and step. Duplicates: ${[...dup].join('; ')}.`,
    );
  const out: DeployTemplateBody = { name, steps, extra: (v.extra as JsonObject | null) ?? {} };
  if (typeof v.uuid === 'string') out.uuid = v.uuid;
  return out;
}
