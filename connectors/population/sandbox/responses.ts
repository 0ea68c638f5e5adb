import { renderXmlElement, type XmlFields } from '../../../simulators/kit/xml.js';
import type { LookupResult, VerificationResult } from './operations.js';

/**
 * The SOAP bodies, written as the real service writes them: the lookup answer
 * is `ns1:CongdanCollection` straight under soap:Body (no *Response wrapper),
 * indented, `ns1` bound to the MIC namespace.
 */

export const danCuNamespace = 'http://dancuquocgia.bca';
export const congDanNamespace = 'http://www.mic.gov.vn/dancu/1.0';

/** Indentation level of the body's root inside the envelope, so the whole document reads well. */
const bodyLevel = 0;

export function renderCongdanCollection(lookup: LookupResult): string {
  const content: XmlFields = {
    MaKetQua: lookup.result.code,
    MoTaKetQua: lookup.result.description,
    CongDan: lookup.records.map((record) => record as unknown as XmlFields),
  };
  return `\n${renderXmlElement('CongdanCollection', content, {
    prefix: 'ns1',
    rootAttributes: { 'xmlns:ns1': congDanNamespace },
    level: bodyLevel,
  })}\n`;
}

/** `tonTaiOnly`: the answer as REFERENCE.md documents the real service's (MaYeuCau, TonTai), without this sandbox's assumptions. */
export function renderVerification(verification: VerificationResult, options: { tonTaiOnly?: boolean } = {}): string {
  const flag = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : String(value));
  const content: XmlFields = options.tonTaiOnly ? { MaYeuCau: verification.requestId, TonTai: String(verification.exists) } : {
    MaYeuCau: verification.requestId,
    TonTai: String(verification.exists),
    KetQuaKhop: verification.matches && {
      HoVaTen: flag(verification.matches.HoVaTen),
      NgayThangNamSinh: flag(verification.matches.NgayThangNamSinh),
      GioiTinh: flag(verification.matches.GioiTinh),
    },
    MaKetQua: verification.result.code,
    MoTaKetQua: verification.result.description,
  };
  return `\n${renderXmlElement('KetQuaXacThucResponse', content, {
    prefix: 'dan',
    rootAttributes: { 'xmlns:dan': danCuNamespace },
    level: bodyLevel,
  })}\n`;
}

