export * from './objects.ts';
export * from './states.ts';
export * from './errors.ts';
export * from './rpc.ts';
export * from './interfaces.ts';
export * from './settings.ts';
export * from './plugin.ts';
export * from './conductor-api.ts';
