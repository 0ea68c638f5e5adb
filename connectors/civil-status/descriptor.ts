import { defineConnector, healthProbeContext, passwordGrantCredentialSchema, UpstreamError, type OperationDescriptor, type OperationInput } from '../../src/connector-kit/index.js';
import type { BirthRegistration, DeathRegistration, MarriageRegistration, MarriageRegistrationList } from '../../contracts/types.generated.js';
import { civilStatusSettingsSchema, createCivilStatusClient, type CivilStatusClient, type Register, type RegistrationKey } from './client.js';
import { birthFromKhaiSinh, deathFromKhaiTu, marriageFromKetHon, requirePersonalId, requireRegistrationKey } from './mapping.js';
import type { DangKyHoTich, KetHon, KhaiSinh, KhaiTu } from './upstream-types.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const civil = `${contracts}/civil-status/v1`;
const personalId = { $ref: `${contracts}/common/v1/definitions.json#/$defs/personalId` };

/** What differs between the three registers; the operations are built alike from it. */
interface RegisterOperations<Wire extends DangKyHoTich, Record> {
  register: Register;
  /** Singular and plural as they appear in ids and paths. */
  one: 'birth' | 'marriage' | 'death';
  many: 'births' | 'marriages' | 'deaths';
  title: string;
  response: string;
  map(record: Wire): Record;
}

const registrationKeyQuery = {
  properties: {
    authorityCode: { $ref: `${civil}/definitions.json#/$defs/registrationAuthorityCode` },
    book: { $ref: `${civil}/definitions.json#/$defs/registrationBook` },
    number: { $ref: `${civil}/definitions.json#/$defs/registrationNumber` },
  },
  required: ['authorityCode', 'book', 'number'],
};

function keyOf(input: OperationInput): RegistrationKey {
  const { authorityCode, book, number } = input.query as { authorityCode: string; book: string; number: string };
  return { authorityCode, book, number };
}

/** GET /civil-status/<many>?authorityCode=&book=&number= : one registration by the key printed on its extract. */
function byRegistrationNumber<Wire extends DangKyHoTich, Record extends object>(spec: RegisterOperations<Wire, Record>): OperationDescriptor<CivilStatusClient, Record> {
  return {
    id: `civil-status.${spec.one}.get`,
    method: 'GET',
    path: `/civil-status/${spec.many}`,
    lookup: { path: `/civil-status/${spec.many}/lookup` },
    summary: `Look a ${spec.one} registration up by registering authority, book and number`,
    description: `The ${spec.title} with this registering authority (nơi đăng ký), book (quyển số) and number (số), as its extract prints them.`,
    personalData: true,
    idempotent: true,
    request: { query: registrationKeyQuery },
    response: spec.response,
    // The registration is the subject: its natural key.
    subjectIdOf: (input) => `${input.query.authorityCode}/${input.query.book}/${input.query.number}`,
    releasedFields: (record) => Object.keys(record),
    async invoke(client, input, context) {
      const key = keyOf(input);
      const records = await client.lookUp<Wire>(spec.register, { key }, context);
      if (records.length === 0) return { kind: 'not_found' };
      if (records.length > 1) throw new UpstreamError('contract', 'several records for one registration key');
      requireRegistrationKey(records[0]!, key);
      return { kind: 'found', data: spec.map(records[0]!) };
    },
  };
}

/** The person's own birth or death registration by personal id (the latest, when the register was re-done). */
function byPersonalId<Wire extends DangKyHoTich, Record extends { registration: { registeredOn?: string } }>(
  spec: RegisterOperations<Wire, Record>,
  idsOf: (record: Wire) => Array<string | null | undefined>,
  role: string,
): OperationDescriptor<CivilStatusClient, Record> {
  return {
    id: `civil-status.${spec.one}.find`,
    method: 'GET',
    path: `/civil-status/people/{personalId}/${spec.one}`,
    lookup: { path: `/civil-status/people/${spec.one}/lookup` },
    summary: `Find the ${spec.one} registration of a person by personal id`,
    description: `The ${spec.title} naming this personal id as the ${role}. Only records that carry a personal id can be found by it (books digitized from paper before 2016 may not); 404 when there is none.`,
    personalData: true,
    idempotent: true,
    request: { params: { personalId } },
    response: spec.response,
    subjectIdOf: (input) => input.params.personalId,
    releasedFields: (record) => Object.keys(record),
    async invoke(client, input, context) {
      const id = input.params.personalId!;
      const records = await client.lookUp<Wire>(spec.register, { personalId: id }, context);
      for (const record of records) requirePersonalId(idsOf(record), id, role);
      const mapped = records.map(spec.map).sort((a, b) => (a.registration.registeredOn ?? '').localeCompare(b.registration.registeredOn ?? ''));
      const latest = mapped.at(-1);
      return latest ? { kind: 'found', data: latest } : { kind: 'not_found' };
    },
  };
}

const births: RegisterOperations<KhaiSinh, BirthRegistration> = { register: 'births', one: 'birth', many: 'births', title: 'birth registration (khai sinh)', response: `${civil}/birth-registration.json`, map: birthFromKhaiSinh };
const marriages: RegisterOperations<KetHon, MarriageRegistration> = { register: 'marriages', one: 'marriage', many: 'marriages', title: 'marriage registration (kết hôn)', response: `${civil}/marriage-registration.json`, map: marriageFromKetHon };
const deaths: RegisterOperations<KhaiTu, DeathRegistration> = { register: 'deaths', one: 'death', many: 'deaths', title: 'death registration (khai tử)', response: `${civil}/death-registration.json`, map: deathFromKhaiTu };

/** The electronic civil-status database (CSDL hộ tịch điện tử toàn quốc): see README.md beside this file. */
export const civilStatusConnector = defineConnector({
  id: 'civil-status',
  title: 'Electronic civil-status database',
  upstream: 'CSDL hộ tịch điện tử toàn quốc (Ministry of Justice), REST/JSON behind a token login (OAuth2 password grant assumed)',
  protocol: 'rest',
  authScheme: 'oauth2-password',
  credentialSchema: passwordGrantCredentialSchema,
  settingsSchema: civilStatusSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createCivilStatusClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8209, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A well-formed registration that does not exist at a known authority: cheap, and proves the token and the API.
    await client.lookUp('births', { key: { authorityCode: '00001', book: '99/1900', number: '1' } }, healthProbeContext(signal));
  },
  operations: [
    byRegistrationNumber(births),
    byPersonalId(births, (record) => [record.nksSoDinhDanh], 'child'),
    byRegistrationNumber(marriages),
    {
      id: 'civil-status.marriage.find',
      method: 'GET',
      path: '/civil-status/people/{personalId}/marriages',
      lookup: { path: '/civil-status/people/marriages/lookup' },
      summary: 'Find the marriage registrations of a person by personal id',
      description:
        'Every marriage registration (kết hôn) naming this personal id as husband or wife, oldest first; an empty list when there is none. Only records that carry a personal id can be found by it (marriages registered on an old CMND cannot).',
      personalData: true,
      idempotent: true,
      request: { params: { personalId } },
      response: `${civil}/marriage-list.json`,
      subjectIdOf: (input) => input.params.personalId,
      releasedFields: (result: MarriageRegistrationList) => (result.marriages.length > 0 ? ['marriages'] : []),
      async invoke(client, input, context) {
        const id = input.params.personalId!;
        const records = await client.lookUp<KetHon>('marriages', { personalId: id }, context);
        for (const record of records) requirePersonalId([record.chongSoGiayToTuyThan, record.voSoGiayToTuyThan], id, 'husband or wife');
        const list = records.map(marriageFromKetHon).sort((a, b) => (a.registration.registeredOn ?? '').localeCompare(b.registration.registeredOn ?? ''));
        return { kind: 'found', data: { marriages: list } };
      },
    },
    byRegistrationNumber(deaths),
    byPersonalId(deaths, (record) => [record.nktSoGiayToTuyThan], 'deceased'),
  ],
});
