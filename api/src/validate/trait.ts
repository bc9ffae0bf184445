/** Trait names (pure): CUSTOM_[A-Z0-9_]+ or a standard os-traits name (upper-case namespaced), ≤ 255. */
import { InvalidParameterValue } from '@anvil/sdk';

export const MAX_TRAITS = 50;
const CUSTOM = /^CUSTOM_[A-Z0-9_]+$/;
/** Standard traits are os-traits constants: upper-case words joined by "_" under a known namespace. */
const STANDARD = /^(COMPUTE|HW|STORAGE|MISC_SHARES|OWNER|ACCELERATOR)_[A-Z0-9_]+$/;

export function checkTrait(trait: string): void {
  if (typeof trait !== 'string' || trait.length < 1 || trait.length > 255 || !(CUSTOM.test(trait) || STANDARD.test(trait)))
    throw new InvalidParameterValue(
      `Schema error for body: '${trait}' is not valid under any of the given schemas. Possible root cause: '${trait}' does not match '^CUSTOM_[A-Z0-9_]+$'`,
    );
}
