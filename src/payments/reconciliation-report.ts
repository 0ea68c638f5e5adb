import type { Queryable } from '../store/store.js';
import { paymentStates, type PaymentState } from './payment-states.js';
import { paymentAnomalyResourceType } from './reconciliation.js';
import { csvLine } from '../audit/query/audit-csv.js';

/**
 * The daily reconciliation report (issue 15, item 6): for the payments
 * created on one day in Vietnam time, how many and how much in each state,
 * and the mismatches a finance officer must look at. Amounts are integer VND
 * summed in PostgreSQL and carried as decimal strings (bigint-safe: a day's
 * total may pass Number.MAX_SAFE_INTEGER in no realistic case, but a report
 * about money does not round); counts are numbers.
 *
 * The payer appears only in the masked form the payment row keeps.
 */

export interface StateTotals {
  state: PaymentState;
  count: number;
  /** Sum of total_amount, integer VND as a decimal string. */
  amount: string;
}

export type MismatchKind =
  /** An authentic IPN refused because its amount differs from ours. */
  | 'ipn_amount_refused'
  /** An authentic IPN refused because its currency differs from ours. */
  | 'ipn_currency_refused'
  /** An IPN contradicting a final state: recorded, not applied. */
  | 'ipn_recorded_after_final'
  /** A "failed" IPN after paid: recorded, not applied. */
  | 'ipn_late_failure_after_paid'
  /** An anomaly reconciliation recorded (QUERY disagreeing on the money, paid after closed, ...). */
  | 'query_anomaly'
  /** Still created/pending after its expires_at (as of the report). */
  | 'open_past_expiry';

export interface Mismatch {
  kind: MismatchKind;
  reference: string;
  at: Date;
  /** Our own words and numbers; never the payer. */
  detail: string;
  payerMasked?: string;
}

export interface DailyReport {
  /** YYYY-MM-DD, a day in Vietnam time (UTC+7, no daylight saving). */
  date: string;
  /** [from, to) in UTC. */
  from: Date;
  to: Date;
  /** Every state, zeros included, in paymentStates order. */
  byState: StateTotals[];
  total: { count: number; amount: string };
  /** IPNs and anomalies of that day, payments of that day still open past expiry; by time, then reference. */
  mismatches: Mismatch[];
}

export interface DailyReportOptions {
  /** The moment "past expiry" is judged at (default: now). */
  asOf?: Date;
}

const vietnamOffset = '+07:00';

/** [from, to) of a Vietnam calendar day; throws on anything but a real YYYY-MM-DD. */
export function vietnamDay(date: string): { from: Date; to: Date } {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(date);
  const from = match ? new Date(`${date}T00:00:00${vietnamOffset}`) : undefined;
  const calendar = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!from || Number.isNaN(from.getTime()) || calendar!.getUTCDate() !== Number(match![3]) || calendar!.getUTCMonth() !== Number(match![2]) - 1) {
    throw new Error('date must be a real day as YYYY-MM-DD');
  }
  return { from, to: new Date(from.getTime() + 24 * 3_600_000) };
}

export async function dailyReport(db: Queryable, date: string, options: DailyReportOptions = {}): Promise<DailyReport> {
  const { from, to } = vietnamDay(date);
  const asOf = options.asOf ?? new Date();

  const totals = await db.query<{ state: PaymentState; count: number; amount: string }>(
    `SELECT state, count(*)::integer AS count, sum(total_amount)::text AS amount
       FROM payments WHERE created_at >= $1 AND created_at < $2 GROUP BY state`,
    [from, to],
  );
  const byState = paymentStates.map((state): StateTotals => {
    const row = totals.rows.find((candidate) => candidate.state === state);
    return { state, count: row?.count ?? 0, amount: row?.amount ?? '0' };
  });
  const total = {
    count: byState.reduce((sum, line) => sum + line.count, 0),
    amount: byState.reduce((sum, line) => sum + BigInt(line.amount), 0n).toString(),
  };

  const ipns = await db.query<{ at: Date; verdict: string; reference: string | null; note: string | null; payer_masked: string | null }>(
    `SELECT i.received_at AS at, i.verdict, coalesce(i.payment_reference, i.parsed_reference) AS reference, i.note, p.payer_name_masked AS payer_masked
       FROM payment_ipns i LEFT JOIN payments p ON p.reference = i.payment_reference
      WHERE i.received_at >= $1 AND i.received_at < $2
        AND i.verdict IN ('refused_amount', 'refused_currency', 'recorded_after_final', 'ignored_late')`,
    [from, to],
  );
  const anomalies = await db.query<{ at: Date; reference: string; after: Record<string, unknown> | null; payer_masked: string | null }>(
    `SELECT a.occurred_at AS at, a.resource_id AS reference, a.after, p.payer_name_masked AS payer_masked
       FROM admin_audit_log a LEFT JOIN payments p ON p.reference = a.resource_id
      WHERE a.resource_type = $3 AND a.occurred_at >= $1 AND a.occurred_at < $2`,
    [from, to, paymentAnomalyResourceType],
  );
  const open = await db.query<{ reference: string; state: string; expires_at: Date; payer_masked: string }>(
    `SELECT reference, state, expires_at, payer_name_masked AS payer_masked FROM payments
      WHERE state IN ('created', 'pending') AND created_at >= $1 AND created_at < $2 AND expires_at <= $3`,
    [from, to, asOf],
  );

  const mismatches: Mismatch[] = [
    ...ipns.rows.map((row) => withPayer({ kind: ipnMismatchKind(row.verdict), reference: row.reference ?? '', at: row.at, detail: row.note ?? row.verdict }, row.payer_masked)),
    ...anomalies.rows.map((row) => withPayer({ kind: 'query_anomaly' as const, reference: row.reference, at: row.at, detail: anomalyDetail(row.after) }, row.payer_masked)),
    ...open.rows.map((row) => withPayer({ kind: 'open_past_expiry' as const, reference: row.reference, at: row.expires_at, detail: `still ${row.state} past expiry` }, row.payer_masked)),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || compare(a.reference, b.reference) || compare(a.kind, b.kind));

  return { date, from, to, byState, total, mismatches };
}

function ipnMismatchKind(verdict: string): MismatchKind {
  switch (verdict) {
    case 'refused_amount':
      return 'ipn_amount_refused';
    case 'refused_currency':
      return 'ipn_currency_refused';
    case 'ignored_late':
      return 'ipn_late_failure_after_paid';
    default:
      return 'ipn_recorded_after_final';
  }
}

/** "amount_mismatch: expectedAmount=150000 reportedAmount=149000 ..." from the anomaly record, its keys in a stable order. */
function anomalyDetail(after: Record<string, unknown> | null): string {
  if (!after) return 'anomaly';
  const { anomaly, ...rest } = after;
  const facts = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${String(rest[key])}`);
  return [String(anomaly ?? 'anomaly'), ...facts].join(' ');
}

function withPayer(mismatch: Mismatch, payerMasked: string | null): Mismatch {
  return payerMasked ? { ...mismatch, payerMasked } : mismatch;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const reportCsvHeader = ['date', 'section', 'state_or_kind', 'reference', 'count', 'amount_vnd', 'at', 'detail', 'payer_masked'] as const;

/**
 * One RFC 4180 table (CRLF line ends, every record the same fields, a field
 * quoted when it holds a comma, a quote, CR or LF, quotes doubled): the
 * totals by state, the day's total, then one line per mismatch.
 */
export function reportCsv(report: DailyReport): string {
  const lines: string[][] = [[...reportCsvHeader]];
  for (const line of report.byState) lines.push([report.date, 'state', line.state, '', String(line.count), line.amount, '', '', '']);
  lines.push([report.date, 'total', 'all', '', String(report.total.count), report.total.amount, '', '', '']);
  for (const mismatch of report.mismatches) {
    lines.push([report.date, 'mismatch', mismatch.kind, mismatch.reference, '', '', mismatch.at.toISOString(), mismatch.detail, mismatch.payerMasked ?? '']);
  }
  // The audit CSV's quoting (RFC 4180, formula-safe): a detail may carry platform text, and people open it in spreadsheets.
  return lines.map(csvLine).join('');
}
