/** Read what a PXE/GRUB/iPXE config tells the firmware to boot (pure): kernel, initrd and the kernel command line. */
export interface BootEntry {
  kernel: string;
  initrd: string;
  cmdline: string;
  /** ipa-api-url from the command line: where the agent finds Ironic */
  apiUrl: string | null;
  /** ipa-inspection-callback-url: where the agent posts its inventory (in-band inspection) */
  inspectionUrl: string | null;
}

export function parseBootConfig(text: string): BootEntry | null {
  const lines = text.split('\n').map((l) => l.trim());
  let kernel = '';
  let initrd = '';
  let cmdline = '';
  for (const l of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^kernel\s+(?:--timeout \d+\s+)?(\S+)\s*(.*)$/i.exec(l)) && !kernel) {
      kernel = m[1];
      cmdline = m[2] || cmdline;
    } else if ((m = /^append\s+(.*)$/i.exec(l)) && kernel && !initrd && /initrd=/.test(l)) {
      const init = /initrd=(\S+)/.exec(m[1]);
      initrd = init ? init[1] : '';
      cmdline = m[1].replace(/initrd=\S+\s*/, '');
    } else if ((m = /^linuxefi\s+(\S+)\s*(.*)$/.exec(l)) && !kernel) {
      kernel = m[1];
      cmdline = m[2];
    } else if ((m = /^initrdefi\s+(\S+)/.exec(l)) && !initrd) {
      initrd = m[1];
    } else if ((m = /^initrd\s+(?:--timeout \d+\s+)?(\S+)/.exec(l)) && !initrd) {
      initrd = m[1];
    }
  }
  if (!kernel || !initrd) return null;
  const api = /(?:^|\s)ipa-api-url=(\S+)/.exec(cmdline);
  const insp = /(?:^|\s)ipa-inspection-callback-url=(\S+)/.exec(cmdline);
  return { kernel, initrd, cmdline, apiUrl: api ? api[1] : null, inspectionUrl: insp ? insp[1] : null };
}
