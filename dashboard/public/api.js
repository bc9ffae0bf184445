// The Ironic API from the browser: the user's credentials (HTTP basic or a Keystone token, kept for this tab
// only), the latest microversion, Ironic's error bodies turned into messages, and the node event stream.
const KEY = 'anvil-dashboard-auth';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function credentials() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function setCredentials(c) {
  if (c) sessionStorage.setItem(KEY, JSON.stringify(c));
  else sessionStorage.removeItem(KEY);
}

function authHeaders() {
  const c = credentials();
  if (!c) return {};
  if (c.kind === 'token') return { 'X-Auth-Token': c.token };
  return { Authorization: `Basic ${btoa(`${c.user}:${c.password}`)}` };
}

/** Ironic's error body: {"error_message": "<json: faultstring | description>"} or http_basic's {"error": {...}}. */
export function errorMessage(status, text) {
  try {
    const body = JSON.parse(text);
    if (typeof body.error_message === 'string') {
      const inner = JSON.parse(body.error_message);
      return inner.faultstring ?? inner.description ?? inner.title ?? body.error_message;
    }
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through
  }
  return text || `HTTP ${status}`;
}

export async function api(method, path, body) {
  const headers = { 'X-OpenStack-Ironic-API-Version': 'latest', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new ApiError(r.status, errorMessage(r.status, text));
  return text ? JSON.parse(text) : null;
}

/**
 * GET /v1/anvil/events as a stream (fetch, so the auth headers go along; EventSource cannot send them).
 * Calls onEvent(data) per `event: node`, onState(true|false) when the stream opens or drops; reconnects after 2 s.
 * Returns a function that stops it.
 */
export function watchEvents(onEvent, onState) {
  let stopped = false;
  let ctrl;
  const run = async () => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const r = await fetch('/v1/anvil/events', { headers: authHeaders(), signal: ctrl.signal });
        if (!r.ok) throw new ApiError(r.status, errorMessage(r.status, await r.text()));
        onState(true);
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i = buf.indexOf('\n\n');
          while (i >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data && /^event: node$/m.test(block)) onEvent(JSON.parse(data));
            i = buf.indexOf('\n\n');
          }
        }
      } catch (e) {
        if (stopped) return;
        onState(false, e);
      }
      onState(false);
      if (!stopped) await new Promise((res) => setTimeout(res, 2000));
    }
  };
  run();
  return () => {
    stopped = true;
    ctrl?.abort();
  };
}
