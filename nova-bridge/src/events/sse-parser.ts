/**
 * A streaming parser for text/event-stream (pure): feed it chunks, get whole events.
 * Only `event` and `data` fields matter here; comments (`:` lines, keep-alives) are dropped.
 */
export interface SseMessage {
  event: string;
  data: string;
}

export class SseParser {
  private buf = '';
  private event = '';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buf += chunk;
    const out: SseMessage[] = [];
    let nl: number;
    while ((nl = this.buf.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buf.slice(0, nl);
      const skip = this.buf.startsWith('\r\n', nl) ? 2 : 1;
      this.buf = this.buf.slice(nl + skip);
      if (line === '') {
        if (this.data.length) out.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return out;
  }
}

/** The node UUIDs an event is about (`uuid`, `node_uuid` or `node.uuid` in its JSON data). */
export function nodeUuidsOf(msg: SseMessage): string[] {
  try {
    const d = JSON.parse(msg.data) as Record<string, unknown>;
    const node = d.node as Record<string, unknown> | undefined;
    return [d.uuid, d.node_uuid, node?.uuid].filter((x): x is string => typeof x === 'string');
  } catch {
    return [];
  }
}
