
/**
 * A realm user's login through the dev IdP's own form, scripted: how tests
 * and `npm run dev-token` get the console's user tokens (admin, operator,
 * auditor) without a browser. Development only, like the dev IdP itself.
 */

/** Just enough of a browser: follows nothing by itself, keeps cookies by name. */
export class ScriptedBrowser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair && index > 0) this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }
}

export const consoleClient = { clientId: 'lgsp-console', clientSecret: 'lgsp-console-dev-secret' };
export const consoleRedirectUri = 'http://localhost:8080/console/alerts?auth_callback=1';

export function consoleAuthorizationUrl(issuer: string, overrides: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: consoleClient.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: consoleRedirectUri,
    state: 'state-123',
    ...overrides,
  });
  return `${issuer}/protocol/openid-connect/auth?${params}`;
}

/** Runs the browser through the IdP's login form until it redirects back to the console; returns that redirect. */
export async function loginThroughForm(browser: ScriptedBrowser, issuer: string, username: string, password: string): Promise<URL> {
  let response = await browser.get(consoleAuthorizationUrl(issuer));
  const loginUrl = new URL(response.headers.get('location') ?? '', issuer).href;
  response = await browser.get(loginUrl);
  response = await browser.postForm(loginUrl, { username, password });
  // Follow the IdP's own redirects (resume, automatic consent) until it leaves for the console.
  for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
    const location = new URL(response.headers.get('location') ?? '', issuer);
    if (!location.href.startsWith(issuer)) return location;
    response = await browser.get(location.href);
  }
  throw new Error(`login did not redirect back to the console (HTTP ${response.status})`);
}

/** A realm user's access token, as the console gets it (authorization code flow). */
export async function consoleUserToken(issuer: string, tokenUrl: string, username: string, password = `${username}-dev-password`): Promise<string> {
  const callback = await loginThroughForm(new ScriptedBrowser(), issuer, username, password);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error('login returned no authorization code');
  const basic = Buffer.from(`${consoleClient.clientId}:${consoleClient.clientSecret}`).toString('base64');
  const exchange = await fetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: consoleRedirectUri }),
  });
  if (exchange.status !== 200) throw new Error(`code exchange failed with HTTP ${exchange.status}`);
  return String(((await exchange.json()) as { access_token: unknown }).access_token);
}
