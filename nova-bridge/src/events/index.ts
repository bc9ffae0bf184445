/** Pick the wait strategy: events when the endpoint streams them (Anvil), else Nova's polling (plain Ironic). */
import { PollingWaiter } from './polling.ts';
import { SseWaiter } from './sse.ts';
import type { NodeWaiter } from './waiter.ts';
import type { ApiAuth } from '../client/api-auth.ts';

export type WaitMode = 'auto' | 'sse' | 'poll';

export async function createWaiter(endpoint: string, mode: WaitMode = 'auto', pollIntervalMs = 2000, auth: ApiAuth | null = null): Promise<NodeWaiter> {
  if (mode === 'poll') return new PollingWaiter(pollIntervalMs);
  const sse = await SseWaiter.connect(endpoint, { fallbackIntervalMs: pollIntervalMs, auth });
  if (sse) return sse;
  if (mode === 'sse') throw new Error(`${endpoint} does not serve node events (GET /v1/anvil/events)`);
  return new PollingWaiter(pollIntervalMs);
}

export { PollingWaiter, SseWaiter };
export type { NodeWaiter };
