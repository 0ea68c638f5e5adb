/**
 * What the connectors page uses of the console's PageContext (pages/registry.ts),
 * declared here rather than imported: registry.ts loads this page, so
 * importing it back would close a dependency cycle.
 */
export interface ConnectorsPageContext {
  can(...roles: Array<'lgsp-admin' | 'lgsp-operator' | 'lgsp-auditor'>): boolean;
  subpath: string[];
  navigate(path: string): void;
  signal: AbortSignal;
}
