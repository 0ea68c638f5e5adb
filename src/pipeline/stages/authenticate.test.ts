import { ProblemError } from '../../errors/index.js';
import { fakeRequest, stageContext } from '../test-support/stage-context.js';
import { authenticateStage } from './authenticate.js';

describe('authenticate stage', () => {
  it('puts the verified principal on the context, from the Authorization header', async () => {
    const seen: Array<string | undefined> = [];
    const stage = authenticateStage({
      tokenVerifier: {
        verifyAuthorizationHeader: async (header) => {
          seen.push(header);
          return { clientId: 'one-stop', subject: 's', roles: [], expiresAt: 0 };
        },
      },
    });
    const context = stageContext({ req: fakeRequest({ headers: { authorization: 'Bearer abc' } }) });
    await stage.run(context);
    expect(seen).toEqual(['Bearer abc']);
    expect(context.principal?.clientId).toBe('one-stop');
  });

  it('lets the verifier’s problem through untouched', async () => {
    const refusal = new ProblemError('LGSP_TOKEN_MISSING');
    const stage = authenticateStage({ tokenVerifier: { verifyAuthorizationHeader: async () => { throw refusal; } } });
    const context = stageContext();
    await expect(stage.run(context)).rejects.toBe(refusal);
    expect(context.principal).toBeUndefined();
  });
});
