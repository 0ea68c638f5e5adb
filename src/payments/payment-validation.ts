import { ProblemError } from '../errors/index.js';
import type { CreateContext, CreatePaymentInput } from './payment-types.js';

/**
 * Checks a create request before anything is stored. Problems name the field
 * and never echo its value: the payer's name is personal data, and amounts
 * are the caller's own numbers anyway.
 */
export interface ValidCreate {
  consumerId: string;
  idempotencyKey: string;
  /** In a fixed member order: its JSON is the request's content for the idempotency check. */
  content: {
    dossierCode: string;
    procedureCode: string;
    agencyCode?: string;
    payerName: string;
    items: Array<{ code: string; name: string; kind: 'fee' | 'charge'; amount: number }>;
  };
}

const maxItems = 50;
const maxCodeLength = 100;
const maxNameLength = 300;
const maxIdempotencyKeyLength = 255;

export function validateCreateInput(input: CreatePaymentInput, context: CreateContext): ValidCreate {
  const errors: Array<{ field: string; message: string }> = [];
  const text = (field: string, value: unknown, max: number): string => {
    if (typeof value !== 'string' || value.trim() === '') errors.push({ field, message: 'required, a non-empty text' });
    else if (value.length > max) errors.push({ field, message: `at most ${max} characters` });
    else if (/[\u0000-\u001f\u007f]/u.test(value)) errors.push({ field, message: 'control characters are not allowed' });
    return typeof value === 'string' ? value.trim() : '';
  };
  const consumerId = text('consumerId', context.consumerId, maxCodeLength);
  const idempotencyKey = text('header:Idempotency-Key', context.idempotencyKey, maxIdempotencyKeyLength);
  const dossierCode = text('dossierCode', input.dossierCode, maxCodeLength);
  const procedureCode = text('procedureCode', input.procedureCode, maxCodeLength);
  const agencyCode = input.agencyCode === undefined ? undefined : text('agencyCode', input.agencyCode, maxCodeLength);
  const payerName = text('payerName', input.payerName, maxNameLength);

  const items: ValidCreate['content']['items'] = [];
  if (!Array.isArray(input.items) || input.items.length === 0) errors.push({ field: 'items', message: 'at least one fee item' });
  else if (input.items.length > maxItems) errors.push({ field: 'items', message: `at most ${maxItems} fee items` });
  else {
    input.items.forEach((item, index) => {
      const code = text(`items[${index}].code`, item?.code, maxCodeLength);
      const name = text(`items[${index}].name`, item?.name, maxNameLength);
      const kind = item?.kind ?? 'charge';
      if (kind !== 'fee' && kind !== 'charge') errors.push({ field: `items[${index}].kind`, message: "'fee' or 'charge'" });
      const amount = item?.amount;
      // Integer VND only: "150.000", 1.5, 0 and negatives are refused, not rounded.
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) errors.push({ field: `items[${index}].amount`, message: 'a positive integer number of VND' });
      items.push({ code, name, kind, amount: typeof amount === 'number' ? amount : 0 });
    });
    const total = items.reduce((sum, item) => sum + item.amount, 0);
    if (errors.length === 0 && !Number.isSafeInteger(total)) errors.push({ field: 'items', message: 'total out of range' });
  }
  if (errors.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'the payment request is not valid', errors });
  return {
    consumerId,
    idempotencyKey,
    content: { dossierCode, procedureCode, ...(agencyCode !== undefined && { agencyCode }), payerName, items },
  };
}
