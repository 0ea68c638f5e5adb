/** What the shell gives a page, and what a page module exports (kept apart from the registry, which imports the pages). */
export type Role = 'lgsp-admin' | 'lgsp-operator' | 'lgsp-auditor';

export interface ConsoleUser {
  username: string;
  name?: string;
  roles: Role[];
}

/** What a page gets when it is shown. */
export interface PageContext {
  user: ConsoleUser;
  /** Whether the user holds one of these roles (what the page may offer; the API decides anyway). */
  can(...roles: Role[]): boolean;
  /** The rest of the path after the page's own (e.g. a connector id), decoded. */
  subpath: string[];
  query: URLSearchParams;
  /** Go to another console path without reloading. */
  navigate(path: string): void;
  /** Aborted when the user leaves the page: stop timers, close streams, ignore late answers. */
  signal: AbortSignal;
}

export interface ConsolePage {
  render(root: HTMLElement, context: PageContext): void | Promise<void>;
}
