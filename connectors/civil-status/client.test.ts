import { createPasswordGrantAuth } from '../../src/connector-kit/index.js';
import { plainClientContext, startEndlessUpstream, startStrictUpstream, testInvocation, type StrictUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { classifyCivilStatusError, createCivilStatusClient, type CivilStatusClient } from './client.js';
import { civilStatusConnector } from './descriptor.js';
import { civilStatusSandboxDevCredentials, startCivilStatusSandbox, type CivilStatusSandbox } from './sandbox/server.js';
import { seededCivilStatus } from './sandbox/seed.js';
import type { KhaiSinh } from './upstream-types.js';

describe('civil-status client: the configured path is the one called', () => {
  let upstream: StrictUpstream | undefined;
  afterEach(async () => upstream?.close());

  it.each([
    ['', undefined, '/api/hotich/v1/khai-sinh/tra-cuu'],
    ['/lgsp', undefined, '/lgsp/api/hotich/v1/khai-sinh/tra-cuu'],
    ['/lgsp/', '/ho-tich/', '/lgsp/ho-tich/khai-sinh/tra-cuu'],
  ])('base path %j + apiPath %j → POST %s, no personal id in the URL', async (basePath, apiPath, target) => {
    upstream = await startStrictUpstream({ method: 'POST', target, contentType: 'application/json', body: JSON.stringify({ statusCode: '00', data: [] }) });
    const client = await createCivilStatusClient(plainClientContext(`${upstream.origin}${basePath}`, { unitCode: '000.00.01.H22', ...(apiPath !== undefined && { apiPath }) }));
    try {
      expect(await client.lookUp('births', { personalId: '001090012345' }, testInvocation())).toEqual([]);
      expect(upstream.targets).toEqual([target]);
    } finally {
      await client.close();
    }
  });
});

describe('civil-status client against its sandbox (password grant, envelope, refusals)', () => {
  let sandbox: CivilStatusSandbox;
  let client: CivilStatusClient;
  const invocation = () => ({ ...testInvocation(), endUser: 'officer01', purpose: '000.00.01.H22-250801-0007' });

  beforeAll(async () => {
    sandbox = await startCivilStatusSandbox();
    const auth = createPasswordGrantAuth({ tokenUrl: sandbox.tokenUrl, credentials: civilStatusSandboxDevCredentials });
    client = await createCivilStatusClient({ ...plainClientContext(sandbox.baseUrl, { unitCode: '000.00.01.H22' }), auth });
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  afterEach(() => sandbox.faults.clear());

  it('finds a registration by its key and by personal id, the same record', async () => {
    const key = seededCivilStatus().wellKnown.anBirth;
    const [byKey] = await client.lookUp<KhaiSinh>('births', { key }, invocation());
    const byId = await client.lookUp<KhaiSinh>('births', { personalId: '001090012345' }, invocation());
    expect(byKey).toMatchObject({ noiDangKy: key.authorityCode, quyenSo: key.book, so: key.number, nksSoDinhDanh: '001090012345' });
    expect(byId).toEqual([byKey]);
  });

  it('sends the dossier code: without a purpose the upstream refuses the request (rejected, code 03)', async () => {
    await expect(client.lookUp('births', { personalId: '001090012345' }, testInvocation())).rejects.toMatchObject({ kind: 'rejected', upstreamCode: '03' });
  });

  it('the system error envelope is a fault, not a refusal', async () => {
    sandbox.faults.set({ kind: 'soap-fault' });
    await expect(client.lookUp('deaths', { personalId: '038140004321' }, invocation())).rejects.toMatchObject({ kind: 'fault', upstreamCode: '99' });
  });
});

describe('classifyCivilStatusError', () => {
  it.each([
    [400, { statusCode: '01' }, { verdict: 'rejected', upstreamCode: '01' }],
    [400, { statusCode: '02' }, { verdict: 'rejected', upstreamCode: '02' }],
    [500, { statusCode: '01' }, { verdict: 'fault', upstreamCode: '01' }],
    [500, { statusCode: '99' }, { verdict: 'fault', upstreamCode: '99' }],
    [502, 'Bad Gateway', undefined],
    [400, { statusCode: 7 }, undefined],
  ])('HTTP %i %j → %j', (status, body, expected) => {
    expect(classifyCivilStatusError({ status, body })).toEqual(expected);
  });
});

describe('civil-status health probe', () => {
  it('obeys the answer size cap: an endless answer fails the probe as too_large and its socket is closed', async () => {
    const endless = await startEndlessUpstream();
    const client = await createCivilStatusClient(plainClientContext(endless.origin, { unitCode: '000.00.01.H22' }));
    try {
      await expect(civilStatusConnector.probe(client, AbortSignal.timeout(20_000))).rejects.toMatchObject({ kind: 'too_large' });
      expect(await Promise.all(endless.closedEarly)).toEqual([true]);
    } finally {
      await client.close();
      await endless.close();
    }
  });
});
