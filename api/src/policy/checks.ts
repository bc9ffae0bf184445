/**
 * The check strings of Ironic's default policy as small predicates (pure). Names follow Ironic's constants
 * (SYSTEM_ADMIN, PROJECT_OWNER_MEMBER, ...); a project match never succeeds on an empty owner/lessee.
 */
import type { Creds, PolicyOptions, PolicyTarget } from './creds.ts';

export type Check = (c: Creds, t: PolicyTarget, o: PolicyOptions) => boolean;

const has = (c: Creds, role: string) => c.roles.includes(role);
const sys = (c: Creds) => c.system_scope === 'all';
const proj = (c: Creds, id: string | null | undefined) => !!id && !!c.project_id && c.project_id === id;
export const or =
  (...checks: Check[]): Check =>
  (c, t, o) =>
    checks.some((k) => k(c, t, o));

export const ALWAYS: Check = () => true;
export const NEVER: Check = () => false;
export const SERVICE_ROLE: Check = (c, _t, o) => has(c, 'service') && !!c.project_name && c.project_name === (o.serviceProjectName ?? 'service');
export const SYSTEM_ADMIN: Check = (c) => has(c, 'admin') && sys(c);
export const SYSTEM_SERVICE: Check = (c) => has(c, 'service') && sys(c);
export const SYSTEM_MEMBER: Check = or((c) => has(c, 'member') && sys(c), SERVICE_ROLE);
/** `role:admin` with any scope (Ironic's TARGET_PROPERTIES_READER) */
export const ANY_ADMIN: Check = (c) => has(c, 'admin');
export const SYSTEM_READER: Check = or((c) => has(c, 'reader') && sys(c), SYSTEM_SERVICE, SERVICE_ROLE);

const ownerRole = (role: string): Check => (c, t) => has(c, role) && proj(c, t.node_owner);
const lesseeRole = (role: string): Check => (c, t) => has(c, role) && proj(c, t.node_lessee);
export const PROJECT_ADMIN = ownerRole('admin');
export const PROJECT_MANAGER = or(ownerRole('manager'), lesseeRole('manager'));
export const PROJECT_MEMBER = or(ownerRole('member'), lesseeRole('member'));
export const PROJECT_READER = or(ownerRole('reader'), lesseeRole('reader'));
export const PROJECT_SERVICE = ownerRole('service');
export const PROJECT_OWNER_ADMIN = ownerRole('admin');
export const PROJECT_OWNER_MANAGER = ownerRole('manager');
export const PROJECT_OWNER_MEMBER = ownerRole('member');
export const PROJECT_OWNER_READER = ownerRole('reader');
export const PROJECT_LESSEE_ADMIN = lesseeRole('admin');
export const PROJECT_LESSEE_MANAGER = lesseeRole('manager');

const allocRole = (role: string): Check => (c, t) => has(c, role) && proj(c, t.allocation_owner);

export const SYSTEM_OR_PROJECT_MEMBER = or(SYSTEM_MEMBER, PROJECT_MEMBER, SYSTEM_SERVICE);
export const SYSTEM_OR_PROJECT_READER = or(SYSTEM_READER, PROJECT_READER, PROJECT_SERVICE);
export const SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN = or(
  SYSTEM_MEMBER, SYSTEM_SERVICE, PROJECT_OWNER_MEMBER, PROJECT_LESSEE_ADMIN, PROJECT_LESSEE_MANAGER, PROJECT_SERVICE,
);
export const SYSTEM_ADMIN_OR_OWNER_ADMIN = or(SYSTEM_ADMIN, SYSTEM_SERVICE, PROJECT_OWNER_ADMIN, PROJECT_OWNER_MANAGER, PROJECT_SERVICE);
export const SYSTEM_MEMBER_OR_OWNER_ADMIN = or(SYSTEM_MEMBER, SYSTEM_SERVICE, PROJECT_OWNER_ADMIN, PROJECT_OWNER_MANAGER, PROJECT_SERVICE);
export const SYSTEM_MEMBER_OR_OWNER_MEMBER = or(SYSTEM_MEMBER, SYSTEM_SERVICE, PROJECT_OWNER_MEMBER, PROJECT_SERVICE);
export const SYSTEM_OR_OWNER_READER = or(SYSTEM_READER, SYSTEM_SERVICE, PROJECT_OWNER_READER, PROJECT_SERVICE);
export const SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN = or(
  SYSTEM_MEMBER, SYSTEM_SERVICE, PROJECT_OWNER_ADMIN, PROJECT_OWNER_MANAGER, PROJECT_LESSEE_ADMIN, PROJECT_LESSEE_MANAGER, PROJECT_SERVICE,
);
export const ALLOCATION_MEMBER = or(SYSTEM_MEMBER, allocRole('member'));
export const ALLOCATION_READER = or(SYSTEM_READER, allocRole('reader'));
export const ALLOCATION_CREATOR = or(SYSTEM_MEMBER, (c) => has(c, 'member'));
const runbookRole = (role: string): Check => (c, t) => has(c, role) && proj(c, t.runbook_owner);
const ROLE_SERVICE: Check = (c) => has(c, 'service');
/** Ironic 39's runbook checks (1.92): system members or the owner's managers change, readers read. */
export const RUNBOOK_ADMIN = or(SYSTEM_MEMBER, runbookRole('manager'), ROLE_SERVICE);
export const RUNBOOK_READER = or(SYSTEM_READER, runbookRole('reader'), ROLE_SERVICE);
export const RUNBOOK_CREATOR = or(SYSTEM_MEMBER, (c) => has(c, 'manager'), ROLE_SERVICE);
export const API_READER: Check = (c) => has(c, 'reader') || has(c, 'service');
export const PROJECT_ADMIN_ANY: Check = (c) => has(c, 'admin') || has(c, 'service');

/** Deprecated pre-RBAC rules, OR-ed in while enforce_new_defaults is off: is_admin and is_observer. */
export const LEGACY_ADMIN: Check = (c) => has(c, 'admin') || has(c, 'administrator') || has(c, 'baremetal_admin');
export const LEGACY_OBSERVER: Check = or(LEGACY_ADMIN, (c) => has(c, 'observer') || has(c, 'baremetal_observer'));
