import { fakeRequest, stageContext } from '../test-support/stage-context.js';
import { personalDataHeadersStage } from './personal-data-headers.js';

describe('personal-data-headers stage', () => {
  const run = (headers: Record<string, string>) => {
    const context = stageContext({ req: fakeRequest({ headers }) });
    personalDataHeadersStage().run(context);
    return context.personalData;
  };

  it('takes the officer and the purpose from X-End-User and X-Purpose', () => {
    expect(run({ 'x-end-user': ' officer01 ', 'x-purpose': '000.00.01.H22-261123-0001' })).toEqual({ endUser: 'officer01', purpose: '000.00.01.H22-261123-0001' });
  });

  it('refuses a call that does not say who asks or why, or says it in a form that cannot be logged safely', () => {
    expect(() => run({ 'x-purpose': 'DOSSIER-PROCESSING' })).toThrow(expect.objectContaining({ code: 'LGSP_END_USER_REQUIRED' }));
    expect(() => run({ 'x-end-user': 'officer01' })).toThrow(expect.objectContaining({ code: 'LGSP_PURPOSE_REQUIRED' }));
    expect(() => run({ 'x-end-user': 'officer 01\n', 'x-purpose': 'DOSSIER-PROCESSING' })).toThrow(expect.objectContaining({ code: 'LGSP_VALIDATION_FAILED' }));
  });
});
