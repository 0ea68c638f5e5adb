/**
 * What a consumer system does to get a token from Keycloak (or the dev IdP):
 * a client_credentials grant at the realm's token URL. Shared by tests here
 * and elsewhere (end-to-end tests call the gateway with such tokens).
 */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export async function requestClientCredentialsToken(
  tokenUrl: string,
  credentials: { clientId: string; clientSecret: string; method?: 'client_secret_basic' | 'client_secret_post'; scope?: string },
): Promise<TokenResponse> {
  const response = await postTokenRequest(tokenUrl, credentials, { grant_type: 'client_credentials', ...(credentials.scope ? { scope: credentials.scope } : {}) });
  if (response.status !== 200) throw new Error(`token request failed with HTTP ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as unknown as TokenResponse;
}

/** A raw token-endpoint call, for tests that look at failures too. */
export async function postTokenRequest(
  tokenUrl: string,
  credentials: { clientId: string; clientSecret: string; method?: 'client_secret_basic' | 'client_secret_post' },
  parameters: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(parameters);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (credentials.method === 'client_secret_post') {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  } else {
    // RFC 6749 §2.3.1: form-urlencode each part before base64.
    const basic = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const response = await fetch(tokenUrl, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
