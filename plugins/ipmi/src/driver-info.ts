/**
 * Ironic's ipmitool driver_info keys: documentation and parsing/validation into client options. Pure.
 * Names and meanings follow Ironic's ironic/drivers/modules/ipmitool.py (REQUIRED_PROPERTIES, OPTIONAL_PROPERTIES).
 */
import { InvalidParameterValue, type JsonObject, MissingParameterValue, type PropertyDoc } from '@anvil/sdk';

export const REQUIRED_PROPERTIES: PropertyDoc = {
  ipmi_address: 'IP address or hostname of the node. Required.',
};

export const OPTIONAL_PROPERTIES: PropertyDoc = {
  ipmi_password: 'password. Optional.',
  ipmi_hex_kg_key: 'Kg key for IPMIv2 authentication. The key is expected in hexadecimal format. Optional.',
  ipmi_port: 'remote IPMI RMCP port. Optional.',
  ipmi_priv_level: 'privilege level; default is ADMINISTRATOR. One of ADMINISTRATOR, CALLBACK, OPERATOR, USER. Optional.',
  ipmi_username: 'username; default is NULL user. Optional.',
  ipmi_bridging: 'bridging_type; default is "no". One of "single", "dual", "no". Optional.',
  ipmi_transit_channel: 'transit channel for bridged request. Required only if ipmi_bridging is set to "dual".',
  ipmi_transit_address: 'transit address for bridged request. Required only if ipmi_bridging is set to "dual".',
  ipmi_target_channel: 'destination channel for bridged request. Required only if ipmi_bridging is set to "single" or "dual".',
  ipmi_target_address: 'destination address for bridged request. Required only if ipmi_bridging is set to "single" or "dual".',
  ipmi_local_address: 'local IPMB address for bridged requests. Used only if ipmi_bridging is set to "single" or "dual". Optional.',
  ipmi_protocol_version: 'the version of the IPMI protocol; default is "2.0". One of "1.5", "2.0". Optional.',
  ipmi_force_boot_device:
    'Whether Ironic should specify the boot device to the BMC each time the server is turned on, eg. because the BMC is not capable of remembering the selected boot device across power cycles; default value is False. Optional.',
  ipmi_disable_boot_timeout:
    'By default ironic will send a raw IPMI command to disable the 60 second timeout for booting. Setting this option to False will NOT send that command; default value is True. Optional.',
  ipmi_cipher_suite:
    'The number of a cipher suite to use. Only 3 (AES-128 with SHA1) or 17 (AES-128 with SHA256) should ever be used; 17 is preferred. The default value depends on the BMC: 17 when it offers it, else 3. Optional.',
  deploy_forces_oob_reboot:
    'Whether Ironic should force a reboot of the Node via the out-of-band channel after deployment is complete. Provides compatibility with older deploy ramdisks. Defaults to False. Optional.',
};

export const COMMON_PROPERTIES: PropertyDoc = { ...REQUIRED_PROPERTIES, ...OPTIONAL_PROPERTIES };

export type PrivLevel = 'ADMINISTRATOR' | 'CALLBACK' | 'OPERATOR' | 'USER';
const PRIV_LEVELS: readonly PrivLevel[] = ['ADMINISTRATOR', 'CALLBACK', 'OPERATOR', 'USER'];
const SUITES = [3, 17];

export interface IpmiDriverInfo {
  address: string;
  port: number;
  username: string;
  password: string;
  kg: string | undefined;
  privLevel: PrivLevel;
  /** 'auto' when ipmi_cipher_suite is unset */
  cipherSuite: number | 'auto';
  forceBootDevice: boolean;
  disableBootTimeout: boolean;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Ironic's strutils.bool_from_string, strict: true/false/yes/no/on/off/1/0/y/n/t/f. */
export function parseBool(name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  throw new InvalidParameterValue(`Invalid value "${String(v)}" for ${name}; a boolean is expected.`);
}

/** Parse driver_info like Ironic's ipmitool._parse_driver_info; throws Missing/InvalidParameterValue. */
export function parseDriverInfo(info: JsonObject, defaults: { disableBootTimeout?: boolean } = {}): IpmiDriverInfo {
  const missing = Object.keys(REQUIRED_PROPERTIES).filter((k) => info[k] === undefined || info[k] === null || info[k] === '');
  if (missing.length) {
    throw new MissingParameterValue(`Missing the following IPMI credentials in node's driver_info: ${JSON.stringify(missing)}.`);
  }
  const address = String(info.ipmi_address).trim();
  if (!/^[A-Za-z0-9.:_[\]-]+$/.test(address)) throw new InvalidParameterValue(`Invalid IPMI address "${address}".`);
  let port = 623;
  if (info.ipmi_port !== undefined && info.ipmi_port !== null && info.ipmi_port !== '') {
    port = Number(info.ipmi_port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InvalidParameterValue(`Invalid port number "${String(info.ipmi_port)}" for ipmi_port.`);
    }
  }
  const priv = (str(info.ipmi_priv_level) ?? 'ADMINISTRATOR').toUpperCase() as PrivLevel;
  if (!PRIV_LEVELS.includes(priv)) {
    throw new InvalidParameterValue(`Invalid privilege level value:${String(info.ipmi_priv_level)}, the valid value can be one of ${PRIV_LEVELS.join(', ')}`);
  }
  const protocol = str(info.ipmi_protocol_version) ?? '2.0';
  if (protocol !== '2.0' && protocol !== '1.5') {
    throw new InvalidParameterValue(`Invalid IPMI protocol version value ${protocol}, the valid value can be one of 1.5, 2.0`);
  }
  if (protocol === '1.5') {
    throw new InvalidParameterValue('ipmi_protocol_version 1.5 (IPMI LAN without RMCP+) is not supported by Anvil\'s native IPMI client; use "2.0".');
  }
  const bridging = str(info.ipmi_bridging) ?? 'no';
  if (!['no', 'single', 'dual'].includes(bridging)) {
    throw new InvalidParameterValue(`Parameter ipmi_bridging="${bridging}" not recognized. Valid values are "single", "dual" and "no".`);
  }
  if (bridging !== 'no') {
    throw new InvalidParameterValue(`ipmi_bridging="${bridging}" is not supported by Anvil's native IPMI client; address the BMC directly ("no").`);
  }
  let cipherSuite: number | 'auto' = 'auto';
  if (info.ipmi_cipher_suite !== undefined && info.ipmi_cipher_suite !== null && info.ipmi_cipher_suite !== '') {
    const n = Number(info.ipmi_cipher_suite);
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new InvalidParameterValue(`Invalid cipher suite "${String(info.ipmi_cipher_suite)}": an integer is expected.`);
    if (!SUITES.includes(n)) throw new InvalidParameterValue(`Cipher suite ${n} is not supported; use 3 (AES-128 with SHA1) or 17 (AES-128 with SHA256).`);
    cipherSuite = n;
  }
  const kg = str(info.ipmi_hex_kg_key);
  if (kg !== undefined && (kg.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(kg) || kg.length > 40)) {
    throw new InvalidParameterValue('ipmi_hex_kg_key must be an even number of hexadecimal digits (at most 20 bytes).');
  }
  const username = str(info.ipmi_username) ?? '';
  if (Buffer.byteLength(username) > 16) throw new InvalidParameterValue('ipmi_username is longer than the 16 bytes IPMI allows.');
  const password = str(info.ipmi_password) ?? '';
  if (Buffer.byteLength(password) > 20) throw new InvalidParameterValue('ipmi_password is longer than the 20 bytes IPMI v2.0 allows.');
  return {
    address,
    port,
    username,
    password,
    kg,
    privLevel: priv,
    cipherSuite,
    forceBootDevice: parseBool('ipmi_force_boot_device', info.ipmi_force_boot_device, false),
    disableBootTimeout: parseBool('ipmi_disable_boot_timeout', info.ipmi_disable_boot_timeout, defaults.disableBootTimeout ?? true),
  };
}
