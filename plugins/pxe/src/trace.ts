/**
 * Boot-trace reports of the built-in file servers: which MAC (per-MAC config names) or node (`<node uuid>/…`
 * files) a request was for, the file, result, bytes and duration. Requests naming neither are not traced.
 */
import { macFromBootFile, traceBoot } from '@anvil/sdk';

const UUID_PREFIX = /^\/?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i;

export function traceFileRequest(kind: 'tftp' | 'http', file: string, result: string, bytes: number | null, durationMs: number, error?: string): void {
  const mac = macFromBootFile(file);
  const node = UUID_PREFIX.exec(file)?.[1]?.toLowerCase() ?? null;
  if (!mac && !node) return;
  traceBoot({ mac, node_uuid: node, kind, result, detail: error && result === 'error' ? `${file}: ${error}` : file, bytes, duration_ms: durationMs });
}
