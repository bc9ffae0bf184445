/**
 * Metadata version folders Nova (Zed) writes on a config drive, and which files/keys each one carries.
 * EC2 versions older than 2009-04-04 are skipped by Nova's default `[api]config_drive_skip_versions`.
 */
export const FOLSOM = '2012-08-10';
export const GRIZZLY = '2013-04-04';
export const HAVANA = '2013-10-17';
export const LIBERTY = '2015-10-15';
export const NEWTON_ONE = '2016-06-30';
export const NEWTON_TWO = '2016-10-06';
export const OCATA = '2017-02-22';
export const ROCKY = '2018-08-27';
export const VICTORIA = '2020-10-14';

export const OPENSTACK_VERSIONS = [FOLSOM, GRIZZLY, HAVANA, LIBERTY, NEWTON_ONE, NEWTON_TWO, OCATA, ROCKY, VICTORIA] as const;
export const EC2_VERSIONS = ['2009-04-04'] as const;
export const LATEST = 'latest';

/** True when `version` (a date folder or `latest`) is at least `since`. */
export function atLeast(version: string, since: string): boolean {
  return version === LATEST || version >= since;
}

/** meta_data.json keys that appeared after Folsom, with the version that introduced them. */
export const META_KEY_SINCE: Record<string, string> = {
  random_seed: GRIZZLY,
  project_id: LIBERTY,
  devices: NEWTON_ONE,
  dedicated_cpus: VICTORIA,
};

/** Device metadata fields Nova only exposes from a version on (older folders drop them). */
export const DEVICE_FIELD_SINCE: Record<string, string> = {
  vlan: OCATA,
  vf_trusted: ROCKY,
};

/** Files beyond meta_data.json/user_data, with the version that introduced them. */
export const FILE_SINCE = {
  'vendor_data.json': HAVANA,
  'network_data.json': LIBERTY,
  'vendor_data2.json': NEWTON_TWO,
} as const;
