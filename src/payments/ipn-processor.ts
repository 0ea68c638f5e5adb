import { storableText } from '../audit/chain/chain-streams.js';
import type { Logger } from '../observability/logger.js';
import type { Queryable, Store } from '../store/store.js';
import { outcomeOfResultCode, parseIpn, type ParsedIpn, type VerifyIpnChecksum } from './ipn-message.js';
import { decideOutcome, type OutcomeDecision, type PaymentAnomaly } from './payment-states.js';
import type { FinalStateHooks } from './final-state-hooks.js';
import { applyToLockedPayment, lockPayment } from './payment-store.js';

/**
 * The platform's IPN (payment outcome callback). There is no bearer token:
 * the checksum is the authentication, so it is checked before anything in
 * the message is believed, and then the message must match what we created
 * (partner, reference, amount, currency). Every IPN, accepted or refused, is
 * stored raw with its verdict, in the same transaction as its effect: the
 * stored evidence and the payment's state cannot disagree.
 *
 * A thrown error (database or vault unreachable) means nothing was stored
 * and nothing applied: the route answers it with a non-2xx so the platform
 * delivers the IPN again.
 */
export const ipnVerdicts = [
  'applied', 'replay', 'refused_checksum', 'refused_amount', 'refused_currency', 'refused_unknown', 'refused_malformed',
  'refused_partner', 'refused_source_ip', 'ignored_late', 'recorded_after_final',
] as const;
export type IpnVerdict = (typeof ipnVerdicts)[number];

/** What the province answers [seen: MaLoi '00' / '99' and MoTaLoi; the other codes as connectors/paygov/README.md assumes]. */
export interface IpnAnswer {
  MaLoi: string;
  MoTaLoi: string;
}

/**
 * The answer to each verdict. An authentic IPN we recorded without applying
 * (a replay, a late failure after paid, news for a closed payment) is
 * acknowledged with '00': we have it, and a retry would only repeat it.
 */
export const ipnAnswers: Readonly<Record<IpnVerdict, IpnAnswer>> = {
  applied: { MaLoi: '00', MoTaLoi: 'Thành công' },
  replay: { MaLoi: '00', MoTaLoi: 'Thành công (đã nhận trước đó)' },
  ignored_late: { MaLoi: '00', MoTaLoi: 'Đã ghi nhận' },
  recorded_after_final: { MaLoi: '00', MoTaLoi: 'Đã ghi nhận' },
  refused_checksum: { MaLoi: '01', MoTaLoi: 'Sai mã xác thực' },
  refused_source_ip: { MaLoi: '01', MoTaLoi: 'Địa chỉ nguồn không được phép' },
  refused_malformed: { MaLoi: '02', MoTaLoi: 'Thông điệp không hợp lệ' },
  refused_amount: { MaLoi: '02', MoTaLoi: 'Số tiền không khớp' },
  refused_currency: { MaLoi: '02', MoTaLoi: 'Loại tiền không khớp' },
  refused_partner: { MaLoi: '03', MoTaLoi: 'Mã đối tác không đúng' },
  refused_unknown: { MaLoi: '04', MoTaLoi: 'Không tìm thấy mã tham chiếu' },
};

/**
 * For the route when processIpn throws (nothing stored, nothing applied). [guess]
 * Whether the platform redelivers after a '99' is not public (the sandbox stops
 * at any MaLoi), so the route should pair it with a non-2xx status, which the
 * platform does retry.
 */
export const ipnSystemErrorAnswer: IpnAnswer = { MaLoi: '99', MoTaLoi: 'Lỗi hệ thống' };

export interface IpnProcessorDeps {
  store: Store;
  /** Our partner code (MaDoiTac). */
  partnerCode(): string | Promise<string>;
  /** The active secret first, then the previous one while a rotation's overlap lasts. */
  secrets(): Promise<readonly string[]>;
  /** connectors/paygov/checksum.ts's verifyIpnChecksum (constant time). */
  verifyChecksum: VerifyIpnChecksum;
  /** When set, only addresses it allows may deliver IPNs (payments.ipn.allowedSources through the kit's addressMatcher, built once). */
  sourceAllowed?: (address: string) => boolean;
  /** Told after the commit about anything a human must look at (the alerting channel, later). Its failure changes nothing. */
  onAnomaly?(kind: PaymentAnomaly, reference: string): void | Promise<void>;
  /** What runs in the transaction of a move into a final state (the notices): the gateway's own registry, as its payment store has. */
  finalStateHooks: FinalStateHooks;
  logger?: Logger;
  /** Largest body read (default 16 KiB); a larger one is refused as malformed and stored truncated. */
  maxBodyBytes?: number;
}

export interface IpnRequest {
  rawBody: string | Buffer;
  /** The delivering peer's address as the route sees it. */
  sourceIp: string;
}

export interface IpnResult {
  answer: IpnAnswer;
  verdict: IpnVerdict;
  /** payment_ipns.id of the stored IPN. */
  ipnId: number;
  reference?: string;
}

const defaultMaxBodyBytes = 16 * 1024;

export async function processIpn(deps: IpnProcessorDeps, request: IpnRequest): Promise<IpnResult> {
  const maxBodyBytes = deps.maxBodyBytes ?? defaultMaxBodyBytes;
  const bytes = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
  const truncated = bytes.length > maxBodyBytes;
  const text = bytes.subarray(0, maxBodyBytes).toString('utf8');
  const evidence: IpnEvidence = { sourceIp: request.sourceIp, rawBody: storableText(text), bodyBytes: bytes.length, truncated };

  const refuse = (verdict: IpnVerdict, note: string, reference?: string, ipn?: ParsedIpn, secretIndex?: number) =>
    finish(deps, deps.store, { ...evidence, verdict, note, reference, ipn, secretIndex });

  if (deps.sourceAllowed && !deps.sourceAllowed(request.sourceIp)) {
    const peek = truncated ? undefined : parseIpn(text);
    return refuse('refused_source_ip', 'source address not in the allowlist', peek?.ok ? peek.ipn.reference : peek?.reference);
  }
  if (truncated) return refuse('refused_malformed', `body larger than ${maxBodyBytes} bytes`);
  const parsed = parseIpn(text);
  if (!parsed.ok) return refuse('refused_malformed', parsed.reason, parsed.reference);
  const ipn = parsed.ipn;

  // Secrets are read before any lock is taken: the vault is not called while a payment row is held.
  const checksum = deps.verifyChecksum(ipn.fields, await deps.secrets());
  if (!checksum.valid) return refuse('refused_checksum', 'checksum does not match any configured secret', ipn.reference, ipn);
  if (ipn.partnerCode !== (await deps.partnerCode())) return refuse('refused_partner', 'MaDoiTac is not our partner code', ipn.reference, ipn, checksum.secretIndex);

  const anomalies: PaymentAnomaly[] = [];
  const result = await deps.store.transaction(async (tx) => {
    const base = { ...evidence, reference: ipn.reference, ipn, secretIndex: checksum.secretIndex };
    const payment = await lockPayment(tx, ipn.reference);
    if (!payment) return record(tx, { ...base, verdict: 'refused_unknown', note: 'no payment with this reference' });
    if (ipn.amount !== payment.totalAmount) {
      anomalies.push('amount_mismatch');
      return record(tx, { ...base, verdict: 'refused_amount', note: `amount ${ipn.amount} differs from the payment's ${payment.totalAmount}`, known: true });
    }
    if (ipn.currency !== payment.currency) {
      anomalies.push('currency_mismatch');
      return record(tx, { ...base, verdict: 'refused_currency', note: 'currency differs from the payment', known: true });
    }
    const outcome = {
      state: outcomeOfResultCode(ipn.resultCode),
      // Authentic but still the platform's text: bounded before it reaches the payment row.
      ...(ipn.platformTransactionId !== undefined && { platformTransactionId: storableText(ipn.platformTransactionId.slice(0, 100)) }),
      ...(ipn.bankCode !== undefined && { bankCode: storableText(ipn.bankCode.slice(0, 32)) }),
      ...(ipn.at !== undefined && { platformPaidAt: ipn.at }),
    };
    const decision = decideOutcome(payment, outcome);
    const verdict = verdictOf(decision);
    if (decision.kind === 'record_only' && decision.anomaly) anomalies.push(decision.anomaly);
    const stored = await record(tx, { ...base, verdict, note: noteOf(decision, payment.state, outcome.state), known: true });
    if (decision.kind === 'apply') {
      const applied = await applyToLockedPayment(tx, payment, { ...outcome, note: `IPN ${stored.ipnId}, MaLoi ${storableText(ipn.resultCode.slice(0, 16))}` }, 'ipn', { ipnId: stored.ipnId }, deps.finalStateHooks);
      // The same decision from the same locked row: anything else is a bug, and rolling back keeps the IPN unanswered (retried).
      if (applied.decision.kind !== 'apply') throw new Error('payment decision changed under its row lock');
    }
    return stored;
  });
  log(deps, result);
  for (const anomaly of anomalies) await report(deps, anomaly, ipn.reference);
  return result;
}

interface IpnEvidence {
  sourceIp: string;
  rawBody: string;
  bodyBytes: number;
  truncated: boolean;
}

interface IpnRecord extends IpnEvidence {
  verdict: IpnVerdict;
  note: string;
  reference?: string | undefined;
  ipn?: ParsedIpn | undefined;
  secretIndex?: number | undefined;
  /** The reference names a payment of ours (payment_ipns.payment_reference is set). */
  known?: boolean;
}

async function finish(deps: IpnProcessorDeps, store: Store, entry: IpnRecord): Promise<IpnResult> {
  const result = await store.transaction((tx) => record(tx, entry));
  log(deps, result);
  return result;
}

async function record(tx: Queryable, entry: IpnRecord): Promise<IpnResult> {
  const answer = ipnAnswers[entry.verdict];
  const bounded = (value: string | undefined, max: number) => (value === undefined ? null : storableText(value.slice(0, max)));
  const { rows } = await tx.query<{ id: number | bigint }>(
    `INSERT INTO payment_ipns (source_ip, raw_body, body_bytes, raw_truncated, parsed_reference, payment_reference, result_code, amount, currency,
       platform_transaction_id, secret_index, verdict, answer_code, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      bounded(entry.sourceIp, 64),
      entry.rawBody,
      entry.bodyBytes,
      entry.truncated,
      entry.reference ?? null,
      entry.known ? entry.reference : null,
      bounded(entry.ipn?.resultCode, 16),
      entry.ipn?.amount ?? null,
      bounded(entry.ipn?.currency, 16),
      bounded(entry.ipn?.platformTransactionId, 100),
      entry.secretIndex ?? null,
      entry.verdict,
      answer.MaLoi,
      entry.note,
    ],
  );
  return { answer, verdict: entry.verdict, ipnId: Number(rows[0]!.id), ...(entry.reference !== undefined && { reference: entry.reference }) };
}

function verdictOf(decision: OutcomeDecision): IpnVerdict {
  switch (decision.kind) {
    case 'apply':
      return 'applied';
    case 'replay':
    case 'stale': // an IPN never says "pending"; kept total for safety
      return 'replay';
    case 'record_only':
      return decision.anomaly === 'late_failure_after_paid' ? 'ignored_late' : 'recorded_after_final';
  }
}

function noteOf(decision: OutcomeDecision, from: string, to: string): string {
  switch (decision.kind) {
    case 'apply':
      return `${from} -> ${to}`;
    case 'replay':
    case 'stale':
      return `already ${from}`;
    case 'record_only':
      return `${to} after ${from}: recorded, not applied${decision.anomaly ? ` (${decision.anomaly})` : ''}`;
  }
}


function log(deps: IpnProcessorDeps, result: IpnResult): void {
  // Verdict, reference and ids only: never the body (it is evidence in the database, not a log line) nor a secret.
  const line = { ipnId: result.ipnId, verdict: result.verdict, reference: result.reference, answer: result.answer.MaLoi };
  if (result.answer.MaLoi === '00') deps.logger?.info(line, 'paygov IPN processed');
  else deps.logger?.warn(line, 'paygov IPN refused');
}

async function report(deps: IpnProcessorDeps, anomaly: PaymentAnomaly, reference: string): Promise<void> {
  try {
    await deps.onAnomaly?.(anomaly, reference);
  } catch (error) {
    deps.logger?.error({ anomaly, reference, err: (error as Error)?.name }, 'payment anomaly hook failed');
  }
}
