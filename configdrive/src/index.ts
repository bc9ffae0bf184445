export * from './errors.ts';
export * from './paths.ts';
export { buildIso, streamIso, type IsoOptions } from './iso9660/writer.ts';
