import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { UpstreamError } from '../../src/connector-kit/index.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { birthFromKhaiSinh, deathFromKhaiTu, marriageFromKetHon, requirePersonalId, requireRegistrationKey } from './mapping.js';
import type { KetHon, KetQuaTraCuu, KhaiSinh, KhaiTu } from './upstream-types.js';

// Recorded upstream answers (fixtures/README.md), parsed as the client parses them.
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const contractOf = (name: string) => contracts.validator(`https://lgsp.gov.vn/contracts/civil-status/v1/${name}.json`);

function only<T>(file: string): T {
  const answer = JSON.parse(readFileSync(connectorFile('civil-status', 'fixtures', file), 'utf8')) as KetQuaTraCuu<T>;
  expect(answer.data).toHaveLength(1);
  return answer.data![0]!;
}

function valid<T>(contract: string, value: T): T {
  const validate = contractOf(contract);
  if (!validate(value)) throw new Error(`${contract}: ${JSON.stringify(validate.errors)}`);
  return value;
}

describe('civil-status mapping on recorded upstream answers', () => {
  it('maps a birth from a paper book: parents by name only, no declarant, no empty fields', () => {
    const birth = valid('birth-registration', birthFromKhaiSinh(only<KhaiSinh>('khai-sinh-paper-book-1990.json')));
    expect(birth).toEqual({
      registration: {
        authority: { code: '00001', name: 'Ủy ban nhân dân Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội' },
        book: '01/1990',
        number: '30',
        page: '15',
        registeredOn: '1990-07-03',
        type: { code: '1', label: 'Đăng ký đúng hạn' },
        signedBy: 'Chủ tịch',
      },
      child: {
        fullName: 'Nguyễn Văn An',
        personalId: '001090012345',
        sex: { code: '1', label: 'Nam' },
        birthDate: '1990-05-15',
        ethnicity: { code: '01', label: 'Kinh' },
        nationality: { code: 'VN', label: 'Việt Nam' },
      },
      birthPlace: 'Thành phố Hà Nội',
      hometown: 'Thành phố Hà Nội',
      mother: { fullName: 'Phạm Thị Lan' },
      father: { fullName: 'Nguyễn Văn Bình' },
    });
  });

  it('maps a birth of 2016: parents on personal ids, the declarant', () => {
    const birth = valid('birth-registration', birthFromKhaiSinh(only<KhaiSinh>('khai-sinh-2016-parents-with-ids.json')));
    expect(birth.mother).toMatchObject({ fullName: 'Trần Thị Yến', personalId: '001191212300', birthDate: '1991-02-03', ethnicity: { code: '01' } });
    expect(birth.father).toMatchObject({ fullName: 'Phan Trung Cường', personalId: '001091542444' });
    expect(birth.declarant).toEqual({ fullName: 'Trần Thị Yến', relationship: 'Mẹ' });
  });

  it('maps a 2025 marriage and a dissolved legacy one (old CMND, name as keyed)', () => {
    const current = valid('marriage-registration', marriageFromKetHon(only<KetHon>('ket-hon-2025-ward.json')));
    expect(current).toMatchObject({ registration: { authority: { code: '00004' }, registeredOn: '2025-08-18' }, husband: { personalId: '001090012345' }, wife: { personalId: '079301005678' }, status: { code: '1', label: 'Đang có hiệu lực' } });
    const dissolved = valid('marriage-registration', marriageFromKetHon(only<KetHon>('ket-hon-dissolved-legacy.json')));
    expect(dissolved).toMatchObject({ wife: { fullName: 'NGUYEN THI HOA', legacyIdNumber: '201234567' }, status: { code: '2' }, dissolvedOn: '2018-09-25' });
    expect(dissolved.husband).toEqual({ fullName: 'Đỗ Văn Hùng' });
    expect(dissolved.wife.personalId).toBeUndefined();
  });

  it('maps deaths: a year-only birth date, a time of death, an empty time left out', () => {
    const binh = valid('death-registration', deathFromKhaiTu(only<KhaiTu>('khai-tu-no-personal-id.json')));
    expect(binh).toMatchObject({ deceased: { fullName: 'Nguyễn Văn Bình', birthDate: '1958', sex: { code: '1' } }, diedOn: '2012-03-20', timeOfDeath: '05:40', declarant: { relationship: 'Con' } });
    expect(binh.deceased.personalId).toBeUndefined();
    const tam = valid('death-registration', deathFromKhaiTu(only<KhaiTu>('khai-tu-by-personal-id.json')));
    expect(tam).toMatchObject({ deceased: { personalId: '038140004321' }, placeOfDeath: 'Tại nhà' });
    expect(tam.timeOfDeath).toBeUndefined();
  });

  it('reads the not-found answer as an empty list', () => {
    const answer = JSON.parse(readFileSync(connectorFile('civil-status', 'fixtures', 'khai-sinh-not-found.json'), 'utf8')) as KetQuaTraCuu<KhaiSinh>;
    expect(answer).toMatchObject({ statusCode: '00', data: [] });
  });

  describe('hostile or mixed-up records are contract violations, naming fields, never values', () => {
    const birth = only<KhaiSinh>('khai-sinh-paper-book-1990.json');
    const contractViolation = (run: () => unknown, field: string) => {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UpstreamError);
      expect(caught).toMatchObject({ kind: 'contract' });
      expect((caught as Error).message).toContain(field);
      expect((caught as Error).message).not.toContain('001090012345');
    };

    it('a record of another registration, or for another person', () => {
      contractViolation(() => requireRegistrationKey(birth, { authorityCode: '00001', book: '01/1990', number: '31' }), 'noiDangKy');
      expect(() => requireRegistrationKey(birth, { authorityCode: '00001', book: '01/1990', number: '30' })).not.toThrow();
      contractViolation(() => requirePersonalId([birth.nksSoDinhDanh], '079301005678', 'child'), 'child');
    });

    it('a record without its key, a date in no accepted form, a time that is not HH:mm, a marriage without a wife', () => {
      contractViolation(() => birthFromKhaiSinh({ ...birth, quyenSo: '' }), 'quyenSo');
      contractViolation(() => birthFromKhaiSinh({ ...birth, nksNgaySinh: '1990/05/15' }), 'nksNgaySinh');
      contractViolation(() => deathFromKhaiTu({ ...only<KhaiTu>('khai-tu-no-personal-id.json'), nktGioPhutChet: '5h40' }), 'nktGioPhutChet');
      contractViolation(() => marriageFromKetHon({ ...only<KetHon>('ket-hon-2025-ward.json'), voHoTen: null }), 'voHoTen');
      contractViolation(() => birthFromKhaiSinh({ ...birth, nksHoTen: '' }), 'nksHoTen');
    });

    it('drops identity numbers that are not what their type says (no passport or malformed id is released)', () => {
      const mapped = birthFromKhaiSinh({ ...only<KhaiSinh>('khai-sinh-2016-parents-with-ids.json'), meLoaiGiayToTuyThan: '2', chaSoGiayToTuyThan: '12345' });
      expect(mapped.mother!.personalId).toBeUndefined();
      expect(mapped.father!.personalId).toBeUndefined();
    });
  });
});
