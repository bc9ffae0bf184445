export * from './errors.ts';
export * from './paths.ts';
export { buildIso, streamIso, type IsoOptions } from './iso9660/writer.ts';
export { buildVfat, type VfatOptions } from './vfat/writer.ts';
export * from './api-form.ts';
export * from './pyjson.ts';
export * from './content/nova-tree.ts';
export * as versions from './content/versions.ts';
export * from './user-data/mime.ts';
