/**
 * Secrets masking for API output (pure), @anvil/sdk's mask_dict_password with the API's secret "******":
 * a key whose lower-cased name contains a sensitive word → "******"; nested objects recurse; string values
 * have `password=...`-style fragments scrubbed. Ironic's node rules on top: instance_info.configdrive and
 * instance_info.image_url masked when non-empty, driver_internal_info.agent_secret_token always.
 */
import { isSecretKey, type JsonObject, maskDictPassword, maskPassword } from '@anvil/sdk';

export const SECRET = '******';

/** Scrub secrets embedded in a free-form string. */
export const maskString = (value: string): string => maskPassword(value, SECRET);

export { isSecretKey };

/** Recursive key-based masking of an object (a new object; the input is not modified). */
export const maskDict = (obj: JsonObject): JsonObject => maskDictPassword(obj, SECRET);

export function maskDriverInfo(info: JsonObject): JsonObject {
  return maskDict(info);
}

export function maskInstanceInfo(info: JsonObject): JsonObject {
  const out = maskDict(info);
  if (info.configdrive) out.configdrive = SECRET;
  if (info.image_url) out.image_url = SECRET;
  return out;
}

export function maskDriverInternalInfo(info: JsonObject): JsonObject {
  if (!info.agent_secret_token) return info;
  return { ...info, agent_secret_token: SECRET };
}
