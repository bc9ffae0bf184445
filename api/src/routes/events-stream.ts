/**
 * GET /v1/anvil/events — an Anvil extension (outside Ironic's names): node state changes as Server-Sent Events,
 * fed from the conductor's in-process NodeEvents emitter (deps.events, or deps.conductor.events).
 * Each change is `event: node` / `id: <seq>` / `data: <JSON NodeStateEvent>`; `?node=<uuid>[,<uuid>]` narrows
 * the stream; a correlated BMC outage opened, changed or resolved is `event: bmc_incident` (not sent when narrowed). A `: connected` comment is sent at once (the subscription exists before the client sees it) and a
 * keep-alive comment every 15 s. No emitter wired (e.g. an API-only process) → 404, and clients poll instead.
 * Events carry no secrets: only state fields, last_error and maintenance.
 */
import { PassThrough } from 'node:stream';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';

interface ChangeEvent {
  uuid: string;
  [k: string]: unknown;
}
interface EventSourceLike {
  on(event: 'change' | 'incident', fn: (e: ChangeEvent) => void): unknown;
  off(event: 'change' | 'incident', fn: (e: ChangeEvent) => void): unknown;
}

function emitterOf(deps: RouteDeps): EventSourceLike | null {
  const cand = (deps.events ?? (deps.conductor as { events?: unknown } | undefined)?.events) as EventSourceLike | undefined;
  return cand && typeof cand.on === 'function' && typeof cand.off === 'function' ? cand : null;
}

export const KEEPALIVE_MS = 15_000;

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/anvil/events', (ctx) => {
    const events = emitterOf(deps);
    if (!events) throw new FrameworkError(404, 'This API process has no node event source.');
    const only = new Set(
      String(ctx.query.node ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const stream = new PassThrough();
    let seq = 0;
    const onChange = (e: ChangeEvent) => {
      if (only.size && !only.has(e.uuid)) return;
      stream.write(`event: node\nid: ${++seq}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    // a correlated BMC outage (power sync) names its nodes: sent unless the stream is narrowed to nodes
    const onIncident = (e: ChangeEvent) => {
      if (!only.size) stream.write(`event: bmc_incident\nid: ${++seq}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    events.on('change', onChange);
    events.on('incident', onIncident);
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), KEEPALIVE_MS);
    const stop = () => {
      clearInterval(keepAlive);
      events.off('change', onChange);
      events.off('incident', onIncident);
      stream.end();
    };
    ctx.req.on('close', stop);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.status = 200;
    stream.write(': connected\n\n');
    ctx.body = stream;
  });
}
