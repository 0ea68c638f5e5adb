import { composeConfigSchema } from './compose-config-schema.js';
import { ConfigError, loadConfig } from './load-config.js';
import { upstreamAddressPolicy } from './upstream-address-policy.js';

const schema = composeConfigSchema([]);
const base = {
  server: { host: '127.0.0.1', port: 0 },
  log: {},
  store: { driver: 'pg', url: 'postgres://db/lgsp' },
  auth: { issuer: 'https://sso.example.gov.vn/realms/lgsp', audience: 'lgsp-gateway' },
  audit: { subjectHashKey: 'x'.repeat(32) },
  connectors: {},
};
const load = (document: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => loadConfig({ schema, document: { ...base, ...document }, env });

describe('upstreams config → the address guard policy', () => {
  it('enforces in production and not in embedded mode when enforceAllowlist is absent', () => {
    expect(upstreamAddressPolicy(load({ mode: 'production' }))).toEqual({ enforce: true, allowedHosts: [], allowedCidrs: [] });
    expect(upstreamAddressPolicy(load({ mode: 'embedded', store: { driver: 'pglite' } }))).toEqual({ enforce: false, allowedHosts: [], allowedCidrs: [] });
  });

  it('takes the deployment’s lists and its explicit choice, from the file or the environment', () => {
    const config = load({ mode: 'production', upstreams: { allowedHosts: ['*.example.gov.vn'], allowedCidrs: ['10.20.0.0/16'] } }, { LGSP__UPSTREAMS__ENFORCE_ALLOWLIST: 'false' });
    expect(upstreamAddressPolicy(config)).toEqual({ enforce: false, allowedHosts: ['*.example.gov.vn'], allowedCidrs: ['10.20.0.0/16'] });
    expect(upstreamAddressPolicy(load({ mode: 'embedded', store: { driver: 'pglite' } }, { LGSP__UPSTREAMS__ALLOWED_CIDRS: '["127.0.0.1/32"]', LGSP__UPSTREAMS__ENFORCE_ALLOWLIST: 'true' }))).toEqual({
      enforce: true,
      allowedHosts: [],
      allowedCidrs: ['127.0.0.1/32'],
    });
  });

  it('refuses entries that are not host names or address blocks at boot', () => {
    expect(() => load({ mode: 'production', upstreams: { allowedHosts: ['https://lgsp.example.gov.vn/'] } })).toThrow(ConfigError);
    expect(() => load({ mode: 'production', upstreams: { allowedCidrs: ['lgsp.example.gov.vn'] } })).toThrow(ConfigError);
  });
});
