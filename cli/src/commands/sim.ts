/**
 * `anvil sim`: N simulated bare-metal nodes for demos and scale tests. Each is a BMC on 127.0.0.1 — with `--bmc ipmi`
 * an in-process virtual BMC (tools/agent-sim BmcFarm: real IPMI over UDP, thousands per process), else an ipmi_sim
 * process — and, unless `--deploy-interface fake` (BMCs only, boot/deploy fake: scale runs), a
 * simulated machine (tools/agent-sim) that follows the BMC: on power-on from PXE it fetches its config, kernel and
 * ramdisk over TFTP (or HTTP for iPXE) and runs the simulated agent against the ipa-api-url it found; from disk it
 * "boots the instance". With --enroll the nodes (ipmi + pxe/ipxe + direct + flat) and their ports are created in
 * Anvil (sim-enroll.ts: idempotent when re-run, a half-enrolled node undone), ready to manage, provide and deploy
 * with no extra step (the sim serves its own placeholder deploy kernel/ramdisk). Prints one JSON line per node, then "ready"; runs until SIGINT/SIGTERM and stops every BMC it started.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BmcFarm, type BmcView, FileDisk, SimMachine } from '@anvil/agent-sim';
import { ironicCaller } from '../endpoint.ts';
import { enrollNode, serveDeployImages } from './sim-enroll.ts';
import { ipmitool, missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';

const USAGE = `usage: anvil sim [options]

  --count N              simulated nodes (default 1)
  --bmc ipmi|ipmi_sim    ipmi: in-process virtual BMCs on 127.0.0.1 UDP ports (thousands per process);
                         ipmi_sim: one OpenIPMI ipmi_sim process per node (default)
  --deploy-interface D   direct (default: simulated machines PXE-boot the simulated agent) or fake (no machines:
                         only the BMCs, boot and deploy interfaces fake; for scale runs)
  --tftp HOST:PORT       TFTP server the firmware boots from (default 127.0.0.1:69; Anvil's pxe_tftp_port)
  --http-url URL         boot with iPXE over HTTP from this URL (Anvil's http_url) instead of TFTP
  --boot-mode uefi|bios  firmware boot mode (default uefi: GRUB config names)
  --data-dir DIR         where the disk files go (default ./data/sim)
  --disk-mib N           disk size, sparse (default 1024)
  --mac-prefix P         first 4 bytes of the MACs (default 52:54:00:5a)
  --enroll               create the nodes and ports in Anvil
  --api URL              Anvil API for --enroll (default http://127.0.0.1:6385)
  --deploy-kernel URL    driver_info deploy_kernel for --enroll (default: a placeholder this sim serves over HTTP)
  --deploy-ramdisk URL   driver_info deploy_ramdisk for --enroll (default: likewise)
  --boot-interface NAME  pxe or ipxe for --enroll (default pxe; ipxe with --http-url)
  --name-prefix P        node names P0, P1, ... (default sim-)
  --heartbeat-ms N       agent heartbeat interval (default: from the lookup's heartbeat_timeout)`;

interface SimNode {
  name: string;
  mac: string;
  bmc: Pick<Peer, 'host' | 'port' | 'username' | 'password'>;
  machine: SimMachine | null;
  stop(): Promise<void>;
}

/** Run `fn` over `items`, at most `width` at a time, in order of start. */
async function eachLimited<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '1' },
      bmc: { type: 'string', default: 'ipmi_sim' },
      'deploy-interface': { type: 'string', default: 'direct' },
      tftp: { type: 'string', default: '127.0.0.1:69' },
      'http-url': { type: 'string' },
      'boot-mode': { type: 'string', default: 'uefi' },
      'data-dir': { type: 'string', default: './data/sim' },
      'disk-mib': { type: 'string', default: '1024' },
      'mac-prefix': { type: 'string', default: '52:54:00:5a' },
      enroll: { type: 'boolean', default: false },
      api: { type: 'string', default: 'http://127.0.0.1:6385' },
      'deploy-kernel': { type: 'string' },
      'deploy-ramdisk': { type: 'string' },
      'boot-interface': { type: 'string' },
      'name-prefix': { type: 'string', default: 'sim-' },
      'heartbeat-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const virtual = values.bmc === 'ipmi';
  const machines = values['deploy-interface'] !== 'fake';
  if (!virtual && values.bmc !== 'ipmi_sim') {
    console.error(`anvil sim: --bmc must be ipmi or ipmi_sim\n${USAGE}`);
    return 2;
  }
  if (machines && values['deploy-interface'] !== 'direct') {
    console.error(`anvil sim: --deploy-interface must be direct or fake\n${USAGE}`);
    return 2;
  }
  const missing = virtual ? null : (missingIpmiSim() ?? missingIpmitool());
  if (missing) {
    console.error(`anvil sim: ${missing}`);
    return 1;
  }
  const count = Number(values.count);
  const [tftpHost, tftpPort] = String(values.tftp).split(':');
  const bootMode = values['boot-mode'] === 'bios' ? 'bios' : 'uefi';
  if (!Number.isInteger(count) || count < 1 || !tftpHost || !Number(tftpPort)) {
    console.error(`anvil sim: bad --count or --tftp\n${USAGE}`);
    return 2;
  }
  const dir = resolve(String(values['data-dir']));
  mkdirSync(dir, { recursive: true });
  const nodes: SimNode[] = [];
  const images = values.enroll && (!values['deploy-kernel'] || !values['deploy-ramdisk']) ? await serveDeployImages() : null;
  const call = ironicCaller(String(values.api));
  const farm = virtual ? await BmcFarm.start({ count, recordActions: machines }) : null;
  const stopAll = async () => {
    await images?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await farm?.stop();
  };
  try {
    for (let i = 0; i < count; i++) {
      const mac = `${values['mac-prefix']}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
      const name = `${values['name-prefix']}${i}`;
      let bmc: SimNode['bmc'];
      let view: BmcView;
      let stopBmc = async () => {};
      if (farm) {
        const v = farm.bmcs[i];
        bmc = v;
        view = { actions: () => v.bmc.actions(), powerOff: async () => v.bmc.setPower('off') };
      } else {
        const peer = await startIpmiSim();
        bmc = peer;
        stopBmc = () => peer.stop();
        view = { actions: () => peer.actions(), powerOff: async () => void (await ipmitool(peer, 3, 'chassis', 'power', 'off')) };
      }
      const machine = machines
        ? new SimMachine({
            name,
            mac,
            disk: new FileDisk(join(dir, `${name}.img`), Number(values['disk-mib']) * 1024 * 1024),
            bmc: view,
            tftp: { host: tftpHost, port: Number(tftpPort) },
            httpUrl: values['http-url'],
            bootMode,
            agent: values['heartbeat-ms'] ? { heartbeatMs: Number(values['heartbeat-ms']), forcedGapMs: 0 } : {},
            log: (m) => console.error(m),
          })
        : null;
      machine?.start();
      nodes.push({ name, mac, bmc, machine, stop: async () => {
        await machine?.stop();
        await stopBmc();
      } });
    }
    const opts = {
      kernel: values['deploy-kernel'] ?? (images?.kernel as string),
      ramdisk: values['deploy-ramdisk'] ?? (images?.ramdisk as string),
      boot: machines ? (values['boot-interface'] ?? (values['http-url'] ? 'ipxe' : 'pxe')) : 'fake',
      deploy: machines ? 'direct' : 'fake',
    };
    // enrolment is a few API calls per node: 8 at a time keeps a 10,000-node run in minutes; printed in node order
    const uuids = new Map<SimNode, string | null>();
    await eachLimited(nodes, values.enroll ? 8 : 1, async (node) => {
      uuids.set(node, values.enroll ? await enrollNode(call, node, opts) : null);
    });
    for (const node of nodes) {
      const { host, port, username } = node.bmc;
      console.log(JSON.stringify({ name: node.name, uuid: uuids.get(node) ?? null, mac: node.mac, bmc: { host, port, username }, disk: node.machine?.opts.disk.path ?? null }));
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  console.log('ready');
  await new Promise<void>((res) => {
    process.once('SIGINT', () => res());
    process.once('SIGTERM', () => res());
  });
  await stopAll();
  return 0;
}
