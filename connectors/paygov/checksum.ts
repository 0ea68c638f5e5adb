import { timingSafeEqual } from 'node:crypto';
import { messageChecksum } from '../../src/connector-kit/index.js';

/**
 * The payment platform's `MaXacThuc` (REFERENCE.md, "Payments" [seen]): the
 * lowercase hex SHA-256 of the message's fields joined by `|`, the shared
 * secret last. The secret is the authentication of every message both ways;
 * whoever holds it can forge a payment. The connector's client never holds
 * it: it builds the parts (`*ChecksumParts`) and the kit's 'message-checksum'
 * UpstreamAuth seals them. The formulas with an explicit secret serve the
 * sandbox (the platform's side), the IPN check (the core hands it the
 * secrets) and the tests.
 *
 * ASSUMPTION (REFERENCE.md is silent): an absent optional field is the empty
 * string between its pipes ("…|VND||Le phi|…"), never the text "undefined" or
 * "null", and a field is used exactly as it travels (no trimming, no case
 * change); amounts as their decimal digits. Text is hashed as UTF-8, so
 * Vietnamese diacritics in ThongTinGiaoDich count byte for byte.
 */

export type ChecksumField = string | number | null | undefined;

export interface InitChecksumFields {
  LoaiBanTin: ChecksumField;
  PhienBan: ChecksumField;
  MaDoiTac: ChecksumField;
  MaThamChieu: ChecksumField;
  SoTien: ChecksumField;
  LoaiHinhThanhToan: ChecksumField;
  MaKenhThanhToan?: ChecksumField;
  MaThietBi?: ChecksumField;
  NgonNgu?: ChecksumField;
  MaTienTe: ChecksumField;
  MaNganHang?: ChecksumField;
  ThongTinGiaoDich?: ChecksumField;
  ThoiGianGD: ChecksumField;
  Ip?: ChecksumField;
}

export interface IpnChecksumFields {
  LoaiBanTin: ChecksumField;
  MaLoi: ChecksumField;
  MaDoiTac: ChecksumField;
  MaThamChieu: ChecksumField;
  SoTien: ChecksumField;
  MaTienTe: ChecksumField;
  MaGiaoDich?: ChecksumField;
  MaNganHang?: ChecksumField;
  ThoiGianGD: ChecksumField;
  ThongTinGiaoDich?: ChecksumField;
}

/** QUERY, and (ASSUMPTION) GET_BILL with its own LoaiBanTin: the same short formula. */
export interface QueryChecksumFields {
  LoaiBanTin: ChecksumField;
  PhienBan: ChecksumField;
  MaDoiTac: ChecksumField;
  MaThamChieu: ChecksumField;
  ThoiGianGD: ChecksumField;
}

/** The formulas' field orders, exactly as REFERENCE.md lists them. */
export const initChecksumOrder = [
  'LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'LoaiHinhThanhToan', 'MaKenhThanhToan',
  'MaThietBi', 'NgonNgu', 'MaTienTe', 'MaNganHang', 'ThongTinGiaoDich', 'ThoiGianGD', 'Ip',
] as const satisfies ReadonlyArray<keyof InitChecksumFields>;
export const ipnChecksumOrder = [
  'LoaiBanTin', 'MaLoi', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'MaTienTe', 'MaGiaoDich', 'MaNganHang', 'ThoiGianGD', 'ThongTinGiaoDich',
] as const satisfies ReadonlyArray<keyof IpnChecksumFields>;
export const queryChecksumOrder = ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'] as const satisfies ReadonlyArray<keyof QueryChecksumFields>;

/**
 * The ordered texts each formula hashes, without the secret: what the
 * connector hands the kit's `UpstreamAuth.seal` (which appends the secret the
 * connector never holds), so seal(initChecksumParts(f)) === initChecksum(f, secret).
 */
export function initChecksumParts(fields: InitChecksumFields): string[] {
  return initChecksumOrder.map((name) => fieldText(fields[name]));
}

export function ipnChecksumParts(fields: IpnChecksumFields): string[] {
  return ipnChecksumOrder.map((name) => fieldText(fields[name]));
}

export function queryChecksumParts(fields: QueryChecksumFields): string[] {
  return queryChecksumOrder.map((name) => fieldText(fields[name]));
}

/** The formulas with an explicit secret: for the sandbox (the platform's side), the IPN check and the tests. */
export function initChecksum(fields: InitChecksumFields, secret: string): string {
  return messageChecksum(initChecksumParts(fields), secret);
}

export function ipnChecksum(fields: IpnChecksumFields, secret: string): string {
  return messageChecksum(ipnChecksumParts(fields), secret);
}

export function queryChecksum(fields: QueryChecksumFields, secret: string): string {
  return messageChecksum(queryChecksumParts(fields), secret);
}

export interface ChecksumVerdict {
  valid: boolean;
  /** Which secret matched: 0 the active one, 1 the previous one (inside a rotation's overlap). */
  secretIndex?: number;
}

/**
 * Checks an IPN's MaXacThuc against each secret in turn (active first, then
 * the previous one during a rotation). The bug a public client has, and we
 * must not: computing the checksum and accepting the message anyway. Here a
 * missing, malformed, truncated or upper-case checksum is simply invalid
 * (the platform sends lowercase hex), and the comparison runs in constant
 * time over equal-length buffers so the answer time leaks nothing of the
 * expected value. Every secret is tried even after a match, so the time does
 * not say which one matched either.
 */
export function verifyIpnChecksum(message: IpnChecksumFields & { MaXacThuc?: unknown }, secrets: readonly string[]): ChecksumVerdict {
  const received = message.MaXacThuc;
  if (typeof received !== 'string' || !sha256Hex.test(received)) return { valid: false };
  const receivedBytes = Buffer.from(received, 'ascii');
  let matched: number | undefined;
  secrets.forEach((secret, index) => {
    if (secret === '') return; // an unset secret must never make an empty-keyed checksum valid
    const expected = Buffer.from(ipnChecksum(message, secret), 'ascii');
    if (timingSafeEqual(expected, receivedBytes) && matched === undefined) matched = index;
  });
  return matched === undefined ? { valid: false } : { valid: true, secretIndex: matched };
}

const sha256Hex = /^[0-9a-f]{64}$/;


function fieldText(value: ChecksumField): string {
  return value === undefined || value === null ? '' : String(value);
}
