import { useCatalogsHarness } from '../support/catalogs-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// The catalogs with no portal snapshot configured and the portal failing before it ever answered: the portal's
// two catalogs have nothing to fall back on and fail as the portal does, naming it; the shipped ones never notice.
const catalogs = useCatalogsHarness({ refreshMs: 1000 });
const afterRetryPause = () => new Promise((resolve) => setTimeout(resolve, 1050));

describe('the portal catalogs with the portal failing and nothing to fall back on', () => {
  it.each(upstreamFaultCases)('%j → %i %s naming the portal; the shipped catalogs still answer', async (fault, status, code) => {
    catalogs.portal.faults.set(fault);
    await afterRetryPause();
    const response = await catalogs.get('/public-service-portal/fields');
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code, connector: 'public-service-portal' });
    expect((await catalogs.get('/administrative-units').query({ code: '79' })).body.items).toEqual([{ code: '79', name: 'Thành phố Hồ Chí Minh', level: 'province' }]);
  });
});
