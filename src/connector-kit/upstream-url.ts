/**
 * The URL of an upstream service: the configured base URL's path followed by
 * a path under it, joined with exactly one `/` between them and nothing else
 * added or dropped. An empty path is the base itself, as configured (a strict
 * adapter routes `/dvcqg` and `/dvcqg/` differently). A query string in
 * either part is kept; the base's comes first.
 *
 *   https://host/adapter  + /dvcqg        → https://host/adapter/dvcqg
 *   https://host/adapter/ + dvcqg         → https://host/adapter/dvcqg
 *   https://host/dvcqg    + ''            → https://host/dvcqg
 *   https://host          + /Svc.svc?v=1  → https://host/Svc.svc?v=1
 */
export function upstreamUrl(baseUrl: string, path = ''): URL {
  const base = new URL(baseUrl);
  if (path === '') return base;
  const [pathname, search = ''] = splitQuery(path);
  const url = new URL(base.origin);
  url.pathname = `${base.pathname.replace(/\/$/, '')}/${pathname.replace(/^\//, '')}`;
  url.search = [base.search.slice(1), search].filter((part) => part !== '').join('&');
  return url;
}

/** The request target (`path?query`) an HTTP client sends for this URL. */
export function requestTarget(url: URL): string {
  return `${url.pathname}${url.search}`;
}

function splitQuery(path: string): [string, string?] {
  const at = path.indexOf('?');
  return at < 0 ? [path] : [path.slice(0, at), path.slice(at + 1)];
}
