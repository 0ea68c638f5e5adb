import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { encodeLgspAccessToken } from '../../../simulators/kit/platform-auth.js';
import { wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { buildRequestEnvelope, fetchSandboxToken } from './record-fixtures.js';
import { populationSandboxDevCredentials, startPopulationSandbox, type PopulationSandbox } from './server.js';

type Operation = 'TraCuuThongTinCongDan' | 'XacThucThongTinCongDan';
type Fields = Record<string, string | Record<string, string>>;

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });
const caller = { MaYeuCau: 'TEST-1', MaDVC: '1.001612', MaTichHop: '037', MaCanBo: 'CB-TEST' };
const validLgspAccessToken = encodeLgspAccessToken(populationSandboxDevCredentials);

let sandbox: PopulationSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startPopulationSandbox();
  token = await fetchSandboxToken(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => {
  sandbox.faults.clear();
});

function post(operation: Operation, fields: Fields, headers: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<Response> {
  const merged: Record<string, string | undefined> = {
    'content-type': 'text/xml; charset=utf-8',
    authorization: `Bearer ${token}`,
    lgspaccesstoken: validLgspAccessToken,
    ...headers,
  };
  return fetch(sandbox.endpointUrl, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    body: buildRequestEnvelope(operation, fields),
    ...(signal && { signal }),
  });
}

async function soapBody(response: Response): Promise<Record<string, any>> {
  const text = await response.text();
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text).Envelope.Body;
}

/** What fetch (undici) reports when the server destroys the socket instead of answering. */
const socketClosed = { message: 'fetch failed', cause: { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) } };

function lookUp(id: string, extra: Fields = {}): Promise<Response> {
  return post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: id, ...extra });
}

describe('population sandbox: contract', () => {
  it('serves its WSDL at {endpoint}?wsdl, pointing at its own address', async () => {
    const response = await fetch(sandbox.wsdlUrl);
    expect(response.status).toBe(200);
    const wsdl = await response.text();
    expect(wsdl).toContain('targetNamespace="http://dancuquocgia.bca"');
    expect(wsdl).toContain('http://www.mic.gov.vn/dancu/1.0');
    expect(wsdl).toContain(`location="${sandbox.endpointUrl}"`);
    expect(sandbox.wsdlUrl).toBe(`${sandbox.endpointUrl}?wsdl`);
  });

  it('answers unknown paths with 404', async () => {
    expect((await fetch(`${sandbox.baseUrl}/nothing-here`)).status).toBe(404);
  });
});

describe('population sandbox: platform auth', () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const requestToken = (authorization: string, body = 'grant_type=client_credentials') =>
    fetch(sandbox.tokenUrl, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('issues bearer tokens for client credentials over HTTP Basic', async () => {
    const response = await requestToken(basic(populationSandboxDevCredentials.clientId, populationSandboxDevCredentials.clientSecret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'default' });
  });

  it('refuses a wrong client secret and other grant types', async () => {
    const wrong = await requestToken(basic(populationSandboxDevCredentials.clientId, 'not-the-secret'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await requestToken(
      basic(populationSandboxDevCredentials.clientId, populationSandboxDevCredentials.clientSecret),
      'grant_type=password',
    );
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers a SOAP call without a bearer token, or with an unknown one, with a plain 401', async () => {
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(200);
    for (const authorization of [undefined, 'Bearer not-a-token', `Basic ${token}`]) {
      const refused = await post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }, { authorization });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('answers 403 when lgspaccesstoken is missing or carries other keys', async () => {
    const missing = await post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }, { lgspaccesstoken: undefined });
    expect(missing.status).toBe(403);
    const otherKeys = encodeLgspAccessToken({ ...populationSandboxDevCredentials, secretKey: 'someone-else' });
    const wrong = await post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }, { lgspaccesstoken: otherKeys });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'access_denied' });
    const notBase64Json = await post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }, { lgspaccesstoken: '%%%' });
    expect(notBase64Json.status).toBe(403);
  });

  it('lets tokens expire after their lifetime', async () => {
    let clock = Date.now();
    const shortLived = await startPopulationSandbox({ tokenTtlSeconds: 60, now: () => clock });
    try {
      const shortToken = await fetchSandboxToken(shortLived);
      const call = () =>
        fetch(shortLived.endpointUrl, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', authorization: `Bearer ${shortToken}`, lgspaccesstoken: validLgspAccessToken },
          body: buildRequestEnvelope('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }),
        });
      expect((await call()).status).toBe(200);
      clock += 61_000;
      const expired = await call();
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
    } finally {
      await shortLived.close();
    }
  });

  it('accepts credentials given at start instead of the development ones', async () => {
    const custom = await startPopulationSandbox({ credentials: { clientSecret: 'other-secret', partnerCode: 'H99' } });
    try {
      const refused = await fetch(custom.tokenUrl, {
        method: 'POST',
        headers: { authorization: basic(populationSandboxDevCredentials.clientId, populationSandboxDevCredentials.clientSecret) },
        body: 'grant_type=client_credentials',
      });
      expect(refused.status).toBe(401);
      const accepted = await fetch(custom.tokenUrl, {
        method: 'POST',
        headers: { authorization: basic(populationSandboxDevCredentials.clientId, 'other-secret') },
        body: 'grant_type=client_credentials',
      });
      expect(accepted.status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe('population sandbox: TraCuuThongTinCongDan', () => {
  it('returns the citizen in a CongdanCollection with result code 00', async () => {
    const response = await lookUp(wellKnownPersonIds.manBornInHanoi1990);
    expect(response.status).toBe(200);
    const { CongdanCollection } = await soapBody(response);
    expect(CongdanCollection.MaKetQua).toBe('00');
    expect(CongdanCollection.CongDan).toMatchObject({
      SoDinhDanh: '001090012345',
      SoCMND: '012345678',
      HoVaTen: { Ho: 'Nguyễn', ChuDem: 'Văn', Ten: 'An' },
      GioiTinh: '1',
      NgayThangNamSinh: { Nam: '1990', NgayThangNam: '19900515' },
      NoiDangKyKhaiSinh: { MaTinhThanh: '01', MaQuanHuyen: '001', MaPhuongXa: '00001' },
      ThuongTru: { MaTinhThanh: '01', MaQuanHuyen: '', MaPhuongXa: '00004' },
      VoChong: { SoDinhDanh: wellKnownPersonIds.womanBorn2001WithDiacritics, HoVaTen: 'Trần Thị Ngọc Ánh' },
      ChuHo: { QuanHe: '01', SoDinhDanh: '001090012345' },
    });
  });

  it('finds a citizen by old CMND', async () => {
    const response = await post('TraCuuThongTinCongDan', { ...caller, SoCMND: '170123456' });
    const { CongdanCollection } = await soapBody(response);
    expect(CongdanCollection.CongDan.SoDinhDanh).toBe(wellKnownPersonIds.elderlyYearOnlyWithOldIdCard);
    expect(CongdanCollection.CongDan.NgayThangNamSinh).toEqual({ Nam: '1938', NgayThangNam: '' });
  });

  it('answers an unknown but well-formed id with an empty collection and code 01, not a fault', async () => {
    const response = await lookUp('001090099999');
    expect(response.status).toBe(200);
    const { CongdanCollection } = await soapBody(response);
    expect(CongdanCollection.MaKetQua).toBe('01');
    expect(CongdanCollection.CongDan).toBeUndefined();
  });

  it('discloses nothing when the given name or birth date disagree (code 02)', async () => {
    for (const extra of [{ HoVaTen: 'Nguyễn Văn Ân' }, { NgayThangNamSinh: { NgayThangNam: '19900516' } }] as Fields[]) {
      const { CongdanCollection } = await soapBody(await lookUp(wellKnownPersonIds.manBornInHanoi1990, extra));
      expect(CongdanCollection.MaKetQua).toBe('02');
      expect(CongdanCollection.CongDan).toBeUndefined();
    }
    const { CongdanCollection } = await soapBody(
      await lookUp(wellKnownPersonIds.manBornInHanoi1990, { HoVaTen: '  NGUYỄN   văn an ', NgayThangNamSinh: { Nam: '1990' } }),
    );
    expect(CongdanCollection.MaKetQua).toBe('00');
  });

  it.each([
    ['a malformed SoDinhDanh', { ...caller, SoDinhDanh: '00109001234' }, 'DC-01'],
    ['a malformed SoCMND', { ...caller, SoCMND: '12345' }, 'DC-02'],
    ['no identifier at all', { ...caller }, 'DC-03'],
    ['a missing MaCanBo', { MaYeuCau: 'T', MaDVC: 'D', SoDinhDanh: '001090012345' }, 'DC-04'],
    ['a missing MaDVC', { MaYeuCau: 'T', MaCanBo: 'C', SoDinhDanh: '001090012345' }, 'DC-05'],
    ['an empty MaDVC', { MaYeuCau: 'T', MaDVC: '', MaCanBo: 'C', SoDinhDanh: '001090012345' }, 'DC-05'],
  ])('refuses %s with a client SOAP Fault carrying the business code', async (_label, fields, code) => {
    const response = await post('TraCuuThongTinCongDan', fields);
    expect(response.status).toBe(500);
    const { Fault } = await soapBody(response);
    expect(Fault.faultcode).toBe('soap:Client');
    expect(Fault.detail.LoiNghiepVu.MaLoi).toBe(code);
  });
});

describe('population sandbox: XacThucThongTinCongDan', () => {
  const verify = (fields: Fields) => post('XacThucThongTinCongDan', { ...caller, ...fields });

  it('confirms an identity when every given field matches', async () => {
    const { KetQuaXacThucResponse } = await soapBody(
      await verify({
        SoDinhDanh: wellKnownPersonIds.womanBorn2001WithDiacritics,
        HoVaTen: 'trần thị ngọc ánh',
        NgayThangNamSinh: { NgayThangNam: '20011123' },
        GioiTinh: '2',
      }),
    );
    expect(KetQuaXacThucResponse).toEqual({
      MaYeuCau: 'TEST-1',
      TonTai: 'true',
      KetQuaKhop: { HoVaTen: 'true', NgayThangNamSinh: 'true', GioiTinh: 'true' },
      MaKetQua: '00',
      MoTaKetQua: 'Thành công',
    });
  });

  it('treats diacritics as significant and reports which fields differ', async () => {
    const { KetQuaXacThucResponse } = await soapBody(
      await verify({
        SoDinhDanh: wellKnownPersonIds.womanBorn2001WithDiacritics,
        HoVaTen: 'Tran Thi Ngoc Anh',
        NgayThangNamSinh: { NgayThangNam: '20011123' },
        GioiTinh: '1',
      }),
    );
    expect(KetQuaXacThucResponse).toMatchObject({
      TonTai: 'false',
      KetQuaKhop: { HoVaTen: 'false', NgayThangNamSinh: 'true', GioiTinh: 'false' },
      MaKetQua: '02',
    });
  });

  it('compares with the name as stored, legacy upper case included, and dates at the precision both sides have', async () => {
    const { KetQuaXacThucResponse: legacy } = await soapBody(
      await verify({ SoDinhDanh: wellKnownPersonIds.upperCaseNoDiacritics, HoVaTen: 'Nguyen Thi Hoa', NgayThangNamSinh: { Nam: '1975' } }),
    );
    expect(legacy.TonTai).toBe('true');
    const { KetQuaXacThucResponse: yearOnly } = await soapBody(
      await verify({
        SoDinhDanh: wellKnownPersonIds.elderlyYearOnlyWithOldIdCard,
        HoVaTen: 'Lê Văn Bảy',
        NgayThangNamSinh: { NgayThangNam: '19380101' },
      }),
    );
    expect(yearOnly.TonTai).toBe('true');
  });

  it('answers TonTai false without match flags when the id has no record', async () => {
    const { KetQuaXacThucResponse } = await soapBody(
      await verify({ SoDinhDanh: '001090099999', HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: { Nam: '1990' } }),
    );
    expect(KetQuaXacThucResponse).toEqual({
      MaYeuCau: 'TEST-1',
      TonTai: 'false',
      MaKetQua: '01',
      MoTaKetQua: 'Không tìm thấy thông tin công dân',
    });
  });

  it('refuses a malformed birth date or sex code with a SOAP Fault DC-07', async () => {
    for (const fields of [
      { SoDinhDanh: '001090012345', HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: { NgayThangNam: '15/05/1990' } },
      { SoDinhDanh: '001090012345', HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: { NgayThangNam: '19901315' } },
      { SoDinhDanh: '001090012345', HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: { Nam: '1990' }, GioiTinh: 'Nam' },
      { SoDinhDanh: '001090012345', NgayThangNamSinh: { Nam: '1990' } },
    ] as Fields[]) {
      const response = await verify(fields);
      expect(response.status).toBe(500);
      expect((await soapBody(response)).Fault.detail.LoiNghiepVu.MaLoi).toBe('DC-07');
    }
  });
});

describe('population sandbox: fault injection', () => {
  const knownId = wellKnownPersonIds.manBornInHanoi1990;

  it('latency: answers normally, late', async () => {
    sandbox.faults.set({ kind: 'latency', ms: 300 });
    const started = performance.now();
    const response = await lookUp(knownId);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await soapBody(response)).CongdanCollection.MaKetQua).toBe('00');
  });

  it('hang: never answers; the client has to give up', async () => {
    sandbox.faults.set({ kind: 'hang' });
    await expect(
      post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: knownId }, {}, AbortSignal.timeout(300)).then((response) => response.text()),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    sandbox.faults.clear();
    expect((await lookUp(knownId)).status).toBe(200);
  });

  it('soap-fault: a server-side SOAP Fault from the SOAP stack', async () => {
    sandbox.faults.set({ kind: 'soap-fault' });
    const response = await lookUp(knownId);
    expect(response.status).toBe(500);
    const { Fault } = await soapBody(response);
    expect(Fault.faultcode).toBe('soap:Server');
    expect(Fault.detail.LoiNghiepVu.MaLoi).toBe('DC-99');
  });

  it('http-500: a proxy error page', async () => {
    sandbox.faults.set({ kind: 'http-500' });
    const response = await lookUp(knownId);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toContain('500 Internal Server Error');
  });

  it('garbage: 200 with a body that is not XML', async () => {
    sandbox.faults.set({ kind: 'garbage' });
    const response = await lookUp(knownId);
    expect(response.status).toBe(200);
    expect(XMLValidator.validate(await response.text())).not.toBe(true);
  });

  it('reset: the socket is destroyed without an answer', async () => {
    sandbox.faults.set({ kind: 'reset' });
    await expect(lookUp(knownId)).rejects.toMatchObject(socketClosed);
  });

  it('expired-token: 401 as if the token expired, although it did not', async () => {
    sandbox.faults.set({ kind: 'expired-token' });
    const response = await lookUp(knownId);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await response.json()).toMatchObject({ error_description: 'The access token expired' });
  });

  it('scopes a fault to one operation and a number of calls', async () => {
    sandbox.faults.set({ kind: 'http-500' }, { operation: 'XacThucThongTinCongDan', times: 1 });
    expect((await lookUp(knownId)).status).toBe(200);
    const verifyFields = { ...caller, SoDinhDanh: knownId, HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: { Nam: '1990' } };
    expect((await post('XacThucThongTinCongDan', verifyFields)).status).toBe(500);
    expect((await post('XacThucThongTinCongDan', verifyFields)).status).toBe(200);
  });

  it('can make the token endpoint fail when scoped to it', async () => {
    sandbox.faults.set({ kind: 'http-500' }, { operation: 'token' });
    await expect(fetchSandboxToken(sandbox)).rejects.toThrow(/500/);
    sandbox.faults.clear();
    await expect(fetchSandboxToken(sandbox)).resolves.toEqual(expect.any(String));
  });
});

describe('population sandbox: fault control over HTTP', () => {
  const control = (method: string, body?: unknown) =>
    fetch(`${sandbox.baseUrl}/__sandbox/faults`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('sets, shows and clears a fault from another process', async () => {
    const set = await control('POST', { kind: 'garbage', operation: 'TraCuuThongTinCongDan', times: 2 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ active: { fault: { kind: 'garbage' }, operation: 'TraCuuThongTinCongDan', remaining: 2 } });
    expect(XMLValidator.validate(await (await lookUp(wellKnownPersonIds.manBornInHanoi1990)).text())).not.toBe(true);
    expect(await (await control('GET')).json()).toMatchObject({ active: { remaining: 1 } });
    expect((await control('DELETE')).status).toBe(204);
    expect(await (await control('GET')).json()).toEqual({ active: null });
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(200);
  });

  it('accepts the nested form and switches every fault kind the same way', async () => {
    expect((await control('POST', { fault: { kind: 'expired-token' }, scope: { times: 1 } })).status).toBe(200);
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(401);
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(200);

    expect((await control('POST', { kind: 'soap-fault' })).status).toBe(200);
    expect((await soapBody(await lookUp(wellKnownPersonIds.manBornInHanoi1990))).Fault.faultcode).toBe('soap:Server');
    expect((await control('POST', { kind: 'reset' })).status).toBe(200);
    await expect(lookUp(wellKnownPersonIds.manBornInHanoi1990)).rejects.toMatchObject(socketClosed);
    expect((await control('POST', { kind: 'latency', ms: 200 })).status).toBe(200);
    const started = performance.now();
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect((await control('POST', { kind: 'http-500' })).status).toBe(200);
    expect((await lookUp(wellKnownPersonIds.manBornInHanoi1990)).status).toBe(500);
    expect((await control('POST', { kind: 'hang' })).status).toBe(200);
    await expect(
      post('TraCuuThongTinCongDan', { ...caller, SoDinhDanh: wellKnownPersonIds.manBornInHanoi1990 }, {}, AbortSignal.timeout(200)),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await control('DELETE')).status).toBe(204);
  });

  it('refuses malformed control requests with 400', async () => {
    expect((await control('POST', { kind: 'meteor' })).status).toBe(400);
    expect((await control('POST', { kind: 'latency' })).status).toBe(400);
    const notJson = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(sandbox.faults.active).toBeUndefined();
  });
});
