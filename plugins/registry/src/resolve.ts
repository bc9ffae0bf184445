/**
 * Interface resolution like Ironic's driver_factory (pure): which implementations a node uses.
 * explicit field → default_<kind>_interface (if the type supports it and it is enabled) → the first supported
 * and enabled name of the hardware type.
 */
import {
  INTERFACE_KINDS,
  InvalidParameterValue,
  NoValidHost,
  type InterfaceField,
  type InterfaceKind,
} from '@anvil/sdk';

export interface TypeSupport {
  name: string;
  /** Supported names per kind in priority order (implicit no-op defaults already applied). */
  supported: Record<InterfaceKind, string[]>;
  acceptAnyEnabled: boolean;
}

export interface ResolutionTables {
  types: Map<string, TypeSupport>;
  /** Enabled (and successfully loaded) names per kind, in configured order. */
  enabled: Record<InterfaceKind, string[]>;
  /** default_<kind>_interface settings (null when unset). */
  defaults: Record<InterfaceKind, string | null>;
}

const fmt = (names: string[]) => `[${names.map((n) => `'${n}'`).join(', ')}]`;

export function supportedEnabled(t: ResolutionTables, type: TypeSupport, kind: InterfaceKind): string[] {
  const enabled = t.enabled[kind];
  return type.supported[kind].filter((n) => enabled.includes(n));
}

export function typeOrThrow(t: ResolutionTables, driver: string): TypeSupport {
  const type = t.types.get(driver);
  if (!type) {
    throw new NoValidHost(
      `No valid host was found. Reason: No conductor service registered which supports driver ${driver}. ` +
        `Enabled hardware types: ${fmt([...t.types.keys()])}`,
    );
  }
  return type;
}

export function defaultFor(t: ResolutionTables, type: TypeSupport, kind: InterfaceKind): string | null {
  const candidates = supportedEnabled(t, type, kind);
  const configured = t.defaults[kind];
  if (configured && candidates.includes(configured)) return configured;
  return candidates[0] ?? null;
}

/** Check one explicit name; throws Ironic's 400s. */
export function checkExplicit(t: ResolutionTables, type: TypeSupport, kind: InterfaceKind, name: string): void {
  const enabled = t.enabled[kind];
  if (!enabled.includes(name)) {
    throw new InvalidParameterValue(
      `Could not find the following interface in the 'ironic.hardware.interfaces.${kind}' entrypoint: ${name}. ` +
        `Valid interfaces are ${fmt(enabled)}.`,
    );
  }
  if (!type.acceptAnyEnabled && !type.supported[kind].includes(name)) {
    throw new InvalidParameterValue(
      `${kind} interface implementation '${name}' is not supported by hardware type ${type.name}. ` +
        `Supported and enabled: ${fmt(supportedEnabled(t, type, kind))}.`,
    );
  }
}

export function resolveAll(
  t: ResolutionTables,
  driver: string,
  explicit: Partial<Record<InterfaceField, string | null>>,
): Record<InterfaceField, string> {
  const type = typeOrThrow(t, driver);
  const out = {} as Record<InterfaceField, string>;
  for (const kind of INTERFACE_KINDS) {
    const field = `${kind}_interface` as InterfaceField;
    const given = explicit[field];
    if (given !== undefined && given !== null && given !== '') {
      if (typeof given !== 'string') throw new InvalidParameterValue(`${field} must be a string`);
      checkExplicit(t, type, kind, given);
      out[field] = given;
    } else {
      const def = defaultFor(t, type, kind);
      if (def === null) {
        throw new InvalidParameterValue(
          `No default value found for ${kind} interface for node with driver ${driver}. ` +
            `Enabled ${kind} interfaces: ${fmt(t.enabled[kind])}; supported by ${driver}: ${fmt(type.supported[kind])}.`,
        );
      }
      out[field] = def;
    }
  }
  return out;
}
