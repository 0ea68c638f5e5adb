import { fetchPasswordGrantToken, startPasswordGrantRestSandbox, type PasswordGrantRestSandbox } from './password-grant-rest-sandbox.js';

const account = { clientId: 'kit-client', clientSecret: 'kit-client-secret', username: 'kit.user', password: 'kit-password' };

describe('password-grant REST sandbox (kit)', () => {
  let sandbox: PasswordGrantRestSandbox;

  beforeAll(async () => {
    sandbox = await startPasswordGrantRestSandbox({
      account,
      credentials: { password: 'configured-password', username: undefined },
      tokenPath: '/token',
      routes: { '/data': { operation: 'Data', method: 'GET', answer: () => ({ status: 200, body: { ok: true } }) } },
      systemError: () => ({ status: 500, body: { code: 'SYS' } }),
    });
  });
  afterAll(async () => sandbox.close());
  afterEach(() => sandbox.faults.clear());

  const data = (token?: string) => fetch(`${sandbox.baseUrl}/data`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers data routes only with a token of its endpoint, for the configured credentials merged over the development ones', async () => {
    expect((await data()).status).toBe(401);
    await expect(fetchPasswordGrantToken(sandbox.tokenUrl, account)).rejects.toThrow(/answered 400/);
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, { ...account, password: 'configured-password' });
    const answer = await data(token);
    expect([answer.status, await answer.json()]).toEqual([200, { ok: true }]);
    expect(sandbox.authority.issued.password).toBe(1);
  });

  it('answers the soap-fault switch with its own system error, and the expired-token switch with a 401', async () => {
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, { ...account, password: 'configured-password' });
    sandbox.faults.set({ kind: 'soap-fault' }, { times: 1 });
    const failing = await data(token);
    expect([failing.status, await failing.json()]).toEqual([500, { code: 'SYS' }]);
    sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
    expect((await data(token)).status).toBe(401);
    expect((await data(token)).status).toBe(200);
  });
});
