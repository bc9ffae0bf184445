/**
 * An error answer from the baremetal API, as the clients see it: the HTTP status plus Ironic's faultstring
 * (the error body is `{"error_message": "<JSON string with faultstring>"}`; both that and a plain object are read).
 */
export class IronicHttpError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  constructor(status: number, message: string, method: string, path: string) {
    super(message);
    this.name = 'IronicHttpError';
    this.status = status;
    this.method = method;
    this.path = path;
  }
  /** 503 (no conductor, API starting): worth asking again */
  get transient(): boolean {
    return this.status === 503;
  }
  static is(err: unknown, status?: number): err is IronicHttpError {
    return err instanceof IronicHttpError && (status === undefined || err.status === status);
  }
}

/** The client could not reach the API at all (connection refused, reset, DNS). */
export class IronicConnectionError extends Error {
  readonly transient = true;
  constructor(message: string) {
    super(message);
    this.name = 'IronicConnectionError';
  }
}

/** Pull Ironic's faultstring out of an error body; falls back to the raw text. */
export function faultString(text: string): string {
  try {
    const outer = JSON.parse(text) as Record<string, unknown>;
    let inner: unknown = outer.error_message ?? outer;
    if (typeof inner === 'string') {
      try {
        inner = JSON.parse(inner);
      } catch {
        return inner as string;
      }
    }
    if (inner && typeof inner === 'object') {
      const o = inner as Record<string, unknown>;
      for (const k of ['faultstring', 'message', 'description', 'title']) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
  } catch {
    /* not JSON */
  }
  return text.slice(0, 500);
}
