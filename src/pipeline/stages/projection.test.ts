import { activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { projectionStage } from './projection.js';

describe('projection stage', () => {
  const operation = { releasedFields: (data: Record<string, unknown>) => Object.keys(data) };
  const answer = { data: { name: 'NGUYỄN VĂN AN', address: { province: '01', detail: 'số 1' }, sex: 'male' } };

  it('releases only the granted fields, and names them for the audit record', () => {
    const context = stageContext({ answer, authorization: { consumer: activeConsumer, grant: grantOf({ fields: ['name', 'address.province'] }) } });
    projectionStage(operation).run(context);
    expect(context.released?.body).toEqual({ name: 'NGUYỄN VĂN AN', address: { province: '01' } });
    expect(context.released?.fields).toEqual(['name', 'address.province']);
  });

  it('["*"] releases everything the answer holds', () => {
    const context = stageContext({ answer, authorization: { consumer: activeConsumer, grant: grantOf({ fields: ['*'] }) } });
    projectionStage(operation).run(context);
    expect(context.released?.body).toEqual(answer.data);
    expect(context.released?.fields).toEqual(['name', 'address', 'sex']);
  });
});
