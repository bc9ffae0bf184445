/**
 * THE list of deliberate differences between Anvil and Debian's real Ironic 21.4, as the differential replay
 * (replay.test.ts) finds them. Each entry: the request (`key`: section / row @microversion), where the two answers
 * differ (`at`: a JSON pointer into the normalised answer), both answers, and why Anvil differs. `*` in key or at
 * matches any text; an answer given as ANY stands for a long body (the replay prints the real one). The replay
 * fails on any difference no entry covers, and reports entries that cover nothing.
 */
export const ANY = '<any>';

export interface Deliberate {
  key: string;
  at: string;
  ironic: unknown;
  anvil: unknown;
  why: string;
}

const IRONIC_500 = 'Ironic 21.4 fails here with an unhandled exception (500, faultcode Server); Anvil answers the client error as a 400';
const TIME_I = '<time:9999-99-99T99:99:99.999999+99:99>';
const PATCHABLE_21 =
  'automated_clean, bios_interface, boot_interface, chassis_uuid, conductor_group, console_interface, deploy_interface, description, driver, driver_info, extra, inspect_interface, instance_info, instance_uuid, lessee, maintenance, management_interface, name, network_data, network_interface, owner, power_interface, properties, protected, protected_reason, raid_interface, rescue_interface, resource_class, retired, retired_reason, shard, storage_interface, vendor_interface';
const PATCHABLE_ANVIL =
  'automated_clean, bios_interface, boot_interface, chassis_uuid, conductor_group, console_interface, deploy_interface, description, disable_power_off, driver, driver_info, extra, inspect_interface, instance_info, instance_name, instance_uuid, lessee, maintenance, management_interface, name, network_data, network_interface, owner, power_interface, properties, protected, protected_reason, raid_interface, rescue_interface, resource_class, retired, retired_reason, shard, storage_interface, vendor_interface, parent_node, firmware_interface';
const TIME_A = '<time:9999-99-99T99:99:99+99:99>';

export const DELIBERATE: Deliberate[] = [
  {
    key: 'contract / PUT deploy_steps @1.69', at: '/body/error_message/faultstring', ironic: ANY, anvil: ANY,
    why: "Anvil's step interfaces are Ironic 39's (vendor and firmware as well: the firmware interface is 1.86); Ironic 21.4 lists five, so the enum in the message is longer",
  },
  {
    key: 'bad-input / GET unknown fault filter @latest', at: '/body/error_message/faultstring',
    ironic: 'Unrecognized fault "bogus" is specified, allowed faults are (\'power failure\', \'clean failure\', \'rescue abort failure\')',
    anvil: 'Unrecognized fault "bogus" is specified, allowed faults are (\'power failure\', \'clean failure\', \'rescue abort failure\', \'service failure\')',
    why: "Ironic 39's faults: servicing (1.87) adds 'service failure', which Ironic 21.4 predates",
  },
  {
    key: '*', at: '*_at', ironic: TIME_I, anvil: TIME_A,
    why: 'Anvil keeps timestamps to the second (DATETIME columns without fractions on SQLite and MariaDB); Ironic prints microseconds. Same instant, same +00:00 zone.',
  },
  { key: 'contract / POST backfill allocation with node @1.58', at: '/status', ironic: 500, anvil: 400, why: `${IRONIC_500} (same faultstring: the node must be active).` },
  { key: 'contract / POST backfill allocation with node @1.58', at: '/body/error_message/faultcode', ironic: 'Server', anvil: 'Client', why: IRONIC_500 },
  { key: 'bad-input / POST malformed JSON @latest', at: '/status', ironic: 500, anvil: 400, why: `${IRONIC_500}: a body that is not JSON is the client's error.` },
  { key: 'bad-input / POST malformed JSON @latest', at: '/body/error_message/faultcode', ironic: 'Server', anvil: 'Client', why: IRONIC_500 },
  {
    key: 'bad-input / POST malformed JSON @latest', at: '/body/error_message/faultstring',
    ironic: 'Expecting property name enclosed in double quotes: line 1 column 28 (char 27)',
    anvil: 'Invalid JSON in request body: Expected double-quoted property name in JSON at position 27',
    why: "the text of the JSON parser (Python's json vs V8's JSON.parse), prefixed by what went wrong",
  },
  { key: 'bad-input / GET unknown field in fields @latest', at: '/status', ironic: 500, anvil: 400, why: `${IRONIC_500} (AttributeError on the Node object).` },
  { key: 'bad-input / GET unknown field in fields @latest', at: '/body/error_message/faultcode', ironic: 'Server', anvil: 'Client', why: IRONIC_500 },
  {
    key: 'bad-input / GET unknown field in fields @latest', at: '/body/error_message/faultstring',
    ironic: "type object 'Node' has no attribute 'bogus'", anvil: 'Field bogus is not a valid field.',
    why: "Ironic's text is a Python AttributeError; Anvil names the unknown field",
  },
  { key: 'bad-input / POST port in a portgroup of another node @latest', at: '/status', ironic: 500, anvil: 400, why: `${IRONIC_500} (same faultstring).` },
  { key: 'bad-input / POST port in a portgroup of another node @latest', at: '/body/error_message/faultcode', ironic: 'Server', anvil: 'Client', why: IRONIC_500 },
  ...['contract / GET node portgroups @1.24', 'lifecycle / ports of the node (detail)'].flatMap((key): Deliberate[] => [
    { key, at: '/status', ironic: 404, anvil: 200, why: 'Ironic 21.4 bug: a node named (not by UUID) in /v1/nodes/{node}/ports|portgroups fails with "Portgroup None could not be found."; Anvil lists the node\'s objects' },
    { key, at: '/body/error_message', ironic: { debuginfo: null, faultcode: 'Client', faultstring: 'Portgroup None could not be found.' }, anvil: '<absent>', why: 'the same Ironic bug' },
    { key, at: '/body/p*s', ironic: '<absent>', anvil: ANY, why: 'the same Ironic bug: Anvil answers the list' },
  ]),
  { key: 'lifecycle / ports of the portgroup', at: '/status', ironic: 404, anvil: 200, why: 'Ironic 21.4 does not resolve a portgroup name in /v1/portgroups/{portgroup}/ports although it does at /v1/portgroups/{portgroup}; Anvil resolves names in both' },
  { key: 'lifecycle / ports of the portgroup', at: '/body/error_message', ironic: { debuginfo: null, faultcode: 'Client', faultstring: 'Portgroup lc-pg could not be found.' }, anvil: '<absent>', why: 'the same' },
  { key: 'lifecycle / ports of the portgroup', at: '/body/ports', ironic: '<absent>', anvil: ANY, why: 'the same' },
  {
    key: 'contract / PATCH port network_type *', at: '/body/internal_info/tenant_vif_port_id', ironic: '<absent>', anvil: 'vif-r19',
    why: "Anvil's noop network records an attached VIF on a free port (internal_info.tenant_vif_port_id, like Ironic's flat/neutron VIFPortIDMixin) so Nova's attach/detach and config-drive MACs work on fake-hardware; Ironic's noop forgets VIFs",
  },
  { key: 'lifecycle / list vifs', at: '/body/vifs/length', ironic: 0, anvil: 1, why: "the same: Ironic's noop network lists no VIFs, Anvil's lists the one attached" },
  {
    key: 'lifecycle / node history*', at: '/body/history/length', ironic: 0, anvil: ANY,
    why: "Anvil's node history is Ironic 39's: its deployment start/end entries (log_step_flow_history) and power transitions; Ironic 21.4 predates step-flow entries and records only failures (none in this lifecycle)",
  },
  {
    key: 'lifecycle / validate', at: '/body/firmware', ironic: '<absent>', anvil: { result: true },
    why: "Ironic 39 validates the firmware interface (1.86) with the others, at every version; Ironic 21.4 has no firmware interface",
  },
  {
    key: 'contract / GET nodes detail=True @1.43', at: '/body/nodes/[45]/updated_at', ironic: TIME_I, anvil: null,
    why: "Ironic's conductor takes the node's exclusive lock to create a port or set traits, and taking the lock stamps the node's updated_at; Anvil writes ports and traits without locking the node",
  },
  ...(
    [
      ['read-only uuid', 'uuid'],
      ['read-only provision_state', 'provision_state'],
      ['traits through the node', 'traits'],
    ] as const
  ).map(([name, field]): Deliberate => ({
    key: `bad-input / PATCH patch ${name} @latest`,
    at: '/body/error_message/faultstring',
    ironic: `Cannot patch /${field}. Only the following can be updated: ${PATCHABLE_21}`,
    anvil: `Cannot patch /${field}. Only the following can be updated: ${PATCHABLE_ANVIL}`,
    why: "Anvil's node has the fields of later Ironic releases (up to 1.115: disable_power_off, instance_name, parent_node, firmware_interface), and the list of patchable fields names them",
  })),
  {
    key: 'bad-input / GET port by name @latest', at: '/status', ironic: 400, anvil: 404,
    why: "Anvil looks ports up by name at every microversion as Ironic 39 does (port names, 1.88); Ironic 21.4 only takes a UUID there",
  },
  {
    key: 'bad-input / GET port by name @latest', at: '/body/error_message/faultstring', ironic: 'Expected UUID for port_uuid: some-name', anvil: 'Port some-name could not be found.',
    why: 'the same: the name is looked up, and there is no such port',
  },
  {
    key: 'lifecycle / set instance_info', at: '/body/reservation', ironic: 'nova-bridge-reference', anvil: null,
    why: "Ironic answers a node PATCH with the node object saved while its conductor still holds the update lock; Anvil renders the node after the lock is released",
  },
];

/** `*` matches any text, `[..]` a character class; everything else literally. */
export function glob(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+?^${}()|\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${re}$`).test(text);
}
