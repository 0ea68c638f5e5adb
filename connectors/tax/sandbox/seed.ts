import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { isPersonalTaxCode } from '../../../src/connector-kit/tax-code.js';
import {
  compactDateTime,
  dayMonthYear,
  findBusinessByTaxCode,
  seededBusinesses,
  wellKnownTaxCodes,
  type CalendarDate,
  type RegistryStatus,
  type SeededBusiness,
} from '../../../simulators/kit/enterprises.js';
import { findPersonById, fullNameOf, wellKnownPersonIds, type SeededPerson } from '../../../simulators/kit/people.js';
import { createSeededRandom } from '../../../simulators/kit/seeded-random.js';
import { toUpperAscii } from '../../../simulators/kit/recorded-names.js';

/**
 * The shared seeded businesses as the tax registry holds them: an `NNT`
 * record per tax code and the outstanding obligations (`ROW_LIST/ROW`), with
 * this upstream's quirks — names upper case without diacritics, dates as
 * dd/MM/yyyy and yyyyMMddHHmmss strings, codes beside their labels, empty
 * decision elements on self-assessed rows. Values are strings; '' renders an
 * empty element and undefined leaves it out.
 *
 * Since July 2025 a person's tax code is their 12-digit personal id, and a
 * household business's is its owner's (Thông tư 86/2024/TT-BTC, Art. 5): a
 * seeded citizen who owns a household business is found by their personal id
 * as that household business; a few other seeded citizens are registered as
 * individuals (individualTaxpayers); every other personal id is not found.
 */

export interface NntRecord {
  MA_SO_THUE: string;
  TEN_NNT: string;
  LOAI_NNT: string;
  TEN_LOAI_NNT: string;
  MST_DV_CHU_QUAN?: string;
  TRANG_THAI: string;
  TEN_TRANG_THAI: string;
  NGAY_THAY_DOI_TRANG_THAI: string;
  NGAY_CAP_MST: string;
  MA_CQT_QL: string;
  TEN_CQT_QL: string;
  DIA_CHI: { MA_TINH: string; MA_XA: string; DIA_CHI_CHI_TIET: string };
  NGUOI_DAI_DIEN: string;
  NGAY_CAP_NHAT: string;
}

export interface ObligationRow {
  MA_SO_THUE: string;
  MA_CHUONG: string;
  MA_TIEUMUC: string;
  TEN_TIEUMUC: string;
  KY_THUE: string;
  SO_QUYET_DINH: string;
  NGAY_QUYET_DINH: string;
  HAN_NOP: string;
  SO_TIEN: string;
}

/**
 * TRANG_THAI, worded as the public taxpayer lookup words them. ASSUMPTION:
 * the codes. The registry's status decides the tax status, so the two
 * sandboxes never disagree.
 */
export const taxpayerStatuses = {
  active: { code: '00', label: 'NNT đang hoạt động (đã được cấp GCN ĐKT)' },
  closedTerminated: { code: '01', label: 'NNT ngừng hoạt động và đã hoàn thành thủ tục chấm dứt hiệu lực MST' },
  closedPending: { code: '03', label: 'NNT ngừng hoạt động nhưng chưa hoàn thành thủ tục chấm dứt hiệu lực MST' },
  suspended: { code: '05', label: 'NNT tạm ngừng hoạt động, kinh doanh' },
  notAtAddress: { code: '06', label: 'NNT không hoạt động tại địa chỉ đã đăng ký' },
} as const;

const statusFromRegistry: Record<RegistryStatus, { code: string; label: string }> = {
  active: taxpayerStatuses.active,
  suspended: taxpayerStatuses.suspended,
  dissolving: taxpayerStatuses.closedPending,
  dissolved: taxpayerStatuses.closedTerminated,
  revoked: taxpayerStatuses.notAtAddress,
};

/** LOAI_NNT. ASSUMPTION, individual (05) included. */
const taxpayerTypes: Record<SeededBusiness['kind'], { code: string; label: string }> = {
  enterprise: { code: '01', label: 'Doanh nghiệp, tổ chức kinh tế' },
  branch: { code: '02', label: 'Đơn vị phụ thuộc' },
  'household-business': { code: '03', label: 'Hộ kinh doanh' },
  cooperative: { code: '04', label: 'Hợp tác xã' },
};

const individualTaxpayerType = { code: '05', label: 'Cá nhân' } as const;

/** Sub-items (tiểu mục) of the state budget index, Thông tư 324/2016/TT-BTC. Labels as the index words them. */
export const budgetSubItems = {
  vat: { code: '1701', label: 'Thuế giá trị gia tăng hàng sản xuất, kinh doanh trong nước' },
  corporateIncomeTax: { code: '1052', label: 'Thuế thu nhập doanh nghiệp từ hoạt động sản xuất kinh doanh' },
  personalIncomeTaxBusiness: { code: '1003', label: 'Thuế thu nhập cá nhân từ hoạt động sản xuất, kinh doanh của cá nhân' },
  personalIncomeTaxSalary: { code: '1001', label: 'Thuế thu nhập từ tiền lương, tiền công' },
  urbanResidentialLandUseTax: { code: '1602', label: 'Thu từ đất ở tại đô thị' },
  registrationFeeHouseAndLand: { code: '2801', label: 'Lệ phí trước bạ nhà đất' },
  licenseFeeLevel2: { code: '2863', label: 'Lệ phí môn bài mức (bậc) 2' },
  licenseFeeLevel3: { code: '2864', label: 'Lệ phí môn bài mức (bậc) 3' },
  penalty: { code: '4254', label: 'Phạt vi phạm hành chính về thuế' },
  lateInterestVat: { code: '4931', label: 'Tiền chậm nộp thuế giá trị gia tăng' },
  lateInterestCorporate: { code: '4918', label: 'Tiền chậm nộp thuế thu nhập doanh nghiệp' },
} as const;

/** When the sandbox's tax ledger was last updated: fixed, so recorded fixtures never drift. */
export const ledgerUpdatedAt = '20261101063000';

const pad = (value: number): string => String(value).padStart(2, '0');

let provinceNames: Map<string, string> | undefined;
let communeNames: Map<string, string> | undefined;

function provinceNames2025(): Map<string, string> {
  provinceNames ??= new Map(loadAdministrativeUnits2025().map((province) => [province.code, province.fullName]));
  return provinceNames;
}

function namesOf(provinceCode: string, communeCode: string): { province: string; commune: string } {
  communeNames ??= new Map(loadAdministrativeUnits2025().flatMap((province) => province.communes.map((commune) => [commune.code, commune.fullName] as const)));
  return { province: provinceNames2025().get(provinceCode) ?? '', commune: communeNames.get(communeCode) ?? '' };
}

/** An address as the tax registry holds it: codes, and the street, commune and province spelled out. */
function addressOf(address: { provinceCode: string; communeCode: string; street: string }): NntRecord['DIA_CHI'] {
  const { province, commune } = namesOf(address.provinceCode, address.communeCode);
  return { MA_TINH: address.provinceCode, MA_XA: address.communeCode, DIA_CHI_CHI_TIET: [address.street, commune, province].filter(Boolean).join(', ') };
}

/**
 * The managing tax office. Since July 2025 one provincial tax office ("Thuế
 * tỉnh/thành phố") per province, household businesses under a grassroots
 * unit ("Thuế cơ sở"). ASSUMPTION: the codes.
 */
export function managingTaxOffice(business: SeededBusiness): { code: string; name: string } {
  return taxOfficeIn(business.headOffice.provinceCode, business.kind === 'household-business' ? 'grassroots' : 'province');
}

/** Individuals, like household businesses, are managed by the grassroots unit of where they live. ASSUMPTION. */
function taxOfficeIn(provinceCode: string, level: 'province' | 'grassroots'): { code: string; name: string } {
  const province = provinceNames2025().get(provinceCode) ?? '';
  if (level === 'grassroots') return { code: `1${provinceCode}01`, name: `Thuế cơ sở 1 ${province.replace(/^(Tỉnh|Thành phố) /, (prefix) => prefix.toLocaleLowerCase('vi'))}` };
  return { code: `1${provinceCode}00`, name: `Thuế ${province}` };
}

function representativeName(business: SeededBusiness): string {
  const person = business.representativeIds[0] ? findPersonById(business.representativeIds[0]) : undefined;
  return person ? toUpperAscii(fullNameOf(person.name)) : '';
}

export function toNntRecord(business: SeededBusiness): NntRecord {
  const status = statusFromRegistry[business.status];
  const type = taxpayerTypes[business.kind];
  const office = managingTaxOffice(business);
  return {
    MA_SO_THUE: business.taxCode,
    TEN_NNT: toUpperAscii(business.name),
    LOAI_NNT: type.code,
    TEN_LOAI_NNT: type.label,
    ...(business.headUnitCode && { MST_DV_CHU_QUAN: business.headUnitCode }),
    TRANG_THAI: status.code,
    TEN_TRANG_THAI: status.label,
    // Never changed since registration: the element is there, empty.
    NGAY_THAY_DOI_TRANG_THAI: business.statusSince ? dayMonthYear(business.statusSince) : '',
    NGAY_CAP_MST: dayMonthYear(business.firstRegisteredOn),
    MA_CQT_QL: office.code,
    TEN_CQT_QL: office.name,
    DIA_CHI: addressOf(business.headOffice),
    NGUOI_DAI_DIEN: representativeName(business),
    NGAY_CAP_NHAT: business.lastChange ? compactDateTime(business.lastChange.at) : ledgerUpdatedAt,
  };
}

type SubItem = { code: string; label: string };

/** Whose ledger a row is in: the tax code it is kept under, and whether that taxpayer is a person (individual or household business). */
interface LedgerOwner {
  taxCode: string;
  person: boolean;
}

const ownerOf = (business: SeededBusiness): LedgerOwner => ({ taxCode: business.taxCode, person: business.kind === 'household-business' });

function row(owner: LedgerOwner, item: SubItem, amount: number, fields: Partial<Pick<ObligationRow, 'KY_THUE' | 'SO_QUYET_DINH' | 'NGAY_QUYET_DINH' | 'HAN_NOP'>>): ObligationRow {
  return {
    MA_SO_THUE: owner.taxCode,
    // Chapter of the budget index: 757 individuals and household businesses, 754 the private sector. ASSUMPTION for the split.
    MA_CHUONG: owner.person ? '757' : '754',
    MA_TIEUMUC: item.code,
    TEN_TIEUMUC: item.label,
    KY_THUE: fields.KY_THUE ?? '',
    SO_QUYET_DINH: fields.SO_QUYET_DINH ?? '',
    NGAY_QUYET_DINH: fields.NGAY_QUYET_DINH ?? '',
    HAN_NOP: fields.HAN_NOP ?? '',
    SO_TIEN: String(amount),
  };
}

function wellKnownObligations(business: SeededBusiness, owner: LedgerOwner = ownerOf(business)): ObligationRow[] | undefined {
  const items = budgetSubItems;
  switch (business.taxCode) {
    case wellKnownTaxCodes.activeCompany:
      return [
        row(owner, items.vat, 45_600_000, { KY_THUE: '09/2026', HAN_NOP: '20/10/2026' }),
        row(owner, items.lateInterestVat, 684_000, { KY_THUE: '09/2026' }),
        row(owner, items.corporateIncomeTax, 120_000_000, { KY_THUE: '2025', SO_QUYET_DINH: '2381/QĐ-TTr', NGAY_QUYET_DINH: '14/08/2026', HAN_NOP: '13/09/2026' }),
        row(owner, items.penalty, 8_500_000, { SO_QUYET_DINH: '1234/QĐ-XPHC', NGAY_QUYET_DINH: '12/05/2026', HAN_NOP: '22/05/2026' }),
        row(owner, items.licenseFeeLevel2, 2_000_000, { KY_THUE: '2026', HAN_NOP: '30/01/2026' }),
      ];
    case wellKnownTaxCodes.suspendedCompany:
      return [
        row(owner, items.corporateIncomeTax, 356_250_000, { KY_THUE: '2024', SO_QUYET_DINH: '567/QĐ-TTr', NGAY_QUYET_DINH: '03/12/2025', HAN_NOP: '02/01/2026' }),
        row(owner, items.lateInterestCorporate, 17_812_500, { KY_THUE: '2024', SO_QUYET_DINH: '567/QĐ-TTr', NGAY_QUYET_DINH: '03/12/2025' }),
      ];
    case wellKnownTaxCodes.householdBusiness:
      return [
        row(owner, items.vat, 1_500_000, { KY_THUE: 'Q3/2026', SO_QUYET_DINH: '15/TB-CCT', NGAY_QUYET_DINH: '05/07/2026', HAN_NOP: '30/09/2026' }),
        row(owner, items.personalIncomeTaxBusiness, 750_000, { KY_THUE: 'Q3/2026', SO_QUYET_DINH: '15/TB-CCT', NGAY_QUYET_DINH: '05/07/2026', HAN_NOP: '30/09/2026' }),
      ];
    case wellKnownTaxCodes.cooperative:
      // Overpaid VAT stays on the ledger as a negative amount until offset or refunded.
      return [row(owner, items.vat, -1_200_000, { KY_THUE: '12/2025' }), row(owner, items.licenseFeeLevel3, 1_000_000, { KY_THUE: '2026', HAN_NOP: '30/01/2026' })];
    case wellKnownTaxCodes.companyWithTwoRepresentatives:
    case wellKnownTaxCodes.activeCompanyBranch:
    case wellKnownTaxCodes.dissolvedPrivateEnterprise:
      return [];
    default:
      return undefined;
  }
}

/**
 * Outstanding obligations, kept under `owner` (the business's own code, or
 * its owner's personal id): none once the MST is terminated (a dissolved
 * business settled everything first).
 */
export function obligationsOf(business: SeededBusiness, owner: LedgerOwner = ownerOf(business)): ObligationRow[] {
  const fixed = wellKnownObligations(business, owner);
  if (fixed) return fixed;
  if (business.status === 'dissolved') return [];
  const r = createSeededRandom(Number(business.taxCode.slice(0, 9)) ^ 0x7a4);
  const rows: ObligationRow[] = [];
  if (r.chance(0.4)) {
    const month = r.int(1, 9);
    rows.push(row(owner, budgetSubItems.vat, r.int(5, 900) * 100_000, { KY_THUE: `${pad(month)}/2026`, HAN_NOP: `20/${pad(month + 1)}/2026` }));
  }
  if (r.chance(0.2)) {
    rows.push(row(owner, budgetSubItems.penalty, r.int(2, 60) * 250_000, { SO_QUYET_DINH: `${r.int(100, 9999)}/QĐ-XPHC`, NGAY_QUYET_DINH: `${pad(r.int(1, 28))}/${pad(r.int(1, 10))}/2026` }));
  }
  return rows;
}

/**
 * Seeded citizens the tax registry holds as individuals (LOAI_NNT 05): who,
 * since when, and what they owe. ASSUMPTION, all of it; the people are those
 * of simulators/kit/people.ts. 092205000321 and every other citizen who owns
 * no household business is not found.
 */
const individualTaxpayers: Readonly<Record<string, { registeredOn: CalendarDate; obligations: (owner: LedgerOwner) => ObligationRow[] }>> = {
  // Nguyễn Văn An, salaried: his 2025 personal income tax settlement, self-assessed, past its due date.
  [wellKnownPersonIds.manBornInHanoi1990]: {
    registeredOn: { year: 2013, month: 7, day: 1 },
    obligations: (owner) => [row(owner, budgetSubItems.personalIncomeTaxSalary, 3_250_000, { KY_THUE: '2025', HAN_NOP: '30/04/2026' })],
  },
  // Trần Thị Ngọc Ánh: the registration fee of a house she bought, and the urban land use tax of 2026, both on notices.
  [wellKnownPersonIds.womanBorn2001WithDiacritics]: {
    registeredOn: { year: 2023, month: 9, day: 18 },
    obligations: (owner) => [
      row(owner, budgetSubItems.registrationFeeHouseAndLand, 16_000_000, { SO_QUYET_DINH: '2156/TB-CCT', NGAY_QUYET_DINH: '02/11/2026', HAN_NOP: '02/12/2026' }),
      row(owner, budgetSubItems.urbanResidentialLandUseTax, 1_185_000, { KY_THUE: '2026', SO_QUYET_DINH: '8821/TB-CCT', NGAY_QUYET_DINH: '15/09/2026', HAN_NOP: '31/10/2026' }),
    ],
  },
  // Lê Văn Bảy, retired: registered, owes nothing.
  [wellKnownPersonIds.elderlyYearOnlyWithOldIdCard]: { registeredOn: { year: 2009, month: 3, day: 12 }, obligations: () => [] },
};

/** What the tax sandbox holds under one tax code: the NNT record, the ledger, and whether the MST is terminated. */
export interface SeededTaxpayer {
  record: NntRecord;
  obligations: ObligationRow[];
  terminated: boolean;
}

export function findTaxpayer(taxCode: string): SeededTaxpayer | undefined {
  if (isPersonalTaxCode(taxCode)) return findPersonalTaxpayer(taxCode);
  const business = findBusinessByTaxCode(taxCode);
  return business && { record: toNntRecord(business), obligations: obligationsOf(business), terminated: business.status === 'dissolved' };
}

/** A personal id: the household business its holder owns (under that id), else the individual, else nobody. */
function findPersonalTaxpayer(personalId: string): SeededTaxpayer | undefined {
  const person = findPersonById(personalId);
  if (!person) return undefined;
  const owner: LedgerOwner = { taxCode: personalId, person: true };
  const household = householdBusinessOf(personalId);
  if (household) {
    return { record: { ...toNntRecord(household), MA_SO_THUE: personalId }, obligations: obligationsOf(household, owner), terminated: household.status === 'dissolved' };
  }
  const individual = individualTaxpayers[personalId];
  return individual && { record: individualRecord(person, individual.registeredOn), obligations: individual.obligations(owner), terminated: false };
}

let householdsByOwner: Map<string, SeededBusiness> | undefined;

/** The first household business a person owns (the seed may give one owner several). */
function householdBusinessOf(personalId: string): SeededBusiness | undefined {
  if (!householdsByOwner) {
    householdsByOwner = new Map();
    for (const business of seededBusinesses()) {
      const ownerId = business.representativeIds[0];
      if (business.kind === 'household-business' && ownerId && !householdsByOwner.has(ownerId)) householdsByOwner.set(ownerId, business);
    }
  }
  return householdsByOwner.get(personalId);
}

function individualRecord(person: SeededPerson, registeredOn: CalendarDate): NntRecord {
  const office = taxOfficeIn(person.permanentAddress.provinceCode, 'grassroots');
  return {
    MA_SO_THUE: person.personalId,
    TEN_NNT: toUpperAscii(fullNameOf(person.name)),
    LOAI_NNT: individualTaxpayerType.code,
    TEN_LOAI_NNT: individualTaxpayerType.label,
    TRANG_THAI: taxpayerStatuses.active.code,
    TEN_TRANG_THAI: taxpayerStatuses.active.label,
    NGAY_THAY_DOI_TRANG_THAI: '',
    NGAY_CAP_MST: dayMonthYear(registeredOn),
    MA_CQT_QL: office.code,
    TEN_CQT_QL: office.name,
    DIA_CHI: addressOf(person.permanentAddress),
    // An individual has no representative: the element is there, empty.
    NGUOI_DAI_DIEN: '',
    NGAY_CAP_NHAT: ledgerUpdatedAt,
  };
}
