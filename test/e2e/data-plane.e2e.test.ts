import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// The /api/v1 operations are answered by the data plane (src/data-plane) on node:http, before express:
// what the express stack did for these routes must still hold on the lean path.

const seededPersonalId = '001090012345';

describe('data plane: the operations’ routes without express (embedded stack)', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite', overrides: { server: { bodyLimitBytes: 2048 } } });
    token = await harness.token();
  }, 120_000);
  afterAll(async () => harness?.close());

  const lookup = (path: string) => request(harness.url).get(path).set(personalDataHeaders(token));

  it('routes every operation of every connector, and its lookup form, from the one table', async () => {
    for (const operation of connectorDescriptors.flatMap((connector) => connector.operations)) {
      const path = `/api/v1${operation.path.replace(/\{(\w+)\}/g, 'x')}`;
      // No token: the route was found and its pipeline ran (401), where no route would be express's 404.
      const answer = await request(harness.url)[operation.method === 'GET' ? 'get' : operation.method === 'PUT' ? 'put' : 'post'](path);
      expect({ id: operation.id, status: answer.status, code: answer.body.code }).toEqual({ id: operation.id, status: 401, code: 'LGSP_TOKEN_MISSING' });
      if (operation.lookup) expect((await request(harness.url).post(`/api/v1${operation.lookup.path}`)).status).toBe(401);
    }
  });

  it('answers a lookup with one JSON body, its request id, and a trailing slash taken as the route', async () => {
    const answer = await lookup(`/api/v1/population/citizens/${seededPersonalId}/`).set('x-request-id', 'dp-test-1');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(answer.headers['x-request-id']).toBe('dp-test-1');
    expect(answer.body.personalId).toBe(seededPersonalId);
  });

  it('leaves what no operation takes to express: 404 problems for an unknown path or method, the OpenAPI document', async () => {
    for (const answer of [await lookup('/api/v1/population/citizens/x/y/z'), await request(harness.url).delete(`/api/v1/population/citizens/${seededPersonalId}`)]) {
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe('LGSP_NOT_FOUND');
    }
    expect((await request(harness.url).get('/api/v1/openapi.json')).status).toBe(200);
  });

  it('bodies: JSON only (415), within the limit while it streams in (413), well-formed (400)', async () => {
    const form = '/api/v1/population/citizens/lookup';
    const post = () => request(harness.url).post(form).set(personalDataHeaders(token));
    expect((await post().set('content-type', 'text/plain').send('personalId=1')).body.code).toBe('LGSP_UNSUPPORTED_MEDIA_TYPE');
    expect((await post().set('content-type', 'application/json').send('{"personalId":')).body.code).toBe('LGSP_BODY_MALFORMED');
    // Chunked, no Content-Length: the cap is enforced on what arrives, not on what the caller announced.
    const status = await new Promise<{ status: number; code: string }>((resolve, reject) => {
      const url = new URL(form, harness.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...personalDataHeaders(token) } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code: string }).code }));
      });
      req.on('error', reject);
      req.write(`{"personalId":"${seededPersonalId}","padding":"`);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(1024));
      req.end('"}');
    });
    expect(status).toEqual({ status: 413, code: 'LGSP_BODY_TOO_LARGE' });
  });

  it('logs one access line per request with the route pattern, never the URL', async () => {
    const requestId = 'dp-test-access-line';
    expect((await lookup(`/api/v1/population/citizens/${seededPersonalId}`).set('x-request-id', requestId)).status).toBe(200);
    // Lines reach the captured log stream as they are written; give the event loop a turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = harness.logs.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes(requestId)).map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.filter((line) => line.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ method: 'GET', route: '/api/v1/population/citizens/{personalId}', status: 200 });
    expect(harness.logs.join('')).not.toContain(seededPersonalId);
  });
});
