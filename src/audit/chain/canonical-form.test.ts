import canonicalizeModule from 'canonicalize';
import { canonicalForm, chainHash, dataAccessCanonicalOrder, genesisHash } from './canonical-form.js';
import { adminStream, dataAccessStream, storableAdminFacts, storableDataAccessRecord } from './chain-streams.js';

// The vector of docs/audit-chain.md, computed independently (Python: json.dumps(sort_keys=True,
// separators=(',', ':'), ensure_ascii=False) and hashlib.sha256), so an auditor's tool can be checked against it.
const first = {
  requestId: '7f1c2a9e-0d4b-4c61-9a57-3e2f8b6d1c00',
  occurredAt: new Date('2025-03-04T05:06:07.089Z'),
  consumer: 'one-stop',
  endUser: 'officer01',
  purpose: '000.00.01.H22-261123-0001',
  operation: 'population.citizen.get',
  connector: 'population',
  subjectHash: '5d41402abc4b2a76b9719d911017c592',
  subjectMasked: '001*******34',
  fieldsReleased: ['fullName', 'birthDate'],
  outcome: 'success' as const,
  httpStatus: 200,
  latencyMs: 42,
};
const firstCanonical =
  '{"connector":"population","consumer":"one-stop","endUser":"officer01","fieldsReleased":["fullName","birthDate"],"httpStatus":200,' +
  '"latencyMs":42,"occurredAt":"2025-03-04T05:06:07.089Z","operation":"population.citizen.get","outcome":"success",' +
  '"purpose":"000.00.01.H22-261123-0001","requestId":"7f1c2a9e-0d4b-4c61-9a57-3e2f8b6d1c00","seq":1,"stream":"data_access",' +
  '"subjectHash":"5d41402abc4b2a76b9719d911017c592","subjectMasked":"001*******34","upstreamReference":null}';
const firstHash = 'faca9a5b433513a7cdcc86206a4ee48417018b84d7e43d8f2fdc25cbb6004acd';

describe('canonical form and record hash', () => {
  it('matches the documented test vector (JCS field order, null for absent, hash over prev_hash + canonical)', () => {
    const canonical = canonicalForm(dataAccessStream.fieldsOf(first, 1));
    expect(canonical).toBe(firstCanonical);
    expect(chainHash(genesisHash, canonical)).toBe(firstHash);
  });

  it('chains the second record to the first, hashing non-ASCII text as UTF-8', () => {
    const second = { ...first, requestId: 'req-2', endUser: 'cán bộ Trần', fieldsReleased: [], outcome: 'denied' as const, httpStatus: 403, latencyMs: 3, upstreamReference: 'DC-1' };
    delete (second as Partial<typeof second>).subjectHash;
    delete (second as Partial<typeof second>).subjectMasked;
    const canonical = canonicalForm(dataAccessStream.fieldsOf(second, 2));
    expect(canonical).toContain('"endUser":"cán bộ Trần"');
    expect(canonical).toContain('"subjectHash":null');
    expect(chainHash(firstHash, canonical)).toBe('b8b30050c6851c5f215cb50ae2939e49fa5b3ab114ee3dbf6dee357f1ff27dbe');
  });

  it('normalizes a record to what PostgreSQL stores before it is hashed', () => {
    const stored = storableDataAccessRecord({ ...first, latencyMs: 41.6, endUser: 'a\u0000b\uD800' });
    expect(stored.latencyMs).toBe(42);
    expect(stored.endUser).toBe('a\uFFFDb\uFFFD');
  });

  it('hashes admin before/after as the JSON value jsonb keeps (undefined members dropped, keys sorted)', () => {
    const facts = storableAdminFacts({
      occurredAt: new Date('2025-03-04T05:06:07.089Z'),
      requestId: 'r1',
      actor: 'admin',
      actorClient: 'lgsp-console',
      action: 'update',
      resourceType: 'consumer',
      resourceId: 'one-stop',
      before: { status: 'active', name: 'A', contact: undefined },
      after: { name: 'A', status: 'suspended' },
    });
    expect(canonicalForm(adminStream.fieldsOf(facts, 7))).toBe(
      '{"action":"update","actor":"admin","actorClient":"lgsp-console","after":{"name":"A","status":"suspended"},' +
        '"before":{"name":"A","status":"active"},"occurredAt":"2025-03-04T05:06:07.089Z","requestId":"r1","resourceId":"one-stop",' +
        '"resourceType":"consumer","seq":7,"stream":"admin"}',
    );
  });
});

describe('canonical form of data-access records, written directly', () => {
  const reference = canonicalizeModule as unknown as (value: unknown) => string;
  const texts = ['', 'plain', 'cán bộ Trần', 'quote " backslash \\ slash /', 'controls \u0000\u0001\u001f\u007f\n\t', 'lone \uD800 surrogate \uDC00', 'emoji 😀', '\u2028\u2029', '<script>&amp;'];

  it('lists the members in JCS order, exactly those fieldsOf gives', () => {
    expect([...dataAccessCanonicalOrder]).toEqual([...dataAccessCanonicalOrder].sort());
    expect([...dataAccessCanonicalOrder]).toEqual(Object.keys(dataAccessStream.fieldsOf(first, 1)).sort());
  });

  it('is the text canonicalize writes, whatever the values', () => {
    let seq = 0;
    for (const text of texts) {
      for (const absent of [false, true]) {
        const record = {
          ...first,
          requestId: `${text}-r`,
          consumer: text,
          endUser: text,
          purpose: text,
          fieldsReleased: [text, 'fullName', ''],
          latencyMs: seq * 37,
          httpStatus: 200 + seq,
          ...(absent ? { subjectHash: undefined, subjectMasked: undefined } : { upstreamReference: text }),
        };
        seq += 1;
        const fields = dataAccessStream.fieldsOf(record, seq);
        expect(canonicalForm(fields)).toBe(reference(fields));
        const fromRow = { ...fields, fieldsReleased: [] };
        expect(canonicalForm(fromRow)).toBe(reference(fromRow));
      }
    }
  });

  it.each([
    ['NaN', { latencyMs: Number.NaN }],
    ['a sparse array', { fieldsReleased: [, 'a'] as unknown as string[] }],
    ['a member too many', { extra: 'x' }],
    ['a Date where the text goes', { occurredAt: new Date(0) as unknown as string }],
  ])('leaves %s to canonicalize, with its result', (_name, change) => {
    const fields = { ...dataAccessStream.fieldsOf(first, 1), ...change };
    let expected: string | Error;
    try {
      expected = reference(fields);
    } catch (error) {
      expected = error as Error;
    }
    if (expected instanceof Error) expect(() => canonicalForm(fields)).toThrow(expected.message);
    else expect(canonicalForm(fields)).toBe(expected);
  });
});
