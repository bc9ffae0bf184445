/**
 * A private Debian Ironic 21.4 for side-by-side benchmarks: started with scripts/services/real-ironic.sh under its own
 * ANVIL_TMP (so it never touches another suite's instance), stopped and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export interface RealIronic {
  url: string;
  stop(): void;
}

export function startRealIronic(): RealIronic {
  const root = new URL('..', import.meta.url).pathname;
  const env = { ...process.env, ANVIL_TMP: join(root, '.tmp', `bench-ironic-${process.pid}`) };
  const script = join(root, 'scripts/services/real-ironic.sh');
  const stop = () => {
    execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    rmSync(env.ANVIL_TMP, { recursive: true, force: true });
  };
  execFileSync('bash', [script, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = /NOVA_REAL_IRONIC_URL=(\S+)/.exec(execFileSync('bash', [script, 'env'], { env }).toString())?.[1];
  if (!url) {
    stop();
    throw new Error('real-ironic.sh printed no URL');
  }
  return { url, stop };
}
