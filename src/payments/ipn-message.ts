import { referenceShape } from './payment-reference.js';
import type { OutcomeState } from './payment-states.js';

/**
 * Reading an IPN's body, before anything in it is trusted. The fields are
 * those REFERENCE.md lists [seen]; the checksum covers them as they travel,
 * so nothing is trimmed or re-cased here, and a field of an unexpected JSON
 * type (an object, an array, a boolean) makes the whole message malformed:
 * String() of it would feed the checksum a text the platform never sealed.
 *
 * src/ does not import connectors/ (the core knows connectors through the
 * registry), so the checksum check is injected: IpnFields is shaped to be
 * accepted by connectors/paygov/checksum.ts's verifyIpnChecksum.
 */
export const ipnFieldNames = ['LoaiBanTin', 'MaLoi', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'MaTienTe', 'MaGiaoDich', 'MaNganHang', 'ThoiGianGD', 'ThongTinGiaoDich'] as const;
export type IpnFieldName = (typeof ipnFieldNames)[number];

export type IpnFields = { [name in IpnFieldName]: string | number | undefined } & { MaXacThuc?: unknown };

/** The injected checksum check: connectors/paygov/checksum.ts's verifyIpnChecksum (active secret first, then the previous one). */
export type VerifyIpnChecksum = (message: IpnFields, secrets: readonly string[]) => { valid: boolean; secretIndex?: number };

const requiredFields: readonly IpnFieldName[] = ['MaLoi', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'MaTienTe'];

export interface ParsedIpn {
  fields: IpnFields;
  reference: string;
  resultCode: string;
  amount: number;
  currency: string;
  partnerCode: string;
  platformTransactionId?: string;
  bankCode?: string;
  /** ThoiGianGD (Vietnam time), when it is a real date and time. */
  at?: Date;
}

export type IpnParse = { ok: true; ipn: ParsedIpn } | { ok: false; reason: string; reference?: string };

/** [guess, README of connectors/paygov] IPN MaLoi: '00' paid, '02' cancelled by the payer, anything else failed. */
export function outcomeOfResultCode(code: string): Extract<OutcomeState, 'paid' | 'failed' | 'cancelled'> {
  if (code === '00') return 'paid';
  if (code === '02') return 'cancelled';
  return 'failed';
}

export function parseIpn(text: string): IpnParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'not a JSON object' };
  const record = body as Record<string, unknown>;
  const reference = typeof record.MaThamChieu === 'string' && referenceShape.test(record.MaThamChieu) ? record.MaThamChieu : undefined;
  const refuse = (reason: string): IpnParse => ({ ok: false, reason, ...(reference !== undefined && { reference }) });

  const fields = {} as Record<IpnFieldName, string | number | undefined>;
  for (const name of ipnFieldNames) {
    const value = record[name];
    if (value === undefined || value === null) fields[name] = undefined;
    else if (typeof value === 'string' || (name === 'SoTien' && typeof value === 'number')) fields[name] = value;
    else return refuse(`${name} has an unexpected type`);
  }
  for (const name of requiredFields) if (fields[name] === undefined || fields[name] === '') return refuse(`${name} missing`);
  // The checksum only joins fields with '|': another message of ours (an INIT) re-sent here could carry a valid one.
  if (fields.LoaiBanTin !== 'IPN') return refuse('LoaiBanTin is not IPN');
  if (typeof record.MaXacThuc !== 'string') return refuse('MaXacThuc missing');
  if (reference === undefined) return refuse('MaThamChieu is not a reference of ours');
  const amount = integerVnd(fields.SoTien);
  if (amount === undefined) return refuse('SoTien is not an integer number of VND');

  const optional = (value: string | number | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);
  const platformTransactionId = optional(fields.MaGiaoDich);
  const bankCode = optional(fields.MaNganHang);
  const at = vietnamTime(optional(fields.ThoiGianGD));
  return {
    ok: true,
    ipn: {
      fields: { ...fields, MaXacThuc: record.MaXacThuc },
      reference,
      resultCode: fields.MaLoi as string,
      amount,
      currency: fields.MaTienTe as string,
      partnerCode: fields.MaDoiTac as string,
      ...(platformTransactionId !== undefined && { platformTransactionId }),
      ...(bankCode !== undefined && { bankCode }),
      ...(at !== undefined && { at }),
    },
  };
}

/** Digits only ("150000") or a JSON integer: "150.000", "1e5", " 150000", 1.5 and negatives are not amounts. */
function integerVnd(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^[0-9]{1,15}$/.test(value)) return undefined;
  return Number(value);
}

function vietnamTime(value: string | undefined): Date | undefined {
  const match = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(value ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour - 7, minute, second));
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return date;
}
