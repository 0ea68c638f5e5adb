import type { AdminActor } from '../audit/admin-change.js';

/**
 * The credential vault's public shapes (issue 13). Nothing here ever holds a
 * secret except `OpenedCredentials`, which only the connector runtime and the
 * connection test receive, never an API response, log line or audit entry.
 */

/** Where a connector's credentials come from. env/file sources are read-only through the API. */
export type CredentialSource = 'vault' | 'config' | 'env' | 'file';

/**
 * staged: uploaded, not used yet. active: used for every new upstream call.
 * previous: the version active before, still usable until `usableUntil`
 * (overlap window; rollback possible). destroyed: ciphertext wiped (a
 * previous version past its window, a discarded staged version, or one
 * replaced while still staged).
 */
export type CredentialState = 'staged' | 'active' | 'previous' | 'destroyed';

/** What a connection test with one version found out: nothing more specific ever leaves the gateway. */
export type ConnectionTestOutcome = 'ok' | 'refused' | 'unreachable' | 'tls_error' | 'timeout' | 'redirected' | 'address_refused' | 'error';

/** Metadata of one credential version: everything an operator or admin may see. */
export interface CredentialVersionView {
  connectorId: string;
  version: number;
  state: CredentialState;
  source: CredentialSource;
  /** Names of the fields set in this version (secret or not), sorted. */
  fieldsSet: string[];
  /** Keyed fingerprint (HMAC) of the secret values: equal fingerprints = same secrets, and nothing can be learnt from it. */
  fingerprint: string;
  /** When the credentials stop working: set by the admin or read from the uploaded client certificate. */
  expiresAt?: string;
  createdAt: string;
  createdBy: string;
  activatedAt?: string;
  activatedBy?: string;
  /** Only for `previous`: the end of its overlap window (then it is destroyed). */
  usableUntil?: string;
  destroyedAt?: string;
  lastTest?: { outcome: ConnectionTestOutcome; at: string; by: string; detail?: string };
}

export interface OpenedCredentials {
  version: number;
  fields: Readonly<Record<string, unknown>>;
}

/** What the runtime uses: the active version and, inside its window, the one before it. */
export interface UsableCredentials {
  active?: OpenedCredentials;
  previous?: OpenedCredentials & { usableUntil: Date };
}

export type { AdminActor };
