/**
 * Config drive for one instance on one node: Nova's metadata files, an ISO9660 image (label config-2) from the
 * `cloud-config-drive` package, gzipped and base64-encoded — the string that goes in the provision request.
 */
import { gzipSync } from 'node:zlib';
import { buildIso } from 'cloud-config-drive';
import type { Instance } from '../compute/types.ts';
import type { ConfigDriveBuilder } from '../driver/spawn.ts';
import { driveFiles } from './drive-files.ts';
import { metaData } from './meta-data.ts';
import { networkData } from './network-data.ts';

export function configDriveFor(i: Instance): ConfigDriveBuilder {
  return async (ports, portgroups) => {
    const files = driveFiles(i, metaData(i), networkData(i.nics, ports, portgroups));
    const iso = buildIso(files, { volumeId: 'config-2', publisher: 'OpenStack Compute (Anvil nova-bridge)' });
    return gzipSync(iso).toString('base64');
  };
}

/** Does this instance get a config drive? Asked for, or the image makes it mandatory. */
export function wantsConfigDrive(i: Instance, force = false): boolean {
  return force || i.config_drive || i.image.properties.img_config_drive === 'mandatory';
}
