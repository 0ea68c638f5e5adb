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
      // Serialized once: the tag is of these bytes, and the data plane writes them as they are.
      released.text = JSON.stringify(released.body);
      const tag = entityTagOf(released.text);
      context.res.setHeader('ETag', tag);
      context.res.setHeader('Cache-Control', cacheControl);
      if (ifNoneMatchMatches(context.req.header('if-none-match'), tag)) context.status = 304;
    },
  };
}
