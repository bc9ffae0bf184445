/**
 * A simulated top-of-rack switch: what it advertises over LLDP on each of its ports, as the agent reports it
 * (`[type, "<hex value>"]` TLVs per interface, IEEE 802.1AB with 802.1Q and 802.3 organisational TLVs), plus the
 * TLV encoders tests use to build their own. Pure.
 */
export type Tlv = [number, string];

const hexText = (s: string) => Buffer.from(s).toString('hex');
const u16 = (n: number) => n.toString(16).padStart(4, '0');
const macHex = (m: string) => m.replace(/[:-]/g, '').toLowerCase();
const OUI_DOT1 = '0080c2';
const OUI_DOT3 = '00120f';

export const lldpTlv = {
  /** chassis id, subtype 4 (MAC address) */
  chassisMac: (mac: string): Tlv => [1, `04${macHex(mac)}`],
  /** chassis id with a text subtype (1 chassis component, 2 interface alias, 3 port component, 6 interface name, 7 local) */
  chassisText: (subtype: number, s: string): Tlv => [1, subtype.toString(16).padStart(2, '0') + hexText(s)],
  /** port id with a text subtype (1 interface alias, 2 port component, 5 interface name, 6 agent circuit id, 7 local) */
  portText: (subtype: number, s: string): Tlv => [2, subtype.toString(16).padStart(2, '0') + hexText(s)],
  /** port id, subtype 3 (MAC address) */
  portMac: (mac: string): Tlv => [2, `03${macHex(mac)}`],
  ttl: (seconds: number): Tlv => [3, u16(seconds)],
  portDescription: (s: string): Tlv => [4, hexText(s)],
  systemName: (s: string): Tlv => [5, hexText(s)],
  systemDescription: (s: string): Tlv => [6, hexText(s)],
  /** system capabilities: supported and enabled bit maps (bit 2 = bridge, bit 4 = router) */
  capabilities: (supported: number, enabled: number): Tlv => [7, u16(supported) + u16(enabled)],
  /** management address, IPv4 */
  mgmtIpv4: (ip: string): Tlv => [8, Buffer.from([5, 1, ...ip.split('.').map(Number), 2, 0, 0, 0, 0, 0]).toString('hex')],
  /** 802.1Q port VLAN id (untagged) */
  pvid: (id: number): Tlv => [127, `${OUI_DOT1}01${u16(id)}`],
  /** 802.1Q VLAN name */
  vlan: (id: number, name: string): Tlv => [127, `${OUI_DOT1}03${u16(id)}${Buffer.byteLength(name).toString(16).padStart(2, '0')}${hexText(name)}`],
  /** 802.1 link aggregation: status (bit 0 supported, bit 1 enabled) and aggregated port id */
  linkAggregation: (enabled: boolean, id: number): Tlv => [127, `${OUI_DOT1}07${enabled ? '03' : '01'}${id.toString(16).padStart(8, '0')}`],
  /** 802.3 maximum frame size */
  mtu: (mtu: number): Tlv => [127, `${OUI_DOT3}04${u16(mtu)}`],
  end: (): Tlv => [0, ''],
};

export interface SwitchOptions {
  name: string;
  chassisMac: string;
  mgmtIp?: string;
  /** port name prefix, e.g. "Ethernet1/" → Ethernet1/1, Ethernet1/2, ... */
  portPrefix?: string;
  vlans?: { id: number; name: string }[];
  pvid?: number;
  mtu?: number;
}

export class SimSwitch {
  constructor(readonly opts: SwitchOptions) {}

  portName(port: number): string {
    return `${this.opts.portPrefix ?? 'Ethernet1/'}${port}`;
  }

  /** The LLDPDU this switch sends out of a port (1-based), as the agent reports it; `bond` adds link aggregation. */
  lldpFor(port: number, bond?: { id: number }): Tlv[] {
    const o = this.opts;
    const tlvs: Tlv[] = [lldpTlv.chassisMac(o.chassisMac), lldpTlv.portText(5, this.portName(port)), lldpTlv.ttl(120), lldpTlv.portDescription(`to server port ${port}`), lldpTlv.systemName(o.name), lldpTlv.systemDescription('Anvil simulated switch'), lldpTlv.capabilities(0x14, 0x04)];
    if (o.mgmtIp) tlvs.push(lldpTlv.mgmtIpv4(o.mgmtIp));
    tlvs.push(lldpTlv.pvid(o.pvid ?? 1));
    for (const v of o.vlans ?? []) tlvs.push(lldpTlv.vlan(v.id, v.name));
    if (bond) tlvs.push(lldpTlv.linkAggregation(true, bond.id));
    tlvs.push(lldpTlv.mtu(o.mtu ?? 1500), lldpTlv.end());
    return tlvs;
  }
}
