import { isValidTaxCode } from '../../../src/connector-kit/tax-code.js';
import { findBusinessByTaxCode, type BusinessKind, type SeededBusiness } from '../../../simulators/kit/enterprises.js';
import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import { doanhNghiepRecord, hoKinhDoanhRecord, hopTacXaRecord } from './seed.js';

/**
 * What the provincial proxy of the national business registration database
 * answers, apart from HTTP: the `{error_code, message, data}` envelope seen on
 * provincial buses. ASSUMPTIONS (listed in ../fixtures/README.md): the error
 * codes and messages, "not found" as HTTP 200 with error_code 1, a malformed
 * code as HTTP 400.
 */

export const proxyErrors = {
  notFound: { error_code: 1, message: 'Không tìm thấy thông tin đăng ký' },
  invalidCode: { error_code: 2, message: 'Mã số doanh nghiệp/mã số thuế không hợp lệ' },
  missingCode: { error_code: 3, message: 'Thiếu tham số mã số' },
  systemError: { error_code: 99, message: 'Hệ thống thông tin quốc gia về đăng ký doanh nghiệp đang bận, vui lòng thử lại sau' },
} as const;

interface Register {
  /** The query parameter this endpoint takes the code in. */
  parameter: 'msdn' | 'mst';
  /** Which seeded businesses this register holds. */
  kinds: readonly BusinessKind[];
  record(business: SeededBusiness): Record<string, unknown>;
}

export const registers = {
  enterprises: { parameter: 'msdn', kinds: ['enterprise', 'branch'], record: doanhNghiepRecord },
  cooperatives: { parameter: 'mst', kinds: ['cooperative'], record: hopTacXaRecord },
  householdBusinesses: { parameter: 'mst', kinds: ['household-business'], record: hoKinhDoanhRecord },
} as const satisfies Record<string, Register>;

export function answerLookup(register: Register, query: URLSearchParams): RestAnswer {
  const code = query.get(register.parameter)?.trim();
  if (!code) return { status: 400, body: proxyErrors.missingCode };
  if (!isValidTaxCode(code)) return { status: 400, body: proxyErrors.invalidCode };
  const business = findBusinessByTaxCode(code);
  if (!business || !register.kinds.includes(business.kind)) return { status: 200, body: { ...proxyErrors.notFound, data: null } };
  return { status: 200, body: { error_code: 0, message: 'Thành công', data: register.record(business) } };
}

/** The `soap-fault` switch on this REST upstream: the proxy's own "system busy" envelope. */
export function registrySystemError(): RestAnswer {
  return { status: 500, body: proxyErrors.systemError };
}
