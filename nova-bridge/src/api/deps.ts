/** What the compute API needs from the compute service that serves it. */
import type { Middleware } from 'koa';
import type { ComputeManager } from '../compute/manager.ts';
import type { ApiState } from './app.ts';
import type { ComputeStore } from '../compute/store.ts';
import type { Instance } from '../compute/types.ts';

export interface ComputeApiDeps {
  store: ComputeStore;
  manager: ComputeManager;
  /** build a submitted instance in the background (the service tracks it) */
  startBuild(inst: Instance): void;
  /** delete in the background (after its build, when one runs here) */
  startDelete(inst: Instance): void;
  /** compute services and whether each is alive (os-availability-zone detail) */
  services(): Promise<{ host: string; alive: boolean; updated_at: string }[]>;
  publicUrl?: string;
  /** checks the caller's credentials (the Ironic API's auth middleware, @anvil/api/auth); none: noauth */
  auth?: Middleware<ApiState>;
  log?: (msg: string) => void;
}
