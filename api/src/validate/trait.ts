/** Trait names (pure): CUSTOM_[A-Z0-9_]+ or a standard os-traits name (upper-case namespaced), ≤ 255. */
import { InvalidParameterValue } from '@anvil/sdk';

export const MAX_TRAITS = 50;
const CUSTOM = /^CUSTOM_[A-Z0-9_]+$/;
/** Standard traits are os-traits constants: upper-case words joined by "_" under a known namespace. */
const STANDARD = /^(COMPUTE|HW|STORAGE|MISC_SHARES|OWNER|ACCELERATOR)_[A-Z0-9_]+$/;

/** Ironic's TRAITS_SCHEMA (a custom or a standard trait). */
export const isTrait = (trait: unknown): trait is string =>
  typeof trait === 'string' && trait.length >= 1 && trait.length <= 255 && (CUSTOM.test(trait) || STANDARD.test(trait));

/** what: the argument name in Ironic's schema error ("body", or "trait" for a trait in the path). */
export function checkTrait(trait: string, what = 'body'): void {
  if (!isTrait(trait))
    throw new InvalidParameterValue(
      `Schema error for ${what}: '${trait}' is not valid under any of the given schemas. Possible root cause: '${trait}' does not match '^CUSTOM_[A-Z0-9_]+$'`,
    );
}
