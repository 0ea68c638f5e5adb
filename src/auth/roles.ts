import type { Principal } from './principal.js';

/** The realm roles the gateway acts on; they are defined in config/keycloak/lgsp-realm.json. */
export const Roles = {
  /** Registers consumers and grants, manages connectors and upstream credentials, reads the audit log. */
  admin: 'lgsp-admin',
  /** Watches connector health and alerts, acknowledges and silences. */
  operator: 'lgsp-operator',
  /** Reads the audit trail: who read whose data, when and why. */
  auditor: 'lgsp-auditor',
} as const;

export type LgspRole = (typeof Roles)[keyof typeof Roles];

export const allRoles: readonly LgspRole[] = Object.values(Roles);

export function hasRole(principal: Pick<Principal, 'roles'>, role: LgspRole): boolean {
  return principal.roles.includes(role);
}
