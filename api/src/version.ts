/**
 * Microversions (pure). Anvil serves Ironic's v1 API; a microversion is "1.N" and is handled as the integer N.
 * MAX_API_VERSION is what this build declares; raise it when the features of the next versions exist
 * (see api/README.md, "Raising the max version").
 */
import { NotAcceptable } from '@anvil/sdk';

export const MIN_MINOR = 1;
/** Highest "1.N" whose features are implemented. The integrator raises this (one line). */
export const MAX_MINOR = 115;

export const fmt = (minor: number) => `1.${minor}`;

/** Setting `api_max_version` ("1.N"), for operators pinning or integrators trying a higher max; invalid → error. */
export function settingMaxMinor(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = /^1\.(\d+)$/.exec(String(value));
  if (!m || Number(m[1]) < MIN_MINOR) throw new Error(`api_max_version must look like 1.N, got '${value}'`);
  return Number(m[1]);
}

export type ParsedVersion = { kind: 'latest' } | { kind: 'version'; major: number; minor: number } | { kind: 'invalid' };

/** Parse an X-OpenStack-Ironic-API-Version value. */
export function parseVersionHeader(value: string): ParsedVersion {
  const v = value.trim();
  if (v.toLowerCase() === 'latest') return { kind: 'latest' };
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m) return { kind: 'invalid' };
  return { kind: 'version', major: Number(m[1]), minor: Number(m[2]) };
}

/** Ironic's own 406 messages. */
export function versionErrors(minMinor: number, maxMinor: number) {
  const range = `[${fmt(minMinor)}, ${fmt(maxMinor)}]`;
  return {
    invalid: 'Invalid value for X-OpenStack-Ironic-API-Version header',
    major: (v: string) =>
      `Mutually exclusive versions requested. Version ${v} requested but not supported by this service. The supported version range is: ${range}.`,
    minor: (v: string) =>
      `Version ${v} was requested but the minor version is not supported by this service. The supported version range is: ${range}.`,
  };
}

/** Raised when a request uses something newer than the requested microversion (Ironic: 406 NotAcceptable). */
export function tooNew(what: string): InstanceType<typeof NotAcceptable> {
  return new NotAcceptable(`${what} is not acceptable in this API version.`);
}
