/**
 * Anvil's settings, one flat object with Ironic-like names grouped by prefix.
 * Defaults here; the CLI overlays a config file (JSON), ANVIL_* environment variables and flags.
 */
export interface Settings {
  host: string; // API listen address
  port: number; // API port (Ironic's 6385)
  public_url: string | null; // base URL shown in links; derived from host/port when null
  data_dir: string; // embedded SQLite file and other state
  database_url: string | null; // mysql://user:pass@host:port/db ; null → SQLite in data_dir
  auth_strategy: 'noauth' | 'http_basic' | 'keystone';
  rpc_transport: 'local' | 'kafka';
  kafka_brokers: string[];
  hostname: string; // this conductor's name
  conductor_group: string;
  max_body_bytes: number;
  // the compute service (nova-bridge: `anvil compute`, also inside `anvil server`), Nova's names where Nova has one
  compute_enabled: boolean; // run the compute service inside `anvil server`
  compute_port: number; // the compute API (Nova's 8774)
  compute_host: string | null; // this compute service's name; null → '<hostname>-compute'
  compute_ironic_url: string | null; // baremetal API for `anvil compute`; null → http://<host>:<port>
  compute_max_attempts: number; // [scheduler]max_attempts
  compute_report_interval: number; // report_interval (s)
  compute_service_down_time: number; // service_down_time (s)
  compute_resource_interval: number; // update_resources_interval (s)
  compute_power_sync_interval: number; // sync_power_state_interval (s)
  // conductor timers (seconds), Ironic's names and defaults unless noted
  heartbeat_interval: number;
  heartbeat_timeout: number;
  sync_power_state_interval: number;
  power_state_sync_max_retries: number;
  force_power_state_during_sync: boolean;
  power_failure_recovery_interval: number;
  check_provision_state_interval: number;
  deploy_callback_timeout: number;
  clean_callback_timeout: number;
  inspect_wait_timeout: number;
  rescue_callback_timeout: number;
  soft_power_off_timeout: number;
  automated_clean: boolean;
  allow_provisioning_in_maintenance: boolean;
  allow_deleting_available_nodes: boolean;
  hash_partition_exponent: number;
  hash_ring_reset_interval: number;
  node_locked_retry_attempts: number;
  node_locked_retry_interval: number;
  node_history_cleanup_interval: number; // seconds between node history trims (0 disables)
  node_history_max_entries: number; // newest entries each node keeps
  node_history_cleanup_batch_count: number; // at most this many entries deleted per run
  boot_trace_max_events: number; // Anvil: boot-trace events kept per MAC and per node
  api_max_in_flight: number; // Anvil: requests served at once before 503 + Retry-After (0 = no limit)
  // drivers
  enabled_hardware_types: string[];
  plugin_load_errors: 'fail' | 'warn';
  [key: string]: unknown; // enabled_<kind>_interfaces / default_<kind>_interface and plugin settings
}

export const DEFAULT_SETTINGS: Settings = {
  host: '127.0.0.1',
  port: 6385,
  public_url: null,
  data_dir: './data',
  database_url: null,
  auth_strategy: 'noauth',
  rpc_transport: 'local',
  kafka_brokers: ['127.0.0.1:9092'],
  hostname: 'anvil-conductor',
  conductor_group: '',
  max_body_bytes: 1024 * 1024 * 100,
  compute_enabled: true,
  compute_port: 8774,
  compute_host: null,
  compute_ironic_url: null,
  compute_max_attempts: 3,
  // Nova: 10 s / 60 s; shorter so a dead compute service's instances are adopted within seconds
  compute_report_interval: 2,
  compute_service_down_time: 10,
  compute_resource_interval: 60,
  compute_power_sync_interval: 600,
  // Anvil differs from Ironic (10 s / 60 s) so a dead conductor's nodes are taken over in < 10 s
  heartbeat_interval: 2,
  heartbeat_timeout: 6,
  sync_power_state_interval: 60,
  power_state_sync_max_retries: 3,
  force_power_state_during_sync: true,
  power_failure_recovery_interval: 300,
  check_provision_state_interval: 60,
  deploy_callback_timeout: 1800,
  clean_callback_timeout: 1800,
  inspect_wait_timeout: 1800,
  rescue_callback_timeout: 1800,
  soft_power_off_timeout: 600,
  automated_clean: true,
  allow_provisioning_in_maintenance: true,
  allow_deleting_available_nodes: true,
  hash_partition_exponent: 5,
  hash_ring_reset_interval: 2, // Ironic: 15 s
  node_locked_retry_attempts: 3,
  node_locked_retry_interval: 1,
  node_history_cleanup_interval: 86400,
  node_history_max_entries: 300,
  node_history_cleanup_batch_count: 1000,
  boot_trace_max_events: 500,
  api_max_in_flight: 1000,
  enabled_hardware_types: ['fake-hardware', 'manual-management', 'ipmi', 'redfish'],
  plugin_load_errors: 'fail',
};
