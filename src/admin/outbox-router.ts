import { Ajv2020 } from 'ajv/dist/2020.js';
import express, { type Request, type Response, type Router } from 'express';
import { recordAdminChange, type AdminActor } from '../audit/admin-change.js';
import { appendInTransaction } from '../audit/chain/append-in-transaction.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { ProblemError } from '../errors/index.js';
import { cancelMessage, getMessage, InvalidOutboxCursorError, listMessagePage, redriveMessage, type AdminActionResult, type OutboxDispatcher, type OutboxMessageView, type OutboxState } from '../outbox/index.js';
import { requestContextOf } from '../pipeline/request-context.js';
import type { Store } from '../store/store.js';
import { validQuery } from './query-validation.js';
import { principalOf, requireRole } from './require-role.js';
import { isUuid } from '../util/uuid.js';

export interface OutboxAdminSource {
  store: Store;
  dispatcher: Pick<OutboxDispatcher, 'stats' | 'wake'>;
}

const states: OutboxState[] = ['pending', 'delivering', 'delivered', 'dead', 'cancelled'];
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
const validateList = ajv.compile<{ target?: string; key?: string; state?: OutboxState; limit?: number; includePayload?: boolean; cursor?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    target: name,
    key: name,
    state: { enum: states },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
    includePayload: { type: 'boolean' },
    cursor: { type: 'string', minLength: 1, maxLength: 1000 },
  },
});
const validateOne = ajv.compile<{ includePayload?: boolean }>({
  type: 'object',
  additionalProperties: false,
  properties: { includePayload: { type: 'boolean' } },
});
const validateNone = ajv.compile<Record<string, never>>({ type: 'object', additionalProperties: false });

/**
 * /admin/v1/outbox: the durable outbox for operators (src/outbox/README.md).
 * Reading (messages, stats) for every admin role, without payloads: a
 * payload may hold personal data, so only lgsp-admin may ask for it
 * (`includePayload=true`), and each such read is recorded in the admin audit
 * stream before it is answered. Re-drive (a dead message back to pending)
 * for lgsp-admin and lgsp-operator: after an upstream outage, bringing dead
 * letters back is the on-call operator's job. Cancel (the message is never
 * delivered, its key moves on) only for lgsp-admin: it drops data the target
 * will then never receive. Each change is committed with its admin audit
 * record (before/after, no payload) in one transaction.
 */
export function createOutboxRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; outbox: OutboxAdminSource }): Router {
  const { store, dispatcher } = options.outbox;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const redrivers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator]);
  const cancellers = requireRole(options.tokenVerifier, [Roles.admin]);
  const router = express.Router();

  const actorOf = (res: Response): AdminActor => {
    const principal = principalOf(res);
    return { actor: principal.username ?? principal.subject, actorClient: principal.clientId, requestId: requestContextOf(res).requestId };
  };
  const mayReadPayload = (res: Response, asked: boolean | undefined): boolean => {
    if (asked && !principalOf(res).roles.includes(Roles.admin)) {
      throw new ProblemError('LGSP_ROLE_REQUIRED', { detail: `payloads may hold personal data: includePayload=true needs the role ${Roles.admin}` });
    }
    return asked === true;
  };
  const recordPayloadRead = (res: Response, resourceId: string, details: Record<string, unknown>) =>
    store.transaction((tx) =>
      appendInTransaction(tx, 'admin', { occurredAt: new Date(), ...actorOf(res), action: 'read', resourceType: 'outbox_message_payload', resourceId, before: null, after: details }),
    );
  const idOf = (req: Request): string => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such outbox message' });
    return id;
  };

  router.get('/outbox/messages', readers, async (req, res) => {
    const query = validQuery(req, validateList);
    const includePayload = mayReadPayload(res, query.includePayload);
    let page;
    try {
      page = await listMessagePage(store, { ...query, includePayload });
    } catch (error) {
      if (error instanceof InvalidOutboxCursorError) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'query:cursor', message: 'is not a cursor this gateway issued' }] });
      throw error;
    }
    const { items } = page;
    if (includePayload) {
      // The cursor encodes a position (a time, a target, a sequence), not a filter: it is left out like the payload switch.
      const filter = Object.fromEntries(Object.entries(query).filter(([field]) => field !== 'includePayload' && field !== 'key' && field !== 'cursor'));
      // The key (e.g. a dossier code) may identify a person: only whether it was given is recorded.
      await recordPayloadRead(res, 'messages', { filter: { ...filter, ...(query.key !== undefined && { key: 'given' }) }, returned: items.length, ids: items.map((item) => item.id) });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items, nextCursor: page.nextCursor ?? null });
  });

  router.get('/outbox/messages/:id', readers, async (req, res) => {
    const id = idOf(req);
    const includePayload = mayReadPayload(res, validQuery(req, validateOne).includePayload);
    const message = await getMessage(store, id, { includePayload });
    if (!message) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such outbox message' });
    if (includePayload) await recordPayloadRead(res, id, { target: message.target, returned: 1 });
    res.setHeader('Cache-Control', 'no-store');
    res.json(message);
  });

  const action = (run: typeof redriveMessage) => async (req: Request, res: Response) => {
    const id = idOf(req);
    validQuery(req, validateNone);
    const actor = actorOf(res);
    const result = await run(store, id, {
      record: (tx, before, after) => recordAdminChange(tx, actor, { type: 'outbox_message', id }, auditView(before), auditView(after)),
    });
    const after = settled(result);
    // The re-driven message (or the one its cancel unblocked) is due now: this replica looks at once.
    dispatcher.wake();
    res.json(after);
  };
  router.post('/outbox/messages/:id/redrive', redrivers, action(redriveMessage));
  router.post('/outbox/messages/:id/cancel', cancellers, action(cancelMessage));

  router.get('/outbox/stats', readers, async (req, res) => {
    validQuery(req, validateNone);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: await dispatcher.stats() });
  });

  return router;
}

function settled(result: AdminActionResult): OutboxMessageView {
  if (result.outcome === 'not-found') throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such outbox message' });
  if (result.outcome === 'wrong-state') {
    throw new ProblemError('LGSP_CONFLICT', {
      detail: `the message is ${result.current.state}; this action needs ${result.allowed.join(' or ')}`,
      extensions: { state: result.current.state },
    });
  }
  return result.after;
}

/** What the admin audit stream keeps of a message: everything but the payload (the views never carry it), dates as ISO text. */
function auditView(view: OutboxMessageView): object {
  const { payload: _payload, ...rest } = view;
  return JSON.parse(JSON.stringify(rest)) as object;
}
