/**
 * A cuttable TCP proxy on 127.0.0.1 in front of a real server (the database): `cut()` drops every connection and
 * refuses new ones until `restore()`; `delayMs` holds back what the server sends for that long (in order), so a
 * client's every query takes at least that. Used for database outages (test/conductor/db-outage.test.ts), a
 * database that is not up yet at start (test/conductor/cold-start.test.ts) and a conductor caught in the middle of a
 * call (test/conductor/taken-call.test.ts).
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private up = true;
  port = 0;
  /** Server → client data is held back this long (0: passed on at once). */
  delayMs = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.up) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream);
      this.forward(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server!.address() as { port: number }).port;
  }
  /** Passes on `from`'s data to `to`, each chunk held back by the delay in force when it arrived, order kept. */
  private forward(from: Socket, to: Socket): void {
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    let ended = false;
    const drain = () => {
      timer = null;
      while (queue.length && queue[0].at <= Date.now()) to.write(queue.shift()!.chunk);
      if (queue.length) timer = setTimeout(drain, queue[0].at - Date.now());
      else if (ended) to.end();
    };
    from.on('data', (chunk: Buffer) => {
      if (this.delayMs <= 0 && queue.length === 0) {
        to.write(chunk);
        return;
      }
      queue.push({ at: Math.max(Date.now() + this.delayMs, queue.at(-1)?.at ?? 0), chunk });
      if (!timer) timer = setTimeout(drain, queue[0].at - Date.now());
    });
    from.on('end', () => {
      ended = true;
      if (!timer) to.end();
    });
    to.on('close', () => {
      if (timer) clearTimeout(timer);
      queue.length = 0;
    });
  }

  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }
  restore(): void {
    this.up = true;
  }
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
