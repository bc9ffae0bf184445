/**
 * Compute API microversions as Nova negotiates them (pure): `OpenStack-API-Version: compute 2.N` or the legacy
 * `X-OpenStack-Nova-API-Version: 2.N`, `latest` = the maximum, absent = 2.1; outside [2.1, max] → 406.
 */
export const MIN_MINOR = 1;
export const MAX_MINOR = 47;

export interface Microversion {
  minor: number;
}

export class VersionNotAcceptable extends Error {}

export function parseMicroversion(headers: Record<string, string | string[] | undefined>): Microversion {
  const std = String(headers['openstack-api-version'] ?? '');
  const m = /(?:^|,)\s*compute\s+(\S+)/i.exec(std);
  const raw = (m?.[1] ?? String(headers['x-openstack-nova-api-version'] ?? '')).trim();
  if (!raw) return { minor: MIN_MINOR };
  if (raw.toLowerCase() === 'latest') return { minor: MAX_MINOR };
  const v = /^2\.(\d+)$/.exec(raw);
  if (!v) throw new VersionNotAcceptable(`Invalid API version request string ${raw}`);
  const minor = Number(v[1]);
  if (minor < MIN_MINOR || minor > MAX_MINOR) throw new VersionNotAcceptable(`Version 2.${minor} is not supported by the API. Minimum is 2.${MIN_MINOR} and maximum is 2.${MAX_MINOR}.`);
  return { minor };
}

export const atLeast = (v: Microversion, minor: number) => v.minor >= minor;

/** the headers Nova answers with */
export function versionHeaders(v: Microversion): Record<string, string> {
  return {
    'OpenStack-API-Version': `compute 2.${v.minor}`,
    'X-OpenStack-Nova-API-Version': `2.${v.minor}`,
    Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  };
}

/** GET / and GET /v2.1: the version documents */
export function versionDoc(base: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: `2.${MAX_MINOR}`,
    min_version: `2.${MIN_MINOR}`,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/v2.1/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}
