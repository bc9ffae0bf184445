/**
 * Anvil's settings, one flat object with Ironic-like names grouped by prefix: the typed view of the options
 * declared (type, default, help) in core-options.ts and by plugin packages. The CLI overlays a config file
 * (JSON/YAML), ANVIL_* environment variables and flags, each checked against those declarations.
 */
import { CORE_OPTIONS } from './core-options.ts';
import { optionDefaults } from './options.ts';

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
  compute_ironic_username: string | null; // the user the compute service calls the baremetal API as (http_basic, keystone)
  compute_ironic_password: string | null; // its password (secret)
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
  /** Ironic 39 [conductor]service_callback_timeout: seconds a node may sit in `service wait`. */
  service_callback_timeout: number;
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
  log_level: 'debug' | 'info' | 'warn' | 'error';
  log_format: 'auto' | 'json' | 'pretty';
  [key: string]: unknown; // enabled_<kind>_interfaces / default_<kind>_interface and plugin settings
}

/** Every core setting's default, from its one declaration in core-options.ts. */
export const DEFAULT_SETTINGS: Settings = optionDefaults(CORE_OPTIONS) as unknown as Settings;
