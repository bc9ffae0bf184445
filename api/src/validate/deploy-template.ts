/** Deploy template bodies (pure): Ironic's template schema, deploy step schema and duplicate-step rule. */
import Joi from 'joi';
import { type DeployStep, InvalidParameterValue, type JsonObject } from '@anvil/sdk';
import { jsonObject, uuid, validateBody } from './common.ts';
import { checkTrait } from './trait.ts';

/** Interfaces that may carry deploy steps (Ironic DEPLOYING_INTERFACE_PRIORITY). */
export const DEPLOY_STEP_INTERFACES = ['deploy', 'power', 'management', 'bios', 'raid'];

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
  const v = validateBody<Record<string, unknown>>(DEPLOY_TEMPLATE_SCHEMA, body, 'deploy template');
  const name = String(v.name);
  try {
    checkTrait(name);
  } catch {
    throw new InvalidParameterValue(`Deploy template name must be a valid trait, got '${name}'`);
  }
  const steps = (v.steps as Record<string, unknown>[]).map((s) => ({
    interface: String(s.interface),
    step: String(s.step),
    args: (s.args ?? {}) as JsonObject,
    priority: Number(s.priority),
  }));
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const s of steps) {
    const key = `${s.interface}.${s.step}`;
    if (seen.has(key)) dup.push(key);
    seen.add(key);
  }
  if (dup.length)
    throw new InvalidParameterValue(
      `Duplicate deploy steps for deploy template ${name}. Deploy steps must be unique per deploy template. Duplicate steps: ${dup.join(', ')}`,
    );
  const out: DeployTemplateBody = { name, steps, extra: (v.extra as JsonObject | null) ?? {} };
  if (typeof v.uuid === 'string') out.uuid = v.uuid;
  return out;
}
