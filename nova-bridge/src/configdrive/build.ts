/**
 * Config drive for one instance on one node, built with the `cloud-config-drive` package: Nova's file tree
 * (novaDriveFiles) from our meta_data + network_data + user_data, an ISO9660 image labelled config-2 (buildIso),
 * gzip + base64 (encodeForApi) — the string that goes in the provision request's `configdrive`.
 */
import { buildIso, encodeForApi, novaDriveFiles } from 'cloud-config-drive';
import type { Instance } from '../compute/types.ts';
import type { ConfigDriveBuilder } from '../driver/spawn.ts';
import { metaData } from './meta-data.ts';
import { networkData } from './network-data.ts';

export function configDriveFor(i: Instance): ConfigDriveBuilder {
  return async (ports, portgroups) => {
    const files = novaDriveFiles({
      metaData: metaData(i),
      userData: i.user_data ? Buffer.from(i.user_data, 'base64') : null,
      networkData: { ...networkData(i.nics, ports, portgroups) },
    });
    const iso = buildIso(files, { volumeId: 'config-2', publisher: 'OpenStack Compute (Anvil nova-bridge)' });
    return encodeForApi(iso);
  };
}

/** Does this instance get a config drive? Asked for, or the image makes it mandatory. */
export function wantsConfigDrive(i: Instance, force = false): boolean {
  return force || i.config_drive || i.image.properties.img_config_drive === 'mandatory';
}
