/**
 * @anvil/db: Anvil's storage. openDatabase() picks SQLite (embedded, <data_dir>/anvil.sqlite) or MariaDB/MySQL
 * (settings.database_url), runs migrations, and returns a Database with one repository per table.
 */
export { dialectFor, openDatabase } from './connect.ts';
export { maskUrl } from './dialect/mysql.ts';
export * from './types.ts';
export {
  InstanceAssociated,
  NodeNotLocked,
  PortgroupDuplicateName,
  PortgroupMACAlreadyExists,
  VolumeConnectorTypeAndIdAlreadyExists,
  VolumeTargetBootIndexAlreadyExists,
} from './errors.ts';
