import { codeWithLabel, compact, upstreamArray, upstreamText, upstreamWholeNumber } from '../../src/connector-kit/index.js';
import type { AgencyList, FieldList, Procedure, ProcedureSearchResult, ProcedureSummary } from '../../contracts/types.generated.js';
import type { CachThuc, CoQuan, GiayTo, KetQuaDongBo, LinhVuc, PhiLePhi, PortalEnvelope, ThoiGian, ThuTuc, ThuTucTomTat } from './upstream-types.js';

/**
 * Pure functions between the portal's catalog JSON and our contract. Empty
 * strings, nulls and missing fields become absent fields; codes keep their
 * labels; amounts become integers of đồng. What cannot be mapped is left out
 * and the response contract check reports the gap.
 */

export type EnvelopeOutcome<Item> = { kind: 'items'; items: Item[]; total?: number } | { kind: 'error'; code: string; message?: string };

/** Success is error_code 0 in some portal versions and "00" in others (REFERENCE.md): any run of zeros, number or string. */
export function isPortalSuccess(errorCode: unknown): boolean {
  const code = upstreamText(errorCode);
  return code !== undefined && /^0+$/.test(code);
}

/** error_code 0 (or "0", "00") with result[]; anything else is the portal's error, kept with its code. */
export function readEnvelope<Item>(envelope: PortalEnvelope<Item> | undefined): EnvelopeOutcome<Item> {
  const code = upstreamText(envelope?.error_code);
  if (!isPortalSuccess(code)) return { kind: 'error', code: code ?? 'missing error_code', ...(upstreamText(envelope?.message) && { message: upstreamText(envelope?.message) }) };
  const total = upstreamWholeNumber(envelope?.TONGSO);
  return { kind: 'items', items: upstreamArray(envelope?.result), ...(total !== undefined && { total }) };
}

export type WriteOutcome =
  | { kind: 'accepted'; reference?: string }
  | { kind: 'already-exists'; code: string }
  | { kind: 'error'; code: string; message?: string };

const alreadyExistsCodes = new Set(['3', '-3']);

/**
 * DongBoHoSoMC / CapNhatTienDoHoSoMC answers: success (0 or "00"), with the
 * portal's id of the dossier when the answer carries one (ASSUMPTION:
 * `result[0].IdHoSo`); "already exists" (code 3 or -3 with "đã tồn tại" in
 * the message, REFERENCE.md), which real clients answer with an update, so it
 * is a result of its own and not an error; anything else the portal's error.
 */
export function readWriteAnswer(envelope: PortalEnvelope<KetQuaDongBo> | undefined): WriteOutcome {
  const code = upstreamText(envelope?.error_code);
  const message = upstreamText(envelope?.message);
  if (isPortalSuccess(code)) {
    const reference = upstreamText(upstreamArray(envelope?.result)[0]?.IdHoSo);
    return reference ? { kind: 'accepted', reference } : { kind: 'accepted' };
  }
  if (code !== undefined && alreadyExistsCodes.has(code) && message !== undefined && saysAlreadyExists(message)) return { kind: 'already-exists', code };
  return { kind: 'error', code: code ?? 'missing error_code', ...(message && { message }) };
}

/** Composed or decomposed Vietnamese, any case. */
function saysAlreadyExists(message: string): boolean {
  return message.normalize('NFC').toLowerCase().includes('đã tồn tại');
}

const channels = { '1': 'in-person', '2': 'online', '3': 'post' } as const;
const statusLabels: Record<string, string> = { '1': 'Đang áp dụng', '0': 'Hết hiệu lực' };

export function procedureFromThuTuc(record: ThuTuc): Procedure {
  return compact({
    ...summaryParts(record),
    level: codeWithLabel(record.CAPTHUCHIEN, record.TENCAPTHUCHIEN),
    applicants: nonEmpty(upstreamArray(record.DOITUONGTHUCHIEN).map(upstreamText).filter((text): text is string => text !== undefined)),
    channels: upstreamArray(record.CACHTHUCTHUCHIEN).flatMap(channel),
    requiredDocuments: upstreamArray(record.THANHPHANHOSO).flatMap(document),
  }) as Procedure;
}

function summaryFromThuTuc(record: ThuTucTomTat): ProcedureSummary {
  return compact(summaryParts(record)) as ProcedureSummary;
}

export function searchResultFromList(items: ThuTucTomTat[], page: { page: number; pageSize: number; total?: number }): ProcedureSearchResult {
  const summaries = items.map(summaryFromThuTuc);
  // An adapter that leaves TONGSO out still says how many it sent.
  return { items: summaries, page: page.page, pageSize: page.pageSize, total: page.total ?? (page.page - 1) * page.pageSize + summaries.length };
}

/** LayDanhMucCoQuan: agencies without a code are left out (nothing to search by). */
export function agencyListFromCatalog(items: CoQuan[]): AgencyList {
  return { items: items.flatMap(agency) };
}

/** LayDanhMucLinhVuc: fields without a code are left out. */
export function fieldListFromCatalog(items: LinhVuc[]): FieldList {
  return { items: items.flatMap(field) };
}

function summaryParts(record: ThuTucTomTat) {
  return {
    procedureCode: upstreamText(record.MATTHC),
    name: upstreamText(record.TENTTHC),
    fields: upstreamArray(record.LINHVUCTHUCHIEN).flatMap(field),
    agencies: upstreamArray(record.COQUANTHUCHIEN).flatMap(agency),
    status: status(record.TRANGTHAI),
  };
}

function field(linhVuc: LinhVuc): Array<{ code: string; label?: string }> {
  const coded = codeWithLabel(linhVuc.MALINHVUC, linhVuc.TENLINHVUC);
  return coded ? [coded] : [];
}

function agency(coQuan: CoQuan): Array<{ code: string; name?: string }> {
  const code = upstreamText(coQuan.MADONVI);
  if (!code) return [];
  const name = upstreamText(coQuan.TENDONVI);
  return [name ? { code, name } : { code }];
}

function status(value: unknown): ProcedureSummary['status'] | undefined {
  const code = upstreamText(value);
  if (!code) return undefined;
  const label = statusLabels[code];
  return label ? { code, label, inForce: code === '1' } : { code, inForce: false };
}

function channel(cachThuc: CachThuc): Procedure['channels'] {
  const code = upstreamText(cachThuc.KENH);
  if (code !== '1' && code !== '2' && code !== '3') return [];
  return [{ channel: channels[code], channelCode: code, processingTimes: upstreamArray(cachThuc.THOIGIAN).map(processingTime) }];
}

function processingTime(thoiGian: ThoiGian): Procedure['channels'][number]['processingTimes'][number] {
  return {
    ...compact({ duration: decimal(thoiGian.THOIGIANGIAIQUYET), unit: upstreamText(thoiGian.DONVITINH), description: upstreamText(thoiGian.MOTA) }),
    fees: upstreamArray(thoiGian.PHILEPHI).flatMap(fee),
  };
}

function fee(phiLePhi: PhiLePhi): Array<{ code?: string; amount: number; description?: string }> {
  const amount = amountInDong(phiLePhi.SOTIEN);
  if (amount === undefined) return [];
  return [compact({ code: upstreamText(phiLePhi.MAPHILEPHI), amount, description: upstreamText(phiLePhi.MOTA) })!] as Array<{ amount: number }>;
}

function document(giayTo: GiayTo): Procedure['requiredDocuments'] {
  const name = upstreamText(giayTo.TENGIAYTO);
  if (!name) return [];
  return [compact({ name, originals: upstreamWholeNumber(giayTo.SOBANCHINH), copies: upstreamWholeNumber(giayTo.SOBANSAO), form: upstreamText(giayTo.MAUDON) })!] as Procedure['requiredDocuments'];
}

/**
 * Amounts in đồng as typed into the national database: 50000, "50000",
 * "50.000" or "50,000" (thousands separators; đồng has no fractions) → 50000.
 */
export function amountInDong(value: unknown): number | undefined {
  const text = upstreamText(value)?.replace(/\s|đ|VNĐ|VND/gi, '');
  if (!text) return undefined;
  if (/^\d{1,3}([.,]\d{3})+$/.test(text)) return Number(text.replace(/[.,]/g, ''));
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Processing times can be half days ("0.5", "0,5"). */
function decimal(value: unknown): number | undefined {
  const text = upstreamText(value)?.replace(',', '.');
  return text && /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
