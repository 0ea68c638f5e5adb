import { chaosControlPath } from './chaos.js';
import { sampleDossier, sampleDossierCode, sampleProgress } from './sample-dossiers.js';
import { catalogFields, seededCatalog } from './seed.js';
import { publicServicePortalSandboxDevCredentials, startPublicServicePortalSandbox, type PublicServicePortalSandbox } from './server.js';

// The sandbox's dossier record and its two delivery-test modes, over raw HTTP.
let sandbox: PublicServicePortalSandbox;
let session: string;
const { username, password, dstcode } = publicServicePortalSandboxDevCredentials;

beforeAll(async () => {
  sandbox = await startPublicServicePortalSandbox();
  const login = await fetch(sandbox.loginUrl, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify({ username, password }) });
  session = ((await login.json()) as { session: string }).session;
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => {
  sandbox.chaos.clear();
  sandbox.chaos.resetCounts();
  sandbox.faults.clear();
  sandbox.clearDossiers();
});

type Outcome = { status: number; body: Record<string, unknown> } | { failed: string };

async function call(body: Record<string, unknown>, timeoutMs = 2000): Promise<Outcome> {
  try {
    const response = await fetch(sandbox.serviceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', dstcode },
      body: JSON.stringify({ session, madonvi: '000.00.00.H22', ...body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return { failed: response.status === 500 ? 'http-500' : 'garbage' };
    }
  } catch (error) {
    return { failed: (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection' };
  }
}

const create = (item = sampleDossier) => call({ service: 'DongBoHoSoMC', isUpdating: 'False', data: [item] });

describe('public-service-portal sandbox: dossiers', () => {
  it('keeps every version and step it accepted, in order, and answers TraCuuHoSo with the latest', async () => {
    expect(await create()).toMatchObject({ status: 200, body: { error_code: 0, result: [{ MaHoSo: sampleDossierCode, IdHoSo: '1' }] } });
    const updated = { ...sampleDossier, TrangThaiHoSo: '4' };
    expect(await call({ service: 'DongBoHoSoMC', isUpdating: 'True', data: [updated] })).toMatchObject({ body: { error_code: 0 } });
    for (const step of sampleProgress) expect(await call({ service: 'CapNhatTienDoHoSoMC', data: [step] })).toMatchObject({ body: { error_code: 0 } });
    expect(sandbox.dossiers.get(sampleDossierCode)).toEqual({ id: '1', item: updated, versions: [sampleDossier, updated], progress: sampleProgress });
    expect(await call({ service: 'TraCuuHoSo', mahoso: sampleDossierCode })).toMatchObject({ body: { error_code: 0, result: [updated] } });
    expect(sandbox.journal.map((entry) => entry.kind)).toEqual(['created', 'updated', 'progress', 'progress']);
  });

  it('answers "already exists" (-3, "đã tồn tại") to a second create, and refuses steps and updates of unknown dossiers (5)', async () => {
    await create();
    const again = await create();
    expect(again).toMatchObject({ body: { error_code: -3, message: expect.stringContaining('đã tồn tại') } });
    const other = { ...sampleProgress[0], MaHoSo: '000.00.14.H22-250714-9999' };
    expect(await call({ service: 'CapNhatTienDoHoSoMC', data: [other] })).toMatchObject({ body: { error_code: 5 } });
    expect(await call({ service: 'DongBoHoSoMC', isUpdating: 'True', data: [{ ...sampleDossier, MaHoSo: other.MaHoSo }] })).toMatchObject({ body: { error_code: 5 } });
    expect(sandbox.dossiers.size).toBe(1);
    expect(sandbox.dossiers.get(sampleDossierCode)?.versions).toHaveLength(1);
  });

  it.each([
    ['a malformed dossier code', { MaHoSo: 'HS-1' }],
    ['an unknown status', { TrangThaiHoSo: '11' }],
    ['a date outside the calendar', { NgayHenTra: '20250231170000' }],
    ['LoaiDoiTuong 3', { LoaiDoiTuong: '3' }],
  ])('refuses %s with error_code 2 and stores nothing', async (_label, change) => {
    expect(await create({ ...sampleDossier, ...change })).toMatchObject({ body: { error_code: 2 } });
    expect(sandbox.dossiers.size).toBe(0);
    expect(await call({ service: 'DongBoHoSoMC', isUpdating: 'maybe', data: [sampleDossier] })).toMatchObject({ body: { error_code: 2 } });
  });

  it('accept-then-time-out: stores the dossier, then never answers (or drops the connection)', async () => {
    sandbox.chaos.acceptThenTimeOut({ service: 'DongBoHoSoMC', times: 1 });
    expect(await create(undefined)).toEqual({ failed: 'timeout' });
    // call() has given up (2 s); the write was kept.
    expect(sandbox.dossiers.get(sampleDossierCode)?.versions).toHaveLength(1);
    expect(await create()).toMatchObject({ body: { error_code: -3 } });

    sandbox.chaos.acceptThenTimeOut({ service: 'CapNhatTienDoHoSoMC', how: 'reset' });
    expect(await call({ service: 'CapNhatTienDoHoSoMC', data: [sampleProgress[0]] })).toEqual({ failed: 'connection' });
    expect(sandbox.dossiers.get(sampleDossierCode)?.progress).toHaveLength(1);
    // Other services answer.
    expect(await call({ service: 'TraCuuHoSo', mahoso: sampleDossierCode })).toMatchObject({ body: { error_code: 0 } });
    expect(sandbox.chaos.counts().answersLost).toBe(2);
  }, 10_000);

  it('random failures: about the rate asked, as http-500 / reset / garbage, the same for the same seed, nothing stored by a failed call', async () => {
    const run = async (seed: number) => {
      sandbox.clearDossiers();
      sandbox.chaos.randomFailures({ rate: 0.3, seed });
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i += 1) {
        const code = `000.00.14.H22-250714-${String(i + 1).padStart(4, '0')}`;
        const outcome = await create({ ...sampleDossier, MaHoSo: code });
        const label = 'failed' in outcome ? outcome.failed : `ok:${String(outcome.body.error_code)}`;
        outcomes.push(label);
        expect(sandbox.dossiers.has(code)).toBe(label === 'ok:0');
      }
      return outcomes;
    };
    const first = await run(42);
    const second = await run(42);
    expect(second).toEqual(first);
    const failures = first.filter((label) => label !== 'ok:0');
    expect(failures.length).toBeGreaterThan(60 * 0.1);
    expect(failures.length).toBeLessThan(60 * 0.5);
    expect(new Set(failures)).toEqual(new Set(['http-500', 'connection', 'garbage']));
    expect(await run(7)).not.toEqual(first);
  }, 20_000);

  it('takes both modes over HTTP too, and refuses bad settings', async () => {
    const control = (method: string, body?: unknown) =>
      fetch(`${sandbox.baseUrl}${chaosControlPath}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    expect((await control('POST', { randomFailures: { rate: 1, seed: 1, kinds: ['http-500'] } })).status).toBe(200);
    expect(await create()).toEqual({ failed: 'http-500' });
    expect((await control('DELETE')).status).toBe(204);
    expect(await create()).toMatchObject({ body: { error_code: 0 } });
    expect((await control('POST', { randomFailures: { rate: 2, seed: 1 } })).status).toBe(400);
    expect((await control('POST', { acceptThenTimeOut: { how: 'later' } })).status).toBe(400);
  });
});

describe('public-service-portal sandbox: catalogs', () => {
  it('lists the agencies and fields the seeded procedures use, and only those', async () => {
    const agencies = (await call({ service: 'LayDanhMucCoQuan' })) as unknown as { body: { result: Array<{ MADONVI: string; TENDONVI: string }> } };
    const fields = (await call({ service: 'LayDanhMucLinhVuc' })) as unknown as { body: { result: Array<{ MALINHVUC: string; TENLINHVUC: string }> } };
    const usedAgencies = new Set(seededCatalog().flatMap((procedure) => (procedure.COQUANTHUCHIEN ?? []).map((agency) => `${agency.MADONVI}|${agency.TENDONVI}`)));
    const usedFields = new Set(seededCatalog().flatMap((procedure) => (procedure.LINHVUCTHUCHIEN ?? []).map((field) => `${field.MALINHVUC}|${field.TENLINHVUC}`)));
    expect(new Set(agencies.body.result.map((agency) => `${agency.MADONVI}|${agency.TENDONVI}`))).toEqual(usedAgencies);
    expect(new Set(fields.body.result.map((field) => `${field.MALINHVUC}|${field.TENLINHVUC}`))).toEqual(usedFields);
    expect(fields.body.result).toHaveLength(catalogFields.length);
  });
});
