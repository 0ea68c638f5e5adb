import { entityTagOf, ifNoneMatchMatches } from '../../util/entity-tag.js';
import type { OperationContext } from '../operation-context.js';
import { required, type Stage } from '../stage.js';

/**
 * ETag and Cache-Control on an answer a caller may keep (the catalogs), and
 * a 304 without a body when its If-None-Match already names this answer.
 * The tag is of the JSON text itself, so every replica gives the same one.
 */
export function conditionalAnswerStage(cacheControl: string): Stage<OperationContext> {
  return {
    name: 'conditional-answer',
    run(context) {
      const released = required(context.released, 'the released answer', 'conditional-answer');
      const tag = entityTagOf(JSON.stringify(released.body));
      context.res.setHeader('ETag', tag);
      context.res.setHeader('Cache-Control', cacheControl);
      if (ifNoneMatchMatches(context.req.header('if-none-match'), tag)) context.status = 304;
    },
  };
}
