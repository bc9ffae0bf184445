/** Graphical console settings, declared once: Ironic 39's [vnc] options, prefixed `vnc_`. */
import { boolOpt, intOpt, listOpt, type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  boolOpt('vnc_enabled', false, '[vnc]enabled: run the noVNC proxy (ironic-novncproxy) inside `anvil server` and `anvil api`'),
  strOpt('vnc_host_ip', null, "[vnc]host_ip: the noVNC proxy's listen address (default: the API's `host`)"),
  intOpt('vnc_port', 6090, "[vnc]port: the noVNC proxy's port (0: a free port, which the derived vnc_public_url follows in `anvil server`)", { min: 0 }),
  strOpt('vnc_public_url', null, '[vnc]public_url: the noVNC page consoles link to (default http://<vnc_host_ip>:<vnc_port>/vnc_auto.html)'),
  strOpt('vnc_novnc_web', '/usr/share/novnc', "[vnc]novnc_web: the noVNC page and scripts the proxy serves (Debian's novnc package)"),
  listOpt('vnc_novnc_auth_schemes', ['none'], '[vnc]novnc_auth_schemes: security types the proxy may use towards a VNC server', { choices: ['none'] }),
  intOpt('vnc_token_timeout', 600, '[vnc]token_timeout: seconds a console token stays valid', { min: 10 }),
  strOpt('vnc_container_provider', 'fake', '[vnc]container_provider: fake (192.0.2.1:5900, unusable, as Ironic\'s), or simulated (a small VNC server per console in the conductor, on 127.0.0.1)', {
    choices: ['fake', 'simulated'],
  }),
];
export default OPTIONS;
