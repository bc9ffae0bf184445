/**
 * Named diagnoses from a boot trace (pure): the events of one node's MACs (and its MAC-less heartbeats), oldest
 * first, read from the last boot attempt (the last BMC power on / reboot) on. Each rule names what the operator
 * would otherwise find with tcpdump and the dnsmasq log.
 */
import type { BootTraceEvent, Diagnosis } from '@anvil/sdk';

export interface TraceOptions {
  /** now (ms since epoch). */
  now: number;
  /** Seconds after the kernel/ramdisk were fetched within which a lookup is expected. */
  lookupWithinSec: number;
  /** Seconds without a heartbeat after which heartbeats count as stopped. */
  heartbeatStaleSec: number;
}

const ms = (iso: string) => Date.parse(iso);
const isBootCommand = (e: BootTraceEvent) => e.kind === 'bmc' && e.result === 'ok' && /^(power on|reboot)/.test(e.detail);
const isRamdiskFetch = (e: BootTraceEvent) => (e.kind === 'tftp' || e.kind === 'http') && e.result === 'ok' && /(kernel|ramdisk)$/.test(e.detail);

/** The events of the current boot attempt: from the last power on / reboot sent to the BMC (or all of them). */
export function currentAttempt(events: BootTraceEvent[]): BootTraceEvent[] {
  let start = 0;
  events.forEach((e, i) => {
    if (isBootCommand(e)) start = i;
  });
  return events.slice(start);
}

/** The most specific diagnosis the trace supports, or null when it shows nothing wrong (yet). */
export function diagnoseTrace(all: BootTraceEvent[], opts: TraceOptions): Diagnosis | null {
  const rejected = all.filter((e) => e.kind === 'lookup' && e.result !== 'ok').at(-1);
  const events = currentAttempt(all);
  const boot = events.find(isBootCommand);
  // the boot device in force at that power on: a boot from disk is no network boot (nothing to wait for)
  const before = boot ? all.slice(0, all.indexOf(boot)) : all;
  const device = before.filter((e) => e.kind === 'bmc' && e.result === 'ok' && /^boot device /.test(e.detail)).at(-1);
  if (boot && device && !/^boot device pxe/.test(device.detail)) return null;
  const pxe = !!device;
  const dhcp = events.find((e) => e.kind === 'dhcp' && e.result === 'ok') ?? all.filter((e) => e.kind === 'dhcp' && e.result === 'ok').at(-1);
  const tftp = events.filter((e) => e.kind === 'tftp');
  const missing = events.find((e) => (e.kind === 'tftp' || e.kind === 'http') && e.result === 'not_found');
  if (missing) {
    return {
      code: 'boot.tftp_file_not_found',
      step: 'network boot',
      interface: 'boot',
      cause: `TFTP file not found: ${missing.detail} (the firmware asked for it and Anvil's ${missing.kind === 'tftp' ? 'TFTP' : 'HTTP'} server has no such file).`,
      hint: "Check the boot interface prepared this node (its PXE config and deploy kernel/ramdisk under the TFTP root), that the firmware's boot mode matches the node's boot_mode, and the DHCP boot file name.",
      retryable: false,
    };
  }
  const lookups = events.filter((e) => e.kind === 'lookup');
  const heartbeats = events.filter((e) => e.kind === 'heartbeat');
  if (heartbeats.length) {
    const last = heartbeats.at(-1) as BootTraceEvent;
    const age = (opts.now - ms(last.at)) / 1000;
    if (age >= opts.heartbeatStaleSec) {
      const step = last.step ?? 'none';
      return {
        code: 'agent.no_heartbeat',
        step,
        interface: 'deploy',
        cause: `Heartbeats stopped at step ${step}: the last one came ${Math.round(age)} s ago (${heartbeats.length} before it).`,
        hint: 'The ramdisk stopped talking: check the machine console (kernel panic, out of memory, disk error), its network, and whether someone powered it off.',
        retryable: true,
      };
    }
    return null;
  }
  if (!lookups.some((e) => e.result === 'ok') && rejected) {
    return {
      code: 'agent.lookup_rejected',
      step: 'lookup',
      interface: 'deploy',
      cause: `The agent's lookup was rejected: ${rejected.detail}.`,
      hint: "Check the node's ports (baremetal port list --node NODE) hold the MACs the ramdisk reports, and that the node is in a state that expects a ramdisk.",
      retryable: false,
    };
  }
  const fetched = events.filter(isRamdiskFetch).at(-1);
  if (fetched && !lookups.length) {
    const age = (opts.now - ms(fetched.at)) / 1000;
    if (age >= opts.lookupWithinSec) {
      return {
        code: 'agent.no_lookup',
        step: 'lookup',
        interface: 'deploy',
        cause: `The kernel and ramdisk were fetched, but no lookup came within ${Math.floor(age)} s.`,
        hint: "Check ipa-api-url on the kernel command line (pxe api_url / public_url) is reachable from the ramdisk, and the ramdisk's network (DHCP in the ramdisk, firewall to port 6385).",
        retryable: true,
      };
    }
    return null;
  }
  if (boot && !tftp.length && !events.some((e) => e.kind === 'http') && !lookups.length) {
    const seen = dhcp ? 'DHCP options were handed to the DHCP provider' : pxe ? 'the boot device was set to PXE' : 'the machine was powered on';
    return {
      code: dhcp ? 'boot.no_tftp_request' : 'boot.no_dhcp',
      step: 'network boot',
      interface: 'boot',
      cause: dhcp ? `DHCP answered but no TFTP request came (${seen}, then "${boot.detail}" was sent to the BMC).` : `The machine was powered on (${boot.detail}) but never reached Anvil's TFTP/HTTP servers (${seen}).`,
      hint: 'Check the machine actually network-boots (BIOS/UEFI boot order, PXE enabled on the NIC with this MAC), that DHCP reaches it (dnsmasq log, VLAN) and that next-server points at the TFTP server.',
      retryable: true,
    };
  }
  return null;
}

/** One line per event: `+1.234s tftp ok grub.cfg-01-… (1234 B)` relative to the first. */
export function summarizeTrace(events: BootTraceEvent[]): string[] {
  const t0 = events.length ? ms(events[0].at) : 0;
  return events.map((e) => {
    const extra = [e.bytes != null ? `${e.bytes} B` : null, e.duration_ms != null ? `${e.duration_ms} ms` : null, e.step ? `step ${e.step}` : null].filter(Boolean).join(', ');
    return `+${((ms(e.at) - t0) / 1000).toFixed(3)}s ${e.kind} ${e.result} ${e.detail}${e.mac ? ` [${e.mac}]` : ''}${extra ? ` (${extra})` : ''}`;
  });
}
