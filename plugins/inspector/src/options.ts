/** In-band inspection settings, declared once (Ironic's [inspector], [inspection_rules], [inventory] names, prefixed). */
import { boolOpt, intOpt, type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  strOpt('inspector_hooks', '$default_hooks', '[inspector]hooks: inspection hooks in order ($default_hooks = ramdisk-error,validate-interfaces,ports,architecture)'),
  strOpt('inspector_add_ports', 'pxe', '[inspector]add_ports: which NICs get ports', { choices: ['all', 'active', 'pxe', 'disabled'] }),
  strOpt('inspector_keep_ports', 'all', '[inspector]keep_ports: which existing ports survive', { choices: ['all', 'present', 'added'] }),
  boolOpt('inspector_update_pxe_enabled', true, '[inspector]update_pxe_enabled: set pxe_enabled on existing ports from the inventory'),
  boolOpt('inspector_require_managed_boot', true, '[inspector]require_managed_boot: refuse inspection when the boot interface cannot boot the agent'),
  boolOpt('inspector_power_off', true, '[inspector]power_off: power the node off after inspection'),
  strOpt('inspector_extra_kernel_params', null, '[inspector]extra_kernel_params for the inspection ramdisk ("k=v k2=v2")'),
  strOpt('inspector_physical_network_cidr_map', null, '[inspector]physical_network_cidr_map ("10.0.0.0/24:physnet-a,...")'),
  strOpt('inspector_cpu_capabilities', null, '[inspector]cpu_capabilities ("flag:capability,..."; default vmx/svm → cpu_vt, aes → cpu_aes, ...)'),
  strOpt('inspector_pci_device_alias', null, '[inspector]pci_device_alias: JSON list of {"vendor_id","product_id","name"} counted into capabilities by the pci-devices hook'),
  strOpt('inspector_known_accelerators', null, "[inspector]known_accelerators: YAML file of accelerator PCI devices (default: Ironic's list)"),
  strOpt('inspection_rules_built_in_rules', null, '[inspection_rules]built_in_rules: YAML file of rules the API cannot change'),
  strOpt('inspection_rules_mask_secrets', 'always', '[inspection_rules]mask_secrets', { choices: ['always', 'never', 'sensitive'] }),
  strOpt('inventory_data_backend', 'database', '[inventory]data_backend: where inspection data is stored', { choices: ['database', 'none'] }),
  boolOpt('enable_inspection_callback', true, 'accept POST /v1/continue_inspection from ramdisks'),
  boolOpt('auto_discovery_enabled', false, '[auto_discovery]enabled: enrol machines no node matches when their inspection data arrives'),
  strOpt('auto_discovery_driver', 'fake-hardware', '[auto_discovery]driver: the hardware type of auto-discovered nodes'),
  // the Inspector-compatible API (ironic-inspector's v1, for the `inspector` interface and its client)
  boolOpt('inspector_api_enabled', true, 'serve the Inspector-compatible API (ironic-inspector v1) inside `anvil server` and `anvil api`'),
  intOpt('inspector_port', 5050, "the Inspector-compatible API's port (ironic-inspector's 5050)", { min: 0 }),
  strOpt('inspector_callback_url', null, 'ipa-inspection-callback-url of the `inspector` interface (default http://<API host>:<inspector_port>/v1/continue)'),
  // the PXE filter of the inspection dnsmasq (Ironic's [pxe_filter], ironic-pxe-filter)
  strOpt('pxe_filter_driver', 'noop', '[pxe_filter]: dnsmasq keeps the inspection dnsmasq hostsdir so only inspected (or, while inspecting / discovering, unknown) MACs PXE-boot', { choices: ['noop', 'dnsmasq'] }),
  strOpt('pxe_filter_dhcp_hostsdir', null, "[pxe_filter]dhcp_hostsdir: the inspection dnsmasq's --dhcp-hostsdir (default <data_dir>/dnsmasq/pxe-filter-hostsdir)"),
  intOpt('pxe_filter_sync_period', 45, '[pxe_filter]sync_period: seconds between full syncs (0 disables the periodic sync)', { min: 0 }),
  boolOpt('pxe_filter_deny_unknown_macs', false, '[pxe_filter]deny_unknown_macs: never let unknown MACs boot, even while inspecting'),
];
export default OPTIONS;
