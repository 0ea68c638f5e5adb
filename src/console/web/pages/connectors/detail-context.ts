import type { ConnectorHealth, ConnectorView, CredentialSchemaView, CredentialsView, ResilienceView, SettingsSchemaView } from './types.js';

// The detail page's data and what its sections may do, apart from detail.ts (which draws the sections): no import cycle.

/** An answer, or the problem that came instead (one part of the page failing leaves the others readable). */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface DetailData {
  view: ConnectorView;
  health: Loaded<ConnectorHealth>;
  settingsSchema: Loaded<SettingsSchemaView>;
  resilience: Loaded<ResilienceView>;
  credentials: Loaded<CredentialsView>;
  credentialSchema: Loaded<CredentialSchemaView>;
}

export type SectionKey = 'health' | 'availability' | 'settings' | 'resilience' | 'credentials';

/** What a section may do besides drawing itself. */
export interface DetailContext {
  id: string;
  /** Whether the user may change things (lgsp-admin): the other roles see no control that the API would refuse them. */
  isAdmin: boolean;
  signal: AbortSignal;
  /** Reads everything again, redraws, and confirms the change in that section. */
  refresh(after: SectionKey, message: string, kind?: 'success' | 'warning'): Promise<void>;
}
