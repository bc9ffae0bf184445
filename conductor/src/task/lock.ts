/**
 * The node lock: an exclusive lock is the node's `reservation` column, taken atomically by db.nodes.reserve.
 * On conflict retry node_locked_retry_attempts times, node_locked_retry_interval apart (Ironic: 3 × 1 s), then
 * NodeLocked (409) with Ironic's message.
 */
import { AnvilError, NodeLocked } from '@anvil/sdk';
import type { NodeView } from '@anvil/db';
import type { ConductorContext } from '../context.ts';
import { seconds } from '../context.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export function nodeLockedMessage(node: string, host: string | null): string {
  return `Node ${node} is locked by host ${host}, please retry after the current operation is completed.`;
}

export interface ReserveOptions {
  /** Override the retry count (internal callers that must wait longer). */
  attempts?: number;
  /** Runs once the reservation is taken, while the node is read (start reading its children alongside). */
  onLocked?: () => void;
}

export async function reserveNode(ctx: ConductorContext, uuid: string, opts: ReserveOptions = {}): Promise<NodeView> {
  const attempts = Math.max(1, opts.attempts ?? seconds(ctx.settings, 'node_locked_retry_attempts', 3));
  const intervalMs = seconds(ctx.settings, 'node_locked_retry_interval', 1) * 1000;
  let lastHolder: string | null = null;
  for (let i = 0; i < attempts; i++) {
    try {
      return await ctx.db.nodes.reserve(uuid, ctx.hostname, opts.onLocked);
    } catch (err) {
      if (!AnvilError.is(err) || err.code !== 'NodeLocked') throw err;
      lastHolder = await ctx.db.nodes.getByUuid(uuid).then(
        (n: NodeView) => n.reservation,
        () => null,
      );
      if (i + 1 < attempts) await sleep(intervalMs);
    }
  }
  throw new NodeLocked(nodeLockedMessage(uuid, lastHolder));
}

/** Release this host's reservation; a few quick retries so a DB blip does not leave the node locked. */
export async function releaseNode(ctx: ConductorContext, uuid: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await ctx.db.nodes.release(uuid, ctx.hostname);
      return;
    } catch (err) {
      // not reserved, or reserved by someone else (e.g. after a takeover): nothing of ours to release
      if (AnvilError.is(err) && (err.code === 'NodeNotLocked' || err.code === 'NodeLocked' || err.status === 404)) return;
      if (i >= 4) {
        ctx.log.error('could not release node lock; stale-reservation cleanup will retry', { node: uuid, error: String(err) });
        return;
      }
      await sleep(100 * 2 ** i);
    }
  }
}
