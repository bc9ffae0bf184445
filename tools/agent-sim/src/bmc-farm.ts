/**
 * Many virtual BMCs in one process: each VirtualBmc (pure) behind its own UDP socket on a loopback address and
 * port, so every node has a real IPMI endpoint that ipmitool or Anvil's ipmi driver reaches over UDP. A BMC can
 * be made silent (it drops every datagram: a switch or PDU gone) and answer again later.
 */
import { createSocket, type Socket } from 'node:dgram';
import { VirtualBmc, type VirtualBmcOptions } from './virtual-bmc.ts';

export interface FarmBmc {
  index: number;
  host: string;
  port: number;
  username: string;
  password: string;
  bmc: VirtualBmc;
  /** true: every datagram is dropped unanswered */
  silent: boolean;
}

export interface BmcFarmOptions extends Partial<Omit<VirtualBmcOptions, 'guid'>> {
  count: number;
  /** loopback address to bind (default 127.0.0.1) */
  host?: string;
  /** first port; BMC i binds basePort + i (default: ephemeral ports chosen by the kernel) */
  basePort?: number;
}

function bind(socket: Socket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}

export class BmcFarm {
  readonly bmcs: FarmBmc[] = [];
  private readonly sockets: Socket[] = [];
  /** datagrams dropped because their BMC was silent */
  dropped = 0;

  static async start(opts: BmcFarmOptions): Promise<BmcFarm> {
    const farm = new BmcFarm();
    try {
      for (let i = 0; i < opts.count; i++) await farm.add(opts, i);
    } catch (err) {
      await farm.stop();
      throw err;
    }
    return farm;
  }

  private async add(opts: BmcFarmOptions, index: number): Promise<void> {
    const host = opts.host ?? '127.0.0.1';
    const username = opts.username ?? 'admin';
    const password = opts.password ?? 'password';
    const guid = Buffer.alloc(16);
    guid.write('anvil-vbmc', 0);
    guid.writeUInt32BE(index, 12);
    const bmc = new VirtualBmc({ ...opts, username, password, guid });
    const socket = createSocket('udp4');
    this.sockets.push(socket);
    const port = await bind(socket, host, opts.basePort ? opts.basePort + index : 0);
    const entry: FarmBmc = { index, host, port, username, password, bmc, silent: false };
    socket.on('message', (msg, rinfo) => {
      if (entry.silent) {
        this.dropped++;
        return;
      }
      const answer = bmc.handle(msg);
      if (answer) socket.send(answer, rinfo.port, rinfo.address);
    });
    socket.on('error', () => {
      // ICMP port unreachable from a console that went away: nothing to do
    });
    this.bmcs.push(entry);
  }

  /** Make BMCs silent (true) or answer again (false). */
  setSilent(indexes: Iterable<number>, silent: boolean): void {
    for (const i of indexes) this.bmcs[i].silent = silent;
  }

  async stop(): Promise<void> {
    await Promise.all(this.sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
