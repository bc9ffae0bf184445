/**
 * The noVNC proxy (Ironic's ironic-novncproxy, [vnc]) inside `anvil server` and `anvil api` when vnc_enabled:
 * serves vnc_novnc_web on vnc_host_ip:vnc_port and proxies console WebSockets to the nodes' VNC endpoints.
 * A missing noVNC directory or a busy port refuses start, as Ironic's service does. vnc_port 0 takes a free port;
 * unless vnc_public_url is set, this process's consoles then link to it (the conductor of `anvil server` reads the
 * same settings).
 */
import { existsSync } from 'node:fs';
import type { Database } from '@anvil/db';
import type { Settings } from '@anvil/sdk';

export async function startNovnc(settings: Settings, db: Database) {
  const s = settings as Settings & Record<string, unknown>;
  if (s.vnc_enabled !== true) return null;
  const webDir = String(s.vnc_novnc_web ?? '/usr/share/novnc');
  if (!existsSync(webDir)) throw new Error(`vnc_novnc_web: can not find html/js files at ${webDir} (apt-get install novnc, or --set vnc_novnc_web=DIR)`);
  const { publicUrl, startNovncProxy } = await import('@anvil/plugin-vnc');
  const proxy = await startNovncProxy({
    host: String(s.vnc_host_ip ?? settings.host),
    port: Number(s.vnc_port ?? 6090),
    webDir,
    tokenTimeout: Number(s.vnc_token_timeout ?? 600),
    authSchemes: (s.vnc_novnc_auth_schemes as string[] | undefined) ?? ['none'],
    getNode: async (uuid) => {
      try {
        return await db.nodes.getByUuid(uuid);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    log: (m) => console.warn(`anvil: ${m}`),
  });
  if (Number(s.vnc_port) === 0 && !s.vnc_public_url) s.vnc_public_url = publicUrl({ ...s, vnc_port: proxy.port });
  console.log(`anvil: noVNC proxy listening on ${proxy.url}`);
  return proxy;
}
