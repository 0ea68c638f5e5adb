import { type InvocationContext, defineConnector, healthProbeContext, sessionDstcodeCredentialSchema, UpstreamError } from '../../src/connector-kit/index.js';
import type { RegisteredBusiness } from '../../contracts/types.generated.js';
import { createBusinessRegistryClient, type BusinessRegistryClient, businessRegistrySettingsSchema } from './client.js';
import { businessFor, businessFromDoanhNghiep, businessFromHoKinhDoanh, businessFromHopTacXa, readEnvelope } from './mapping.js';
import type { ProxyEnvelope } from './upstream-types.js';

const contracts = 'https://lgsp.gov.vn/contracts';

type Register = (client: BusinessRegistryClient, code: string, context: InvocationContext) => Promise<RegisteredBusiness | undefined>;

function register<Body>(ask: (client: BusinessRegistryClient, code: string, context: InvocationContext) => Promise<ProxyEnvelope<Body>>, map: (record: Body) => RegisteredBusiness): Register {
  return async (client, code, context) => {
    const outcome = readEnvelope(await ask(client, code, context));
    if (outcome.kind === 'error') throw new UpstreamError('fault', 'the business registry reported an error', { upstreamCode: outcome.code });
    return outcome.kind === 'record' ? map(outcome.record) : undefined;
  };
}

/**
 * One code, three registers: most lookups are enterprises, so they are asked
 * first; a code only the cooperative or household-business register holds
 * costs one or two more calls. Dependent units (-NNN) live in the enterprise
 * register only.
 */
const registers: Register[] = [
  register((client, code, context) => client.enterprise(code, context), businessFromDoanhNghiep),
  register((client, code, context) => client.cooperative(code, context), businessFromHopTacXa),
  register((client, code, context) => client.householdBusiness(code, context), businessFromHoKinhDoanh),
];

/** The national business registration database via the provincial proxy: see README.md beside this file. */
export const businessRegistryConnector = defineConnector({
  id: 'business-registry',
  title: 'National business registration database',
  upstream: 'Hệ thống thông tin quốc gia về đăng ký doanh nghiệp (Ministry of Finance), REST/JSON through the provincial bus adapter',
  protocol: 'rest',
  authScheme: 'session-login+dstcode',
  credentialSchema: sessionDstcodeCredentialSchema,
  settingsSchema: businessRegistrySettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createBusinessRegistryClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8202, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A valid code nobody holds: cheap, and proves the session login and the proxy.
    await client.enterprise('0109999982', healthProbeContext(signal));
  },
  operations: [
    {
      id: 'business-registry.enterprise.get',
      method: 'GET',
      path: '/business-registry/enterprises/{enterpriseCode}',
      lookup: { path: '/business-registry/enterprises/lookup' },
      summary: 'Look a registered business up by enterprise / tax code',
      description:
        'The registration of an enterprise or dependent unit (chiTietDoanhNghiep), a cooperative (chiTietHopTacXa) or a household business (chiTietHoKinhDoanh): names, legal form, legal status with suspension period, legal representatives, head office, business lines, capital. The code is checked with the tax-code check digit before any upstream call. Personal data: legal representatives and household-business owners are people.',
      personalData: true,
      idempotent: true,
      request: { params: { enterpriseCode: { $ref: `${contracts}/tax/v1/definitions.json#/$defs/taxCode` } } },
      response: `${contracts}/business-registry/v1/enterprise.json`,
      subjectIdOf: (input) => input.params.enterpriseCode,
      releasedFields: (business: RegisteredBusiness) => Object.keys(business),
      async invoke(client, input, context) {
        const code = input.params.enterpriseCode!;
        const candidates = /-\d{3}$/.test(code) ? registers.slice(0, 1) : registers;
        for (const lookUp of candidates) {
          const business = await lookUp(client, code, context);
          // The registers answer no id of their own (see README.md): no upstreamReference.
          if (business) return { kind: 'found', data: businessFor(code, business) };
        }
        return { kind: 'not_found' };
      },
    },
  ],
});
