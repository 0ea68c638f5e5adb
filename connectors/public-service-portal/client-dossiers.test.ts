import { createSessionDstcodeAuth } from '../../src/connector-kit/upstream-auth/session-dstcode.js';
import { UpstreamError, type InvocationContext } from '../../src/connector-kit/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createPublicServicePortalClient, type PublicServicePortalClient } from './client.js';
import { sampleDossier, sampleDossierCode, sampleDossierProcessed, sampleProgress } from './sandbox/sample-dossiers.js';
import { publicServicePortalSandboxDevCredentials, startPublicServicePortalSandbox, type PublicServicePortalSandbox } from './sandbox/server.js';
import type { HoSo } from './upstream-types.js';

// The dossier services against the real sandbox over HTTP, session login and all.
let clock = Date.now();
let sandbox: PublicServicePortalSandbox;
let client: PublicServicePortalClient;

async function clientFor(target: PublicServicePortalSandbox): Promise<PublicServicePortalClient> {
  const { username, password, dstcode } = publicServicePortalSandboxDevCredentials;
  const auth = createSessionDstcodeAuth({ loginUrl: target.loginUrl, credentials: { username, password, dstcode } });
  return createPublicServicePortalClient({ baseUrl: target.baseUrl, settings: { unitCode: '000.00.00.H22' }, auth, transport: { connectTimeoutMs: 2000 }, logger: createLogger({ level: 'silent' }) });
}

const invocation = (timeoutMs = 5000): InvocationContext => ({ signal: AbortSignal.timeout(timeoutMs), requestId: 'r', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

/** A dossier of its own per test, so the tests share one sandbox without seeing each other's records. */
let sequence = 100;
function freshDossier(): HoSo {
  const code = `000.00.14.H22-250714-${String((sequence += 1)).padStart(4, '0')}`;
  return { ...sampleDossier, MaHoSo: code, SoBienNhan: code };
}

beforeAll(async () => {
  sandbox = await startPublicServicePortalSandbox({ sessionTtlSeconds: 60, now: () => clock });
  client = await clientFor(sandbox);
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.chaos.clear();
});

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('portal client: dossier sync against the sandbox', () => {
  it('looks up (absent), creates, looks up (found), updates with isUpdating True', async () => {
    const dossier = freshDossier();
    const code = String(dossier.MaHoSo);
    expect(await client.lookUpDossier(code, invocation())).toEqual({ kind: 'absent' });
    const created = await client.syncDossier(dossier, { isUpdating: false }, invocation());
    expect(created).toEqual({ kind: 'created', reference: expect.stringMatching(/^\d+$/) });
    expect(await client.lookUpDossier(code, invocation())).toEqual({ kind: 'found', item: dossier });

    const processed = { ...sampleDossierProcessed, MaHoSo: code, SoBienNhan: code };
    expect(await client.syncDossier(processed, { isUpdating: true }, invocation())).toEqual({ kind: 'updated', reference: (created as { reference: string }).reference });
    expect(await client.lookUpDossier(code, invocation())).toEqual({ kind: 'found', item: processed });
    expect(sandbox.dossiers.get(code)?.versions).toEqual([dossier, processed]);
  });

  it('answers "already exists" for a second create, as a result, and stores nothing more', async () => {
    const dossier = freshDossier();
    await client.syncDossier(dossier, { isUpdating: false }, invocation());
    expect(await client.syncDossier(dossier, { isUpdating: false }, invocation())).toEqual({ kind: 'already-exists' });
    expect(sandbox.dossiers.get(String(dossier.MaHoSo))?.versions).toHaveLength(1);
  });

  it('pushes progress steps, kept by the portal in the order sent; a step for an unknown dossier is refused', async () => {
    const dossier = freshDossier();
    const code = String(dossier.MaHoSo);
    const steps = sampleProgress.map((step) => ({ ...step, MaHoSo: code }));
    const refused = await failureOf(client.pushProgress(steps[0]!, invocation()));
    expect({ kind: refused.kind, code: refused.upstreamCode }).toEqual({ kind: 'rejected', code: '5' });

    await client.syncDossier(dossier, { isUpdating: false }, invocation());
    for (const step of steps) expect(await client.pushProgress(step, invocation())).toMatchObject({ kind: 'accepted' });
    expect(sandbox.dossiers.get(code)?.progress).toEqual(steps);
    expect(sandbox.journal.filter((entry) => entry.dossierCode === code).map((entry) => entry.kind)).toEqual(['created', 'progress', 'progress']);
  });

  it('refuses an update of a dossier the portal does not hold, and a malformed item, as rejections', async () => {
    const absent = await failureOf(client.syncDossier(freshDossier(), { isUpdating: true }, invocation()));
    expect({ kind: absent.kind, code: absent.upstreamCode }).toEqual({ kind: 'rejected', code: '5' });
    const dossier = { ...freshDossier(), NgayTiepNhan: '2025-07-14' };
    const malformed = await failureOf(client.syncDossier(dossier, { isUpdating: false }, invocation()));
    expect({ kind: malformed.kind, code: malformed.upstreamCode }).toEqual({ kind: 'rejected', code: '2' });
    expect(sandbox.dossiers.has(String(dossier.MaHoSo))).toBe(false);
  });

  it('logs in again when the session expired, and the write is stored once', async () => {
    const dossier = freshDossier();
    await client.lookUpDossier(String(dossier.MaHoSo), invocation());
    clock += 61_000; // the sandbox forgets the session; the client still holds it
    sandbox.resetCalls();
    expect(await client.syncDossier(dossier, { isUpdating: false }, invocation())).toMatchObject({ kind: 'created' });
    expect(sandbox.calls('DongBoHoSoMC')).toBe(2); // refused once, accepted after the new login
    expect(sandbox.dossiers.get(String(dossier.MaHoSo))?.versions).toHaveLength(1);
  });

  it.each([['hang' as const, 'timeout'], ['reset' as const, 'connection']])(
    'an answer lost after the portal stored the dossier (%s): the client sees %s; retried as an update, the portal holds one dossier',
    async (how, kind) => {
      const dossier = freshDossier();
      const code = String(dossier.MaHoSo);
      sandbox.chaos.acceptThenTimeOut({ service: 'DongBoHoSoMC', times: 1, how });
      const lost = await failureOf(client.syncDossier(dossier, { isUpdating: false }, invocation(400)));
      expect(lost.kind).toBe(kind);
      expect(lost.transient).toBe(true);
      expect(sandbox.dossiers.get(code)?.versions).toEqual([dossier]);

      expect(await client.syncDossier(dossier, { isUpdating: true }, invocation())).toMatchObject({ kind: 'updated' });
      expect([...sandbox.dossiers.keys()].filter((each) => each === code)).toHaveLength(1);
      expect(sandbox.dossiers.get(code)?.versions).toHaveLength(2);
      expect(sandbox.chaos.counts().answersLost).toBeGreaterThanOrEqual(1);
    },
  );

  it('a retry that creates again after a lost answer reads "already exists", never a second dossier', async () => {
    const dossier = freshDossier();
    sandbox.chaos.acceptThenTimeOut({ service: 'DongBoHoSoMC', times: 1 });
    await failureOf(client.syncDossier(dossier, { isUpdating: false }, invocation(300)));
    expect(await client.syncDossier(dossier, { isUpdating: false }, invocation())).toEqual({ kind: 'already-exists' });
    expect(sandbox.dossiers.get(String(dossier.MaHoSo))?.versions).toHaveLength(1);
  });

  it('reads the portal failing as the kit failures: system busy as a fault, HTTP 500 as http', async () => {
    sandbox.faults.set({ kind: 'soap-fault' }, { operation: 'DongBoHoSoMC', times: 1 });
    const busy = await failureOf(client.syncDossier(freshDossier(), { isUpdating: false }, invocation()));
    expect({ kind: busy.kind, code: busy.upstreamCode, transient: busy.transient }).toEqual({ kind: 'fault', code: '-1', transient: true });
    sandbox.faults.set({ kind: 'http-500' }, { operation: 'CapNhatTienDoHoSoMC', times: 1 });
    expect((await failureOf(client.pushProgress(sampleProgress[0]!, invocation()))).kind).toBe('http');
  });

  it('lists the agencies and fields of the catalog', async () => {
    expect(await client.listAgencies(invocation())).toContainEqual({ MADONVI: '000.00.14.H22', TENDONVI: 'Sở Tư pháp' });
    expect(await client.listFields(invocation())).toContainEqual({ MALINHVUC: 'G06-LLTP', TENLINHVUC: 'Lý lịch tư pháp' });
  });
});

describe('portal client: a portal version that answers success as "00"', () => {
  let other: PublicServicePortalSandbox;
  let otherClient: PublicServicePortalClient;

  beforeAll(async () => {
    other = await startPublicServicePortalSandbox({ successCode: '00' });
    otherClient = await clientFor(other);
  });

  afterAll(async () => {
    await otherClient?.close();
    await other?.close();
  });

  it('creates, updates, pushes progress and looks up', async () => {
    expect(await otherClient.lookUpDossier(sampleDossierCode, invocation())).toEqual({ kind: 'absent' });
    expect(await otherClient.syncDossier(sampleDossier, { isUpdating: false }, invocation())).toEqual({ kind: 'created', reference: '1' });
    expect(await otherClient.syncDossier(sampleDossierProcessed, { isUpdating: true }, invocation())).toEqual({ kind: 'updated', reference: '1' });
    expect(await otherClient.pushProgress(sampleProgress[0]!, invocation())).toEqual({ kind: 'accepted', reference: '1' });
    expect(await otherClient.lookUpDossier(sampleDossierCode, invocation())).toEqual({ kind: 'found', item: sampleDossierProcessed });
    expect(await otherClient.listFields(invocation())).not.toHaveLength(0);
  });
});
