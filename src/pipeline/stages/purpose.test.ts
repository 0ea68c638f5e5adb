import type { Purpose } from '../../../contracts/types.generated.js';
import { accessPolicyOf, activeConsumer, fakeRequest, grantOf, stageContext } from '../test-support/stage-context.js';
import { purposeStage } from './purpose.js';

const purposes = [
  { code: 'DOSSIER-PROCESSING', name: 'dossier processing', kind: 'dossier', unitCodePatterns: ['*.*.*.H22'] },
  { code: 'IDENTITY-VERIFICATION', name: 'identity verification', kind: 'code' },
] as Purpose[];

describe('purpose stage', () => {
  const run = (purpose: string, grantPurposes: [string, ...string[]]) => () =>
    purposeStage({ access: accessPolicyOf({ purposes }) }).run(
      stageContext({
        req: fakeRequest({ headers: { 'x-purpose': purpose } }),
        authorization: { consumer: activeConsumer, grant: grantOf({ purposes: grantPurposes }) },
        personalData: { endUser: 'officer01', purpose },
      }),
    );

  it("binds X-Purpose to one of the grant's purposes", () => {
    expect(run('000.00.01.H22-261123-0001', ['DOSSIER-PROCESSING'])).not.toThrow();
    expect(run('IDENTITY-VERIFICATION', ['DOSSIER-PROCESSING', 'IDENTITY-VERIFICATION'])).not.toThrow();
  });

  it('refuses a malformed purpose (400) and one the grant does not cover (403)', () => {
    expect(run('not a dossier', ['DOSSIER-PROCESSING'])).toThrow(expect.objectContaining({ code: 'LGSP_PURPOSE_MALFORMED' }));
    expect(run('000.00.01.H56-261123-0001', ['DOSSIER-PROCESSING'])).toThrow(expect.objectContaining({ code: 'LGSP_PURPOSE_NOT_GRANTED' }));
    expect(run('IDENTITY-VERIFICATION', ['DOSSIER-PROCESSING'])).toThrow(expect.objectContaining({ code: 'LGSP_PURPOSE_NOT_GRANTED' }));
  });
});
