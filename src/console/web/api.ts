/**
 * The admin API, through the console's relay (/console/api → /admin/v1 with
 * the signed-in user's token, checked by the same roles). The browser never
 * sees a token: it sends its session cookie and, on changes, the CSRF token.
 */
export interface FieldError {
  field: string;
  message: string;
}

/** An application/problem+json answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(detail ?? title);
  }
}

let csrfToken = '';
export function useCsrfToken(token: string): void {
  csrfToken = token;
}

const base = '/console/api';

export type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const send = () => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${base}${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined && { body: JSON.stringify(body) }), ...(signal && { signal }) });
  };
  let response = await send();
  if (response.status === 403 && method !== 'GET' && (await isStaleCsrfToken(response))) {
    // Signed in again in another tab: this tab's token belongs to the old session. Take the new one and try once more.
    response = await send();
  }
  if (response.status === 401) {
    // The session ended (idle, or signed out elsewhere): sign in again and come back here.
    location.assign(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw await problemOf(response);
  }
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

async function isStaleCsrfToken(response: Response): Promise<boolean> {
  const problem = (await response.clone().json().catch(() => ({}))) as { code?: string };
  if (problem.code !== 'LGSP_CSRF_TOKEN_INVALID') return false;
  const session = await fetch('/console/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!session.ok) return false;
  const { csrfToken: fresh } = (await session.json()) as { csrfToken: string };
  if (fresh === csrfToken) return false;
  csrfToken = fresh;
  return true;
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as { code?: string; title?: string; detail?: string; errors?: FieldError[] };
    return new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.title ?? response.statusText, problem.detail, problem.errors ?? []);
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, response.statusText, undefined, []);
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', withQuery(path, query), undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A relative URL of the relay, for links the browser follows itself (CSV downloads, printable reports). */
  href: (path: string, query?: Query) => `${base}${withQuery(path, query)}`,
  /** Server-sent events of the admin API (the alert stream), over the session cookie. */
  stream: (path: string) => new EventSource(`${base}${path}`, { withCredentials: true }),
};

/** Sign-out: the session ends here, then the realm's own sign-out page. */
export async function signOut(): Promise<void> {
  const response = await fetch('/console/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken }, credentials: 'same-origin' });
  // Never claim a sign-out that did not happen: a refused one is shown like any other problem.
  if (!response.ok) throw await problemOf(response);
  const answer = (await response.json()) as { redirect: string };
  location.assign(answer.redirect);
}
