import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { userId, type RealmSeed } from './realm-export.js';
import { escapeHtml } from '../../src/util/html.js';

const maxFormBytes = 16 * 1024;

/**
 * The dev IdP's interaction endpoint: a username/password form checked
 * against the realm export's users, then an automatic consent, because the
 * realm's clients are first-party (`consentRequired: false`) and Keycloak
 * shows them no consent screen either.
 */
export function createLoginHandler(realm: RealmSeed, currentProvider: () => Provider) {
  return async function handleLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = currentProvider();
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendPage(res, 400, 'Login session expired', '<p>This login page has expired. Start the sign-in again from the application.</p>');
      return;
    }

    if (details.prompt.name === 'consent') {
      await grantConsent(provider, details, req, res);
      return;
    }
    if (details.prompt.name !== 'login') {
      sendPage(res, 501, 'Not supported', '<p>The dev identity provider only supports password login.</p>');
      return;
    }

    if (req.method === 'POST') {
      const form = await readForm(req);
      const username = form?.get('username') ?? '';
      const password = form?.get('password') ?? '';
      const user = realm.userByUsername(username);
      if (user !== undefined && realm.verifyPassword(user, password)) {
        await provider.interactionFinished(req, res, { login: { accountId: userId(user), amr: ['pwd'] } }, { mergeWithLastSubmission: false });
        return;
      }
      sendPage(res, 200, `Sign in to ${realm.name}`, loginForm(realm.name, username, 'Invalid username or password.'));
      return;
    }

    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    sendPage(res, 200, `Sign in to ${realm.name}`, loginForm(realm.name, hint));
  };
}

async function grantConsent(provider: Provider, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (accountId === undefined || typeof clientId !== 'string') {
    sendPage(res, 400, 'Login session expired', '<p>Start the sign-in again from the application.</p>');
    return;
  }
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details ?? {};
  if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
  if (isScopeMap(missing.missingResourceScopes)) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function isScopeMap(value: unknown): value is Record<string, string[]> {
  return typeof value === 'object' && value !== null && Object.values(value).every((entry) => Array.isArray(entry));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxFormBytes) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(realmName: string, username: string, error?: string): string {
  return `<h1>Sign in to ${escapeHtml(realmName)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" autocomplete="off">
  <label>Username <input name="username" id="username" value="${escapeHtml(username)}" required autofocus></label>
  <label>Password <input name="password" id="password" type="password" required></label>
  <button type="submit" name="login" id="kc-login">Sign In</button>
</form>
<p><small>Development identity provider: users and passwords come from the realm export.</small></p>`;
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: browsers apply it to the redirects that follow the post, and the sign-in ends on the client's origin (Keycloak sets none either).
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

