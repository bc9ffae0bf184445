/**
 * last_error → structured diagnosis (pure). Ironic's last_error stays as it is; this names the failure with a
 * stable code, the step and interface, one sentence of cause, a hint and whether a retry can help. Rules are tried
 * in order (most specific first); a callback timeout is refined by the boot trace (trace.ts).
 */
import type { BootTraceEvent, Diagnosis, DiagnosisCode } from '@anvil/sdk';
import { diagnoseTrace } from './trace.ts';

export interface DiagnoseContext {
  /** The provision state the node was in when it failed (before the fail event). */
  state: string | null;
  /** The step running then (`{interface, step}` of deploy_step / clean_step). */
  step?: { interface?: string; step?: string } | null;
  /** The node's boot trace (its MACs and heartbeats), oldest first. */
  trace?: BootTraceEvent[];
  /** now (ms since epoch), for trace ages. */
  now?: number;
  /** Seconds within which a lookup is expected after the kernel was fetched. */
  lookupWithinSec?: number;
  heartbeatStaleSec?: number;
}

interface Rule {
  code: DiagnosisCode;
  match: RegExp;
  iface: string | null;
  cause: (m: RegExpExecArray, msg: string) => string;
  hint: string;
  retryable: boolean;
  /** A timeout whose cause the boot trace can name better. */
  traced?: boolean;
}

const first = (s: string) => s.split(/(?<=\.)\s/)[0];
/** The agent's own error text out of "Agent returned error for … step {…} on node X : <error>". */
const agentError = (msg: string) => (/ on node \S+ : (.*)$/s.exec(msg)?.[1] ?? first(msg)).replace(/\s+/g, ' ').trim();
/** What is missing, when a message names it ("Missing are: ['ipmi_address']"). */
const missingPart = (msg: string) => /Missing[^:]*: \[[^\]]*\]/.exec(msg)?.[0] ?? null;

const RULES: Rule[] = [
  {
    code: 'conductor.lost',
    match: /Conductor (\S+) went offline \(no heartbeat for ([^)]+)\)/,
    iface: null,
    cause: (m) => `Conductor ${m[1]} stopped heartbeating (${m[2]}) while it held this node; another conductor took the node over and aborted the operation.`,
    hint: 'Check why that conductor died (its log, OOM killer, host); the node can be retried now: another conductor owns it.',
    retryable: true,
  },
  {
    code: 'bmc.auth_failed',
    match: /(\S+:\d+) (?:rejected the credentials|rejected user|refused the session|RAKP 4 integrity value does not verify)/,
    iface: 'power',
    cause: (m) => `The BMC at ${m[1]} refused the credentials in driver_info.`,
    hint: 'Check ipmi_username / ipmi_password (and the BMC key) in driver_info, e.g. `ipmitool -I lanplus -H HOST -p PORT -U USER -P PASS power status`.',
    retryable: false,
  },
  {
    code: 'bmc.unreachable',
    match: /BMC (\S+:\d+) did not answer/,
    iface: 'power',
    cause: (m) => `The BMC at ${m[1]} did not answer.`,
    hint: 'Check ipmi_address / ipmi_port in driver_info, that the BMC is powered and on the management network, and that UDP 623 is not filtered.',
    retryable: true,
  },
  {
    code: 'bmc.auth_failed',
    match: /HTTP \S+ https?:\/\/([^/\s]+)\S* returned code 40[13]\. The BMC rejected the credentials/,
    iface: 'power',
    cause: (m) => `The Redfish BMC at ${m[1]} refused the credentials in driver_info.`,
    hint: 'Check redfish_username / redfish_password in driver_info, e.g. `curl -u USER:PASS https://BMC/redfish/v1/Systems`.',
    retryable: false,
  },
  {
    code: 'bmc.unreachable',
    match: /Redfish BMC at (\S+) (?:refused the connection|is unreachable|did not answer in time)/,
    iface: 'power',
    cause: (m) => `The Redfish BMC at ${m[1]} could not be reached.`,
    hint: 'Check redfish_address in driver_info (scheme, host, port), that the BMC is powered and on the management network.',
    retryable: true,
  },
  {
    code: 'driver.invalid_config',
    match: /TLS handshake with the Redfish BMC at (\S+) failed/,
    iface: 'power',
    cause: (m) => `The TLS certificate of the Redfish BMC at ${m[1]} did not verify.`,
    hint: 'Set redfish_verify_ca to the CA bundle that signed the BMC certificate (or False to skip verification).',
    retryable: false,
  },
  {
    code: 'bmc.command_failed',
    match: /Redfish .+ failed for node \S+\. Error: HTTP \S+ \S+ returned code \d+/,
    iface: 'power',
    cause: (_m, msg) => `The Redfish BMC refused the request: ${first(msg.replace(/^.*?returned code /, 'HTTP '))}`,
    hint: 'Read the BMC message above (its @Message.ExtendedInfo); check the BMC health and firmware, then retry.',
    retryable: true,
  },
  {
    code: 'bmc.command_failed',
    match: /IPMI call failed|BMC still reports the old state|BMC \S+ answered netfn/,
    iface: 'power',
    cause: (_m, msg) => `The BMC answered but did not carry out the command: ${first(msg.replace(/^.*?Error: /, ''))}`,
    hint: 'Check the BMC event log and the chassis (power supply, BMC firmware); retry once the BMC is healthy.',
    retryable: true,
  },
  {
    code: 'adopt.failed',
    match: /Error while attempting to adopt node \S+: /,
    iface: 'deploy',
    cause: (_m, msg) => `Adoption failed: ${missingPart(msg) ?? first(msg.replace(/^.*?adopt node \S+: /, ''))}`,
    hint: 'Adoption needs what a deploy needs (instance_info image_source, the boot and deploy interfaces valid: `baremetal node validate NODE`); fix it and adopt again.',
    retryable: false,
  },
  {
    code: 'driver.invalid_config',
    match: /Failed to validate (\S+) driver interface|Some parameters were missing|Missing are:|MissingParameterValue/,
    iface: null,
    cause: (_m, msg) => `The node's driver configuration is incomplete or invalid: ${missingPart(msg) ?? first(msg.replace(/^.*?Error: /, ''))}`,
    hint: 'Run `baremetal node validate NODE` and fix the driver_info fields it names.',
    retryable: false,
  },
  {
    code: 'boot.deploy_image_unavailable',
    match: /(?:Cannot download image|Cannot read image|Checksum mismatch for) (\S+?):? /,
    iface: 'boot',
    cause: (m) => `The deploy kernel or ramdisk ${m[1]} could not be fetched into the boot file cache.`,
    hint: "Check driver_info deploy_kernel / deploy_ramdisk point at files that exist (curl -I URL from the conductor host) and their checksums.",
    retryable: false,
  },
  {
    code: 'boot.dhcp_update_failed',
    match: /DHCP BOOT options|DHCP provider/,
    iface: 'network',
    cause: (_m, msg) => `The DHCP provider could not be given the node's boot options: ${first(msg.replace(/^.*?Error: /, ''))}`,
    hint: 'Check the dhcp_provider setting and its backend (dnsmasq dirs writable, Neutron reachable and the node has VIFs).',
    retryable: true,
  },
  {
    code: 'image.checksum_mismatch',
    match: /ImageChecksumError|failed to verify against checksum|checksum.*does not match/i,
    iface: 'deploy',
    cause: () => 'The agent downloaded the instance image but its checksum does not match instance_info.',
    hint: 'Check image_os_hash_algo / image_os_hash_value (or image_checksum) in instance_info against the image file (sha512sum FILE).',
    retryable: false,
  },
  {
    code: 'image.unreachable',
    match: /ImageDownloadError|Error downloading image/,
    iface: 'deploy',
    cause: (_m, msg) => `The agent could not download the instance image: ${(/Download of image [^:]*: ([^.]*)/.exec(msg)?.[1] ?? 'download failed').trim()}.`,
    hint: 'Check instance_info image_source is reachable from the ramdisk (curl -I URL from the provisioning network) and the file exists.',
    retryable: false,
  },
  {
    code: 'agent.unreachable',
    match: /cannot reach the agent at (\S+?):|Cannot reach the agent at (\S+?):/,
    iface: 'deploy',
    cause: (m) => `Anvil could not reach the agent's API at ${m[1] ?? m[2]}.`,
    hint: 'Check the ramdisk is still running and that the conductor can reach its callback_url (port 9999, firewall, routing).',
    retryable: true,
  },
  {
    code: 'clean.step_failed',
    // a step that raised ("Node … failed step {…}: …") or one the agent failed (Ironic 39: "Clean step i.s failed on node U. err")
    match: /failed step (\{.*?\})(?=: )|^Clean step (\S+) failed on node \S+?\. /,
    iface: null,
    cause: (m, msg) =>
      m[1] ? `Clean step ${stepName(m[1])} failed: ${agentError(msg.slice(msg.indexOf(m[1]) + m[1].length + 2))}` : `Clean step ${m[2]} failed: ${first(msg.slice(m[0].length))}`,
    hint: 'Read the agent log for the step (`baremetal node show NODE -f value -c driver_internal_info`, the ramdisk journal); fix the cause, then `baremetal node maintenance unset NODE` and clean again.',
    retryable: false,
  },
  {
    code: 'operation.aborted',
    // the history entry of a move to a failed state without last_error: only aborts do that (provision.ts, rescue.ts)
    match: /aborted by request|By request, the clean operation was aborted|Inspection was aborted by request|^Node moved to provision state "[^"]*failed" from state/i,
    iface: null,
    cause: (_m, msg) => `An operator aborted the operation: ${first(msg)}`,
    hint: 'Nothing failed; start the operation again when ready.',
    retryable: true,
  },
  {
    code: 'clean.failed',
    // Ironic 39's messages when the clean steps do not validate (before the ramdisk, or at its first heartbeat)
    match: /Failed to prepare node \S+ for cleaning: |Cannot clean node \S+: |Node failed to start the first cleaning step: /,
    iface: 'deploy',
    cause: (_m, msg) => `Cleaning could not start: ${first(msg.replace(/^.*?(for cleaning|Cannot clean node \S+|the first cleaning step): /, ''))}`,
    hint: 'Check the deploy/boot interfaces can prepare the node (deploy kernel/ramdisk, ports, network); then `baremetal node manage NODE` and provide again.',
    retryable: true,
  },
  {
    code: 'driver.operation_failed',
    match: /Failed to change (boot mode|secure_boot state)|Error (enabling|disabling) the console/,
    iface: 'management',
    cause: (m, msg) => `The driver could not change the ${m[1] ?? `console (${m[2]})`}: ${first(msg.replace(/^.*?(Reason|': |: )/, ''))}`,
    hint: 'Check the hardware type supports it (`baremetal driver property list`), and the BMC answers; then retry.',
    retryable: true,
  },
  {
    code: 'clean.callback_timeout',
    match: /Timeout reached while cleaning the node/,
    iface: 'deploy',
    cause: () => 'The cleaning ramdisk did not call back within clean_callback_timeout.',
    hint: 'Check the node network-boots the cleaning ramdisk (console, DHCP, TFTP) and that the ramdisk can reach the API.',
    retryable: true,
    traced: true,
  },
  {
    code: 'deploy.callback_timeout',
    match: /Timeout reached while waiting for callback/,
    iface: 'deploy',
    cause: () => 'The deploy ramdisk did not call back within deploy_callback_timeout.',
    hint: 'Check the node network-boots the deploy ramdisk (console, DHCP, TFTP) and that the ramdisk can reach the API.',
    retryable: true,
    traced: true,
  },
  {
    code: 'rescue.failed',
    match: /rescue/i,
    iface: 'rescue',
    cause: (_m, msg) => `Rescue failed: ${first(msg)}`,
    hint: 'Check rescue_kernel / rescue_ramdisk in driver_info and that the rescue ramdisk boots and reaches the API; unrescue or retry.',
    retryable: true,
    traced: true,
  },
  {
    code: 'inspect.failed',
    match: /inspect/i,
    iface: 'inspect',
    cause: (_m, msg) => `Inspection failed: ${first(msg)}`,
    hint: 'Check the inspect interface configuration and that the inspection ramdisk boots; retry with `baremetal node inspect NODE`.',
    retryable: true,
  },
  {
    code: 'power.sync_failed',
    match: /During sync_power_state, max retries exceeded/,
    iface: 'power',
    cause: () => 'The power state the BMC reports kept differing from the one Anvil recorded, and setting it failed; the node was put in maintenance.',
    hint: 'Check who powers the machine out of band and the BMC; then `baremetal node maintenance unset NODE`.',
    retryable: false,
  },
  {
    code: 'power.action_failed',
    match: /Failed to change power state to '([^']+)'/,
    iface: 'power',
    cause: (m, msg) => `Powering the node ${m[1]} failed: ${first(msg.replace(/^.*?Error: /, ''))}`,
    hint: 'Check the BMC (address, credentials, its event log) and retry the power action.',
    retryable: true,
  },
  {
    code: 'agent.command_failed',
    match: /Agent (?:returned error|command \S+ failed|failed)/,
    iface: 'deploy',
    cause: (_m, msg) => `The agent reported an error: ${first(msg)}`,
    hint: 'Read the agent command result (ramdisk logs); fix the cause and retry.',
    retryable: false,
  },
  {
    code: 'network.failed',
    match: /Neutron|VIF|network/i,
    iface: 'network',
    cause: (_m, msg) => `The network interface failed: ${first(msg)}`,
    hint: 'Check the network_interface setting, Neutron (neutron_url, its log) and the node ports / VIFs.',
    retryable: true,
  },
  {
    code: 'deploy.step_failed',
    match: /Deploy step (\S+) failed|Failed to deploy|Error while tearing down/,
    iface: 'deploy',
    cause: (m, msg) => `${m[1] ? `Deploy step ${m[1]}` : 'The deployment'} failed: ${first(msg.replace(/^.*?Error: /, ''))}`,
    hint: 'Read the conductor log around this time for the step; fix the cause and deploy again (baremetal node deploy NODE).',
    retryable: false,
  },
];

/** `interface.step` of a step as a message shows it: JSON, or the Python repr Ironic's messages use. */
function stepName(text: string): string {
  try {
    const s = JSON.parse(text) as { interface?: string; step?: string };
    return s.step ? `${s.interface ?? '?'}.${s.step}` : text;
  } catch {
    const step = /'step': '([^']*)'/.exec(text)?.[1];
    return step ? `${/'interface': '([^']*)'/.exec(text)?.[1] ?? '?'}.${step}` : text;
  }
}

/** Steps of Anvil's own phases, from the message. */
function phaseStep(msg: string): string | null {
  if (/prepare_ramdisk|deploy_(kernel|ramdisk)|Cannot download image/.test(msg)) return 'prepare_ramdisk';
  if (/power state|sync_power_state/.test(msg)) return 'power';
  return null;
}

/** The diagnosis of one last_error. Never empty: an unknown shape is `unclassified` with the text itself. */
export function diagnose(lastError: string, ctx: DiagnoseContext): Diagnosis {
  const stepOf = ctx.step?.step ? `${ctx.step.interface ?? '?'}.${ctx.step.step}` : null;
  for (const r of RULES) {
    const m = r.match.exec(lastError);
    if (!m) continue;
    if (r.traced && ctx.trace?.length) {
      const t = diagnoseTrace(ctx.trace, {
        now: ctx.now ?? Date.now(),
        lookupWithinSec: ctx.lookupWithinSec ?? 60,
        heartbeatStaleSec: ctx.heartbeatStaleSec ?? 60,
      });
      if (t) return t;
    }
    const stepFromMsg = /Deploy step (\S+) failed/.exec(lastError)?.[1] ?? (r.code === 'clean.step_failed' ? (m[2] ?? stepName(m[1])) : null);
    return {
      code: r.code,
      step: stepFromMsg ?? stepOf ?? phaseStep(lastError) ?? ctx.state,
      interface: r.iface ?? (stepFromMsg ?? stepOf)?.split('.')[0] ?? null,
      cause: r.cause(m, lastError),
      hint: r.hint,
      retryable: r.retryable,
    };
  }
  return {
    code: 'unclassified',
    step: stepOf ?? ctx.state,
    interface: stepOf?.split('.')[0] ?? null,
    cause: first(lastError),
    hint: 'No rule names this failure yet: read the conductor log around this time for the node.',
    retryable: false,
  };
}
