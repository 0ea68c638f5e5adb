import { fakeRequest, stageContext, testOperation } from '../test-support/stage-context.js';
import { thingCode, thingContracts } from '../test-support/thing-contracts.js';
import { requestContractStage } from './request-contract.js';

describe('request-contract stage', () => {
  const operation = testOperation({ request: { params: { code: thingCode }, query: { properties: { page: { type: 'string', pattern: '^[0-9]+$' } } } } });
  const stage = requestContractStage({ contracts: thingContracts() }, operation);

  it('puts the validated input on the context: declared parameters only', () => {
    const context = stageContext({ req: fakeRequest({ params: { code: '0101234565' }, query: { page: '2' } }) });
    stage.run(context);
    expect(context.input).toEqual({ params: { code: '0101234565' }, query: { page: '2' }, body: undefined });
  });

  it('refuses what breaks the contract with a 400 naming the field, never its value', () => {
    const context = stageContext({ req: fakeRequest({ params: { code: '12ab' } }) });
    let thrown: unknown;
    try {
      stage.run(context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'LGSP_VALIDATION_FAILED' });
    expect(JSON.stringify(thrown)).not.toContain('12ab');
    expect(context.input).toBeUndefined();
    expect(() => stage.run(stageContext({ req: fakeRequest({ params: { code: '0101234565' }, query: { unknown: 'x' } }) }))).toThrow(expect.objectContaining({ code: 'LGSP_VALIDATION_FAILED' }));
  });
});
