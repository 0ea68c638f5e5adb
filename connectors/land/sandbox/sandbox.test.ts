import { landSandboxDevCredentials, startLandSandbox, type LandSandbox } from './server.js';
import { generateParcels, landAreaText, nationalParcelId } from './seed.js';
import { findPersonById } from '../../../simulators/kit/people.js';

/** The simulator speaks the land system's protocol: password-grant tokens, bearer-protected REST, faults. */
describe('land sandbox', () => {
  let sandbox: LandSandbox;
  const { clientId, clientSecret, username, password } = landSandboxDevCredentials;
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  beforeAll(async () => {
    sandbox = await startLandSandbox();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  afterEach(() => sandbox.faults.clear());

  const token = async (form: Record<string, string>) =>
    fetch(sandbox.tokenUrl, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  const search = (bearer: string | undefined, query = 'maXa=00004&soTo=12&soThua=345') =>
    fetch(`${sandbox.apiUrl}/thua-dat?${query}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  it('issues access and refresh tokens for the password grant and rotates the refresh token', async () => {
    const login = await token({ grant_type: 'password', username, password });
    expect(login.status).toBe(200);
    const issued = (await login.json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(issued.expires_in).toBeGreaterThan(0);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    expect(refreshed.status).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'password', username, password: 'wrong' })).status).toBe(400);
    expect((await token({ grant_type: 'client_credentials' })).status).toBe(400);
  });

  it('guards data calls with the bearer token', async () => {
    expect((await search(undefined)).status).toBe(401);
    expect((await search('not-a-token')).status).toBe(401);
    const { access_token } = (await (await token({ grant_type: 'password', username, password })).json()) as { access_token: string };
    const response = await search(access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ MaLoi: '00', TongSoBanGhi: '1', DuLieu: [{ MaXa: '00004', SoHieuBanDo: '12', SoThuTuThua: '345' }] });
    // Leading zeros name the same sheet and parcel.
    expect(((await (await search(access_token, 'maXa=00004&soTo=012&soThua=0345')).json()) as { DuLieu: unknown[] }).DuLieu).toHaveLength(1);
  });

  it('switches faults over HTTP for other processes', async () => {
    const { access_token } = (await (await token({ grant_type: 'password', username, password })).json()) as { access_token: string };
    const set = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'http-500', operation: 'TraCuuThuaDat', times: 1 }) });
    expect(set.status).toBe(200);
    expect((await search(access_token)).status).toBe(500);
    expect((await search(access_token)).status).toBe(200);
  });

  it('seeds parcels owned by the seeded people, at their 2025 communes, with unique keys and serials', () => {
    const parcels = generateParcels();
    expect(parcels.length).toBeGreaterThan(100);
    const keys = new Set(parcels.map((parcel) => `${parcel.communeCode}/${parcel.mapSheet}/${parcel.parcelNumber}`));
    expect(keys.size).toBe(parcels.length);
    const serials = parcels.flatMap((parcel) => (parcel.certificate ? [parcel.certificate.serial] : []));
    expect(new Set(serials).size).toBe(serials.length);
    for (const serial of serials) expect(serial).toMatch(/^[A-Z]{2} [0-9]{6}$/);
    for (const parcel of parcels) {
      for (const owner of parcel.owners) expect(findPersonById(owner.personalId)).toBe(owner);
      // Residential parcels lie where their first owner lives.
      if (parcel.uses.some((use) => use.code === 'ODT' || use.code === 'ONT')) expect(parcel.communeCode).toBe(parcel.owners[0]!.permanentAddress.communeCode);
    }
  });

  it('prints areas and designs national parcel ids as documented', () => {
    expect(landAreaText(1525)).toBe('152,5');
    expect(landAreaText(12500)).toBe('1.250,0');
    // commune (5) + map sheet (4) + parcel number (5) + Luhn check digit.
    expect(nationalParcelId('00004', 12, 345)).toBe('000040012003451');
    const luhnValid = (digits: string) =>
      [...digits].reverse().reduce((sum, digit, index) => sum + (index % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(digit)]! : Number(digit)), 0) % 10 === 0;
    for (const parcel of generateParcels().slice(0, 40)) expect(luhnValid(nationalParcelId(parcel.communeCode, parcel.mapSheet, parcel.parcelNumber))).toBe(true);
    expect(luhnValid('000040012003452')).toBe(false);
  });
});
