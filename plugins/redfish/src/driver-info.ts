/**
 * Ironic's redfish driver_info keys (ironic/drivers/modules/redfish/utils.py COMMON_PROPERTIES) and their parsing
 * into client options. Pure: reading a CA bundle path is checked by the client when it connects.
 */
import { existsSync } from 'node:fs';
import { InvalidParameterValue, type JsonObject, MissingParameterValue, type PropertyDoc } from '@anvil/sdk';
import { type AuthType, parseAddress } from 'redfish-ts';

export const REQUIRED_PROPERTIES: PropertyDoc = {
  redfish_address: 'The URL address to the Redfish controller. It must include the authority portion of the URL. If the scheme is missing, https is assumed. For example: https://mgmt.vendor.com. Required.',
};

export const OPTIONAL_PROPERTIES: PropertyDoc = {
  redfish_system_id: 'The canonical path to the ComputerSystem resource that the driver will interact with. It should include the root service, version and the unique resource path to the ComputerSystem. This property is only required if target BMC manages more than one ComputerSystem. Otherwise the redfish driver will discover the only present ComputerSystem automatically. For example: /redfish/v1/Systems/1. Optional.',
  redfish_username: 'User account with admin/server-profile access privilege. Although this property is not mandatory it\'s highly recommended to set a username. Optional.',
  redfish_password: 'User account password. Although this property is not mandatory, it\'s highly recommended to set a password. Optional.',
  redfish_verify_ca: 'Either a Boolean value, a path to a CA_BUNDLE file or directory with certificates of trusted CAs. If set to True the driver will verify the host certificates; if False the driver will ignore verifying the SSL certificate. If it\'s a path the driver will use the specified certificate or one of the certificates in the directory. Defaults to True. Optional.',
  redfish_auth_type: 'Redfish HTTP client authentication method. Can be "basic", "session" or "auto". The "auto" mode first tries "session" and falls back to "basic" if session authentication is not supported by the Redfish BMC. Default is set in ironic config as [redfish]auth_type. Optional.',
};

export const COMMON_PROPERTIES: PropertyDoc = { ...REQUIRED_PROPERTIES, ...OPTIONAL_PROPERTIES };

export interface RedfishDriverInfo {
  address: string;
  systemId: string | null;
  username: string;
  password: string;
  verify: boolean | string;
  authType: AuthType;
}

const AUTH_TYPES: AuthType[] = ['basic', 'session', 'auto'];
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

export function parseDriverInfo(info: JsonObject, defaults: { authType?: string; verifyCa?: string | null } = {}): RedfishDriverInfo {
  const raw = info.redfish_address;
  if (raw === undefined || raw === null || raw === '') {
    throw new MissingParameterValue(`Missing the following Redfish properties in node's driver_info: ['redfish_address']`);
  }
  let address: string;
  try {
    address = parseAddress(String(raw));
  } catch (err) {
    throw new InvalidParameterValue(`Invalid Redfish address ${String(raw)} set in driver_info/redfish_address on node: ${(err as Error).message}`);
  }
  let systemId: string | null = null;
  if (info.redfish_system_id !== undefined && info.redfish_system_id !== null && info.redfish_system_id !== '') {
    systemId = String(info.redfish_system_id).trim().replace(/\/+$/, '');
    if (!systemId.startsWith('/')) throw new InvalidParameterValue(`Invalid value "${systemId}" set in driver_info/redfish_system_id on node: a path like /redfish/v1/Systems/1 is expected.`);
  }
  const v = info.redfish_verify_ca ?? defaults.verifyCa ?? true;
  let verify: boolean | string;
  if (typeof v === 'boolean') verify = v;
  else {
    const s = String(v).trim();
    if (TRUE.includes(s.toLowerCase())) verify = true;
    else if (FALSE.includes(s.toLowerCase())) verify = false;
    else if (existsSync(s)) verify = s;
    else throw new InvalidParameterValue(`Invalid value type set in driver_info/redfish_verify_ca on node: "${s}". The value should be a Boolean or the path to a file/directory, not "${s}"`);
  }
  const auth = String(info.redfish_auth_type ?? defaults.authType ?? 'auto').trim().toLowerCase() as AuthType;
  if (!AUTH_TYPES.includes(auth)) {
    throw new InvalidParameterValue(`Invalid value "${String(info.redfish_auth_type)}" set in driver_info/redfish_auth_type on node. The value should be one of "${AUTH_TYPES.join('", "')}"`);
  }
  const str = (k: string) => (info[k] === undefined || info[k] === null ? '' : String(info[k]));
  return { address, systemId, username: str('redfish_username'), password: str('redfish_password'), verify, authType: auth };
}
