import type { PageContext } from './page-context.js';
import { renderMessageDetail } from './outbox/message-detail.js';
import { renderOutboxOverview } from './outbox/outbox-overview.js';

/** /console/outbox (status and messages) and /console/outbox/<message id> (one message). */
export function render(root: HTMLElement, context: PageContext): Promise<void> {
  const [id] = context.subpath;
  return id === undefined ? renderOutboxOverview(root, context) : renderMessageDetail(root, context, id);
}
