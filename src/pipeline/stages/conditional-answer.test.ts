import { entityTagOf } from '../../util/entity-tag.js';
import { fakeRequest, fakeResponse, stageContext } from '../test-support/stage-context.js';
import { conditionalAnswerStage } from './conditional-answer.js';

describe('conditional-answer stage', () => {
  const body = { items: [{ code: '01', name: 'Kinh' }], total: 1, page: 1, pageSize: 50 };
  const tag = entityTagOf(JSON.stringify(body));

  it('sets the ETag of the answer text and the Cache-Control, and leaves the status alone', () => {
    const res = fakeResponse();
    const context = stageContext({ res, released: { body, fields: [] } });
    conditionalAnswerStage('private, max-age=3600').run(context);
    expect(res.headersSet.get('etag')).toBe(tag);
    expect(res.headersSet.get('cache-control')).toBe('private, max-age=3600');
    expect(context.status).toBeUndefined();
    // The text the tag was taken of is the one the data plane writes (serialized once).
    expect(context.released!.text).toBe(JSON.stringify(body));
  });

  it('answers 304 when If-None-Match names this answer', () => {
    const context = stageContext({ req: fakeRequest({ headers: { 'if-none-match': `"stale", ${tag}` } }), released: { body, fields: [] } });
    conditionalAnswerStage('private, max-age=3600').run(context);
    expect(context.status).toBe(304);
  });

  it('answers in full when If-None-Match names another answer', () => {
    const context = stageContext({ req: fakeRequest({ headers: { 'if-none-match': entityTagOf('{}') } }), released: { body, fields: [] } });
    conditionalAnswerStage('private, max-age=3600').run(context);
    expect(context.status).toBeUndefined();
  });
});
