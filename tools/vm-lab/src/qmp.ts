/**
 * One command to a running VM's qemu over its QMP socket (the one chassis.py starts qemu with): the greeting, then
 * qmp_capabilities, then the command; resolves with its `return`, rejects with its `error` or when qemu is not running.
 */
import { createConnection } from 'node:net';
import { join } from 'node:path';

export function qmp(vmDir: string, execute: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(join(vmDir, 'qmp.sock'));
    const timer = setTimeout(() => finish(new Error(`qmp ${execute}: no answer in ${timeoutMs} ms`)), timeoutMs);
    let buf = '';
    let sent = 0; // 1: capabilities sent, 2: the command sent
    const finish = (err: Error | null, value?: unknown) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    sock.on('error', (e) => finish(new Error(`qmp ${execute}: ${e.message}`)));
    sock.on('data', (d) => {
      buf += d.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        if (msg.event) continue;
        if (msg.error) return finish(new Error(`qmp ${execute}: ${msg.error.desc}`));
        if (msg.QMP && sent === 0) {
          sent = 1;
          sock.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        } else if (sent === 1 && 'return' in msg) {
          sent = 2;
          sock.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
        } else if (sent === 2 && 'return' in msg) {
          return finish(null, msg.return);
        }
      }
    });
  });
}

/** Keys pressed on the VM's PS/2 keyboard (HMP sendkey), e.g. "alt-sysrq-i". */
export const sendKey = (vmDir: string, keys: string) => qmp(vmDir, 'human-monitor-command', { 'command-line': `sendkey ${keys}` });
