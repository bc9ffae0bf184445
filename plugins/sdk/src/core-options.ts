/**
 * Anvil's own settings, each declared once (Ironic's option names and defaults unless the help says otherwise).
 * DEFAULT_SETTINGS (settings.ts) is made from these; plugin packages declare theirs in `anvil.options`.
 */
import { INTERFACE_KINDS } from './objects.ts';
import { boolOpt, floatOpt, intOpt, listOpt, type OptionSpec, strOpt } from './options.ts';

const sec = (name: string, def: number, help: string) => floatOpt(name, def, `${help} (seconds)`, { min: 0 });

export const CORE_OPTIONS: readonly OptionSpec[] = [
  // the API and the process
  strOpt('host', '127.0.0.1', 'API listen address'),
  intOpt('port', 6385, 'API port', { min: 0 }),
  strOpt('public_url', null, 'base URL shown in links and given to agents (default http://<host>:<port>)'),
  strOpt('data_dir', './data', 'embedded SQLite database and other state'),
  strOpt('database_url', null, 'mysql://user:pass@host:port/db instead of embedded SQLite', { secret: true }),
  intOpt('max_body_bytes', 1024 * 1024 * 100, 'largest request body accepted', { min: 1 }),
  intOpt('api_max_in_flight', 1000, 'Anvil: requests served at once before 503 + Retry-After (0 = no limit)', { min: 0 }),
  strOpt('api_max_version', null, 'highest API microversion announced, 1.N (default: what this build implements)'),
  strOpt('log_level', 'info', 'lowest level logged', { choices: ['debug', 'info', 'warn', 'error'] }),
  strOpt('log_format', 'auto', 'json lines, pretty text, or auto (pretty on a terminal)', { choices: ['auto', 'json', 'pretty'] }),
  intOpt('metrics_port', null, '`anvil conductor`: port of its /metrics, /healthz, /readyz (0: any free port; default: none). The API serves them on its own port', { min: 0 }),
  strOpt('default_resource_class', null, 'resource_class of nodes created without one'),
  strOpt('default_portgroup_mode', 'active-backup', 'bonding mode of port groups created without one'),
  boolOpt('restrict_lookup', true, 'agent lookups only for nodes in states that expect a ramdisk'),
  sec('ramdisk_heartbeat_timeout', 300, 'how long an agent may go without heartbeating'),
  strOpt('agent_certificates_path', null, "agents' TLS certificates (default <data_dir>/certificates)"),
  // auth (api/README.md)
  strOpt('auth_strategy', 'noauth', 'noauth, http_basic (bcrypt htpasswd file) or keystone', { choices: ['noauth', 'http_basic', 'keystone'] }),
  strOpt('http_basic_auth_user_file', '/etc/ironic/htpasswd', 'htpasswd file for http_basic (bcrypt entries only)'),
  strOpt('keystone_url', null, 'Keystone v3 endpoint that validates X-Auth-Token'),
  strOpt('keystone_username', null, 'service user that validates tokens'),
  strOpt('keystone_password', null, "the service user's password", { secret: true }),
  strOpt('keystone_project_name', 'service', "the service user's project"),
  strOpt('keystone_user_domain_name', 'Default', "the service user's domain"),
  strOpt('keystone_project_domain_name', 'Default', "the service project's domain"),
  sec('keystone_token_cache_time', 300, 'how long a validated token is cached'),
  strOpt('keystone_www_authenticate_uri', null, 'URL in WWW-Authenticate on 401 (default keystone_url)'),
  boolOpt('policy_enforce_new_defaults', false, 'scoped RBAC only (false also allows the legacy admin/baremetal_observer roles)'),
  strOpt('rbac_service_project_name', 'service', 'project whose service role acts as a system member'),
  // RPC and conductors
  strOpt('rpc_transport', 'local', 'local (one process) or kafka', { choices: ['local', 'kafka'] }),
  listOpt('kafka_brokers', ['127.0.0.1:9092'], 'Kafka brokers host:port[,host:port]'),
  sec('rpc_response_timeout', 60, 'how long an RPC call waits for its reply'),
  strOpt('hostname', 'anvil-conductor', "this conductor's name"),
  strOpt('conductor_group', '', "this conductor's group (nodes with the same conductor_group are its)"),
  sec('heartbeat_interval', 2, 'conductor heartbeat (Ironic 10)'),
  sec('heartbeat_timeout', 6, 'a conductor silent this long is dead and its nodes are taken over (Ironic 60)'),
  intOpt('hash_partition_exponent', 5, 'hash ring partitions: 2^N', { min: 0 }),
  sec('hash_ring_reset_interval', 2, 'how often the hash ring is rebuilt (Ironic 15)'),
  intOpt('workers_pool_size', 100, 'background tasks a conductor runs at once before answering 503', { min: 1 }),
  intOpt('node_locked_retry_attempts', 3, 'retries of a locked node before 409', { min: 0 }),
  sec('node_locked_retry_interval', 1, 'wait between those retries'),
  // conductor periodic work
  sec('sync_power_state_interval', 60, 'power state sync (0 disables)'),
  intOpt('power_state_sync_max_retries', 3, 'power sync mismatches before maintenance', { min: 0 }),
  boolOpt('force_power_state_during_sync', true, 'power sync sets the BMC to the recorded state'),
  intOpt('bmc_incident_min_nodes', 5, 'BMCs silent in one power sync round that make one outage incident instead of maintenance (Anvil)', { min: 1 }),
  floatOpt('bmc_incident_min_fraction', 0.02, 'fraction of the round\'s nodes silent at once that makes an outage incident, if larger (Anvil)', { min: 0 }),
  sec('bmc_incident_max_backoff', 300, 'longest wait between reads of a BMC in an outage incident (Anvil)'),
  sec('power_failure_recovery_interval', 300, 'retry of nodes in maintenance for power failure (0 disables)'),
  sec('check_provision_state_interval', 60, 'callback timeout checks (0 disables)'),
  sec('deploy_callback_timeout', 1800, 'wait call-back timeout'),
  sec('clean_callback_timeout', 1800, 'clean wait timeout'),
  sec('inspect_wait_timeout', 1800, 'inspect wait timeout'),
  sec('rescue_callback_timeout', 1800, 'rescue wait timeout'),
  sec('service_callback_timeout', 1800, 'service wait timeout (Ironic 39 servicing)'),
  sec('soft_power_off_timeout', 600, 'soft power off before giving up'),
  sec('power_state_change_timeout', 60, 'wait for a power change to show'),
  boolOpt('automated_clean', true, 'clean nodes on provide and undeploy'),
  boolOpt('allow_provisioning_in_maintenance', true, 'provision actions on nodes in maintenance'),
  boolOpt('allow_deleting_available_nodes', true, 'delete nodes in available'),
  sec('node_history_cleanup_interval', 86400, 'node history trims (0 disables)'),
  intOpt('node_history_max_entries', 300, 'newest history entries each node keeps', { min: 0 }),
  intOpt('node_history_cleanup_batch_count', 1000, 'history entries deleted per run at most', { min: 0 }),
  intOpt('boot_trace_max_events', 500, 'Anvil: boot-trace events kept per MAC and per node', { min: 0 }),
  strOpt('default_boot_mode', 'uefi', 'boot mode of nodes that do not say', { choices: ['uefi', 'bios'] }),
  strOpt('neutron_url', null, 'Neutron endpoint for the neutron network interface and DHCP provider'),
  strOpt('neutron_auth_token', null, 'token sent to Neutron', { secret: true }),
  // drivers
  listOpt('enabled_hardware_types', ['fake-hardware', 'manual-management', 'ipmi', 'redfish'], 'hardware types this Anvil serves'),
  ...INTERFACE_KINDS.flatMap((kind) => [
    listOpt(`enabled_${kind}_interfaces`, null, `${kind} interfaces enabled (default: every installed one)`),
    strOpt(`default_${kind}_interface`, null, `${kind} interface of nodes that do not name one (default: the hardware type's first)`),
  ]),
  listOpt('plugin_dirs', null, 'extra plugin packages: a package dir or a dir of packages'),
  strOpt('plugin_load_errors', 'fail', 'a broken plugin refuses start (fail) or is skipped (warn)', { choices: ['fail', 'warn'] }),
  // the compute service (nova-bridge), Nova's names where Nova has one
  boolOpt('compute_enabled', true, 'run the compute service inside `anvil server`'),
  intOpt('compute_port', 8774, 'the compute API port', { min: 0 }),
  strOpt('compute_host', null, "this compute service's name (default <hostname>-compute)"),
  strOpt('compute_ironic_url', null, 'baremetal API for `anvil compute` (default http://<host>:<port>)'),
  strOpt('compute_ironic_username', null, 'user the compute service calls the baremetal API as: http_basic (required), keystone (default keystone_username)'),
  strOpt('compute_ironic_password', null, "that user's password (keystone default: keystone_password)", { secret: true }),
  intOpt('compute_max_attempts', 3, '[scheduler]max_attempts', { min: 1 }),
  sec('compute_report_interval', 2, 'report_interval (Nova 10)'),
  sec('compute_service_down_time', 10, 'service_down_time (Nova 60)'),
  sec('compute_resource_interval', 60, 'update_resources_interval'),
  sec('compute_power_sync_interval', 600, 'sync_power_state_interval'),
];

/**
 * ANVIL_* variables that are not settings (the file to read, tools, the test harness): accepted without a check.
 * Every other ANVIL_* variable must name a setting.
 */
export const NON_SETTING_ENV: readonly string[] = ['ANVIL_CONFIG', 'ANVIL_ENDPOINT', 'ANVIL_COMPUTE_ENDPOINT', 'ANVIL_NODE_ARGS', 'ANVIL_TMP', 'ANVIL_PYTHON'];
/** prefixes of the test harness' and the tools' variables (scripts/services/*.sh env, tools/vm-lab) */
export const NON_SETTING_ENV_PREFIXES: readonly string[] = ['ANVIL_TEST_', 'ANVIL_VM_', 'ANVIL_KAFKA_OWNER', 'ANVIL_KAFKA_INSTANCE', 'ANVIL_KAFKA_VERSION', 'ANVIL_KAFKA_HEAP', 'ANVIL_SUSHY_', 'ANVIL_LATEST_', 'ANVIL_OPENSTACK_', 'ANVIL_BAREMETAL_', 'ANVIL_IRONIC', 'ANVIL_DEPLOY_', 'ANVIL_REPLAY_', 'ANVIL_TFTP_', 'ANVIL_CHROMIUM', 'ANVIL_SCHEMATHESIS', 'ANVIL_FUZZ_'];
