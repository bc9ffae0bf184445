/** Request credentials as the auth middleware builds them, and the policy target (node owner/lessee, allocation owner). */

export interface Creds {
  /** noauth: every policy check passes (Ironic's auth_strategy=noauth). */
  noauth?: boolean;
  user_id?: string | null;
  user_name?: string | null;
  project_id?: string | null;
  project_name?: string | null;
  /** Lower-cased role names (Keystone already expands implied roles: admin → member → reader). */
  roles: string[];
  /** 'all' for a system-scoped token. */
  system_scope?: 'all' | null;
}

export interface PolicyTarget {
  node_owner?: string | null;
  node_lessee?: string | null;
  allocation_owner?: string | null;
  /** Ironic 39 (1.92): a runbook's owner. */
  runbook_owner?: string | null;
}

export interface PolicyOptions {
  /** oslo.policy enforce_new_defaults; false (default) ORs in the deprecated is_admin/is_observer rules. */
  enforceNewDefaults?: boolean;
  /** [DEFAULT]rbac_service_project_name (Ironic: "service"). */
  serviceProjectName?: string;
}

export const NOAUTH_CREDS: Creds = { noauth: true, roles: ['admin', 'member', 'reader'], system_scope: 'all' };

/** http_basic: an authenticated user acts as a system administrator. */
export function basicCreds(user: string): Creds {
  return { user_id: user, user_name: user, roles: ['admin', 'member', 'reader'], system_scope: 'all' };
}
