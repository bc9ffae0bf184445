/**
 * Body checks of PUT /states/provision (pure): configdrive (string, URL or object) and clean/deploy steps,
 * with Ironic's rules and messages (api/controllers/v1/utils.py check_allow_configdrive, node.py _check_steps).
 */
import { InvalidParameterValue, pyRepr, type Json, type JsonObject } from '@anvil/sdk';

const B64 = /^[A-Za-z0-9+/=\n\r\t ]*$/;
const CONFIGDRIVE_KEYS = ['meta_data', 'network_data', 'user_data', 'vendor_data'];
// Ironic 39's CLEANING_/DEPLOYING_INTERFACE_PRIORITY keys, in their order (the schema enums; service steps use the
// clean steps' schema)
const STEP_INTERFACES = ['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid'];
// jsonschema's pprint of the failing `interface` schema: clean/service steps carry a description, deploy steps a type
const ENUM_LINES = STEP_INTERFACES.map((i) => `'${i}'`);
const ENUM_SCHEMA = {
  clean: `{'description': 'driver interface',\n     'enum': [${ENUM_LINES.join(',\n              ')}]}`,
  deploy: `{'type': 'string',\n     'enum': [${ENUM_LINES.join(',\n              ')}]}`,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** configdrive: only with active (and rebuild ≥ 1.35); an object needs ≥ 1.56 (vendor_data ≥ 1.59). */
export function checkConfigdrive(target: string, configdrive: unknown, minor: number): void {
  if (configdrive === undefined || configdrive === null || configdrive === '') return;
  const allowed = minor >= 35 ? ['active', 'rebuild'] : ['active'];
  if (!allowed.includes(target)) {
    throw new InvalidParameterValue(`Adding a config drive is only supported when setting provision state to ${allowed.join(', ')}`);
  }
  if (isObject(configdrive)) {
    const extra = Object.keys(configdrive).filter((k) => !CONFIGDRIVE_KEYS.includes(k));
    if (extra.length) throw new InvalidParameterValue(`Invalid configdrive format: Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
    for (const k of ['meta_data', 'network_data', 'vendor_data']) {
      if (k in configdrive && !isObject(configdrive[k])) throw new InvalidParameterValue(`Invalid configdrive format: ${JSON.stringify(configdrive[k])} is not of type 'object'`);
    }
    const ud = configdrive.user_data;
    if (ud !== undefined && ud !== null && typeof ud !== 'string' && typeof ud !== 'object') {
      throw new InvalidParameterValue(`Invalid configdrive format: ${JSON.stringify(ud)} is not of type 'object', 'array', 'string', 'null'`);
    }
    if (minor < 56) throw new InvalidParameterValue('Providing a JSON object for configdrive is only supported starting with API version 1.56');
    if ('vendor_data' in configdrive && minor < 59) {
      throw new InvalidParameterValue('Providing vendor_data in configdrive is only supported starting with API version 1.59');
    }
    return;
  }
  if (typeof configdrive !== 'string') {
    throw new InvalidParameterValue(`Invalid configdrive format: ${JSON.stringify(configdrive)} is not valid under any of the given schemas`);
  }
  if (configdrive.includes('://')) return;
  if (!B64.test(configdrive)) throw new InvalidParameterValue('Invalid configdrive format: it is neither a JSON, nor a URL, nor a base64 string');
}

/**
 * clean_steps / service_steps: [{interface, step, args?, order?, execute_on_child_nodes?, limit_child_node_execution?}];
 * deploy_steps: [{interface, step, args, priority}] — nothing else (Ironic 39's _STEPS_SCHEMA, DEPLOY_STEP_SCHEMA).
 */
export function checkSteps(steps: unknown, kind: 'clean' | 'deploy' | 'service'): JsonObject[] {
  const bad = (why: string) => new InvalidParameterValue(`Invalid ${kind}_steps: ${why}`);
  if (!Array.isArray(steps)) throw bad(`${JSON.stringify(steps)} is not of type 'array'`);
  const ifaces = STEP_INTERFACES;
  const keys =
    kind === 'deploy'
      ? ['interface', 'step', 'args', 'priority']
      : ['interface', 'step', 'args', 'order', 'execute_on_child_nodes', 'limit_child_node_execution'];
  const required = kind === 'deploy' ? ['interface', 'step', 'args', 'priority'] : ['interface', 'step'];
  return steps.map((s, i) => {
    if (!isObject(s)) throw bad(`${JSON.stringify(s)} is not of type 'object'`);
    const extra = Object.keys(s).filter((k) => !keys.includes(k));
    if (extra.length) throw bad(`Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} unexpected)`);
    for (const r of required) if (!(r in s)) throw bad(`'${r}' is a required property`);
    if (!ifaces.includes(String(s.interface))) {
      // jsonschema's ValidationError text, as Ironic puts it in the message
      const v = pyRepr(s.interface as Json);
      const where = `Failed validating 'enum' in schema['items']['properties']['interface']:\n    ${ENUM_SCHEMA[kind === 'deploy' ? 'deploy' : 'clean']}`;
      throw bad(`${v} is not one of ${pyRepr(ifaces)}\n\n${where}\n\nOn instance[${i}]['interface']:\n    ${v}`);
    }
    if (typeof s.step !== 'string' || s.step.length < 1) throw bad(`${JSON.stringify(s.step)} is too short`);
    if (s.args !== undefined && !isObject(s.args)) throw bad(`${JSON.stringify(s.args)} is not of type 'object'`);
    if (kind === 'deploy') {
      const p = s.priority;
      const ok = (typeof p === 'number' && Number.isInteger(p) && p >= 0) || (typeof p === 'string' && /^\d+$/.test(p));
      if (!ok) throw bad(`${JSON.stringify(p)} is not a valid priority (an integer >= 0)`);
      return { ...s, priority: Number(p) } as JsonObject;
    }
    return s as JsonObject;
  });
}
