/** The noVNC page's public URL (vnc_public_url, else derived from where the proxy listens). Pure. */
export function publicUrl(config: Readonly<Record<string, unknown>>): string {
  if (typeof config.vnc_public_url === 'string' && config.vnc_public_url) return config.vnc_public_url;
  let host = String(config.vnc_host_ip ?? config.host ?? '127.0.0.1');
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${Number(config.vnc_port ?? 6090)}/vnc_auto.html`;
}
