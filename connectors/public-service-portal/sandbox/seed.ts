import { createSeededRandom } from '../../../simulators/kit/seeded-random.js';
import { deepFreeze } from '../../../src/util/deep-freeze.js';
import type { CachThuc, GiayTo, ThuTuc } from '../upstream-types.js';

/**
 * The sandbox's procedure catalog: a few hundred procedures built from a fixed
 * seed out of real procedure names and fields (Hộ tịch, Đất đai, Đăng ký kinh
 * doanh, ...), published per administrative level with their own codes, with
 * the agencies of a province after the July 2025 reorganisation (H22 as the
 * example province), processing times and fees (half fee online, as the
 * national fee policy does). Codes look real; the amounts and times are
 * plausible, not authoritative.
 */

interface FieldSeed {
  code: string;
  name: string;
  /** Ministry letter group of the procedure codes. */
  ministry: string;
  department: { code: string; name: string };
  levels: ReadonlyArray<'province' | 'commune'>;
  fee: readonly number[];
  days: readonly number[];
  documents: readonly string[];
  procedures: readonly string[];
}

const communeAgency = { code: '000.00.23.H22', name: 'Ủy ban nhân dân cấp xã' };

const fields: readonly FieldSeed[] = [
  {
    code: 'G06-HT01', name: 'Hộ tịch', ministry: 'H56', department: { code: '000.00.14.H22', name: 'Sở Tư pháp' }, levels: ['commune', 'province'], fee: [0, 0, 8000, 10000], days: [0, 1, 3, 5, 15],
    documents: ['Tờ khai theo mẫu', 'Giấy chứng sinh', 'Văn bản ủy quyền (nếu có)', 'Giấy tờ chứng minh nơi cư trú'],
    procedures: ['Đăng ký khai sinh', 'Đăng ký khai tử', 'Đăng ký kết hôn', 'Đăng ký nhận cha, mẹ, con', 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con', 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', 'Cấp bản sao trích lục hộ tịch', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'Đăng ký giám hộ', 'Đăng ký chấm dứt giám hộ', 'Đăng ký lại khai sinh', 'Đăng ký lại kết hôn', 'Đăng ký lại khai tử', 'Đăng ký khai sinh có yếu tố nước ngoài', 'Đăng ký kết hôn có yếu tố nước ngoài', 'Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài', 'Đăng ký khai sinh lưu động', 'Đăng ký xác định lại dân tộc'],
  },
  {
    code: 'G06-CT01', name: 'Chứng thực', ministry: 'H56', department: { code: '000.00.14.H22', name: 'Sở Tư pháp' }, levels: ['commune'], fee: [2000, 10000, 50000], days: [0, 1, 2],
    documents: ['Bản chính giấy tờ, văn bản', 'Bản sao cần chứng thực', 'Dự thảo hợp đồng, giao dịch', 'Giấy tờ tùy thân của người yêu cầu chứng thực'],
    procedures: ['Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản', 'Chứng thực di chúc', 'Chứng thực văn bản thỏa thuận phân chia di sản', 'Chứng thực văn bản khai nhận di sản', 'Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch', 'Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực'],
  },
  {
    code: 'G06-LLTP', name: 'Lý lịch tư pháp', ministry: 'H56', department: { code: '000.00.14.H22', name: 'Sở Tư pháp' }, levels: ['province'], fee: [200_000, 100_000], days: [10, 15],
    documents: ['Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 'Bản chụp Căn cước công dân hoặc Hộ chiếu', 'Văn bản ủy quyền (nếu có)'],
    procedures: ['Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam', 'Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, cơ quan tiến hành tố tụng', 'Cấp Phiếu lý lịch tư pháp cho cơ quan, tổ chức chính trị - xã hội'],
  },
  {
    code: 'BTNMT-DD', name: 'Đất đai', ministry: 'H12', department: { code: '000.00.16.H22', name: 'Sở Nông nghiệp và Môi trường' }, levels: ['province', 'commune'], fee: [0, 50000, 100_000, 500_000], days: [3, 10, 15, 20, 30],
    documents: ['Đơn đăng ký biến động đất đai, tài sản gắn liền với đất', 'Giấy chứng nhận đã cấp', 'Hợp đồng, văn bản về việc chuyển quyền sử dụng đất', 'Sơ đồ thửa đất', 'Chứng từ thực hiện nghĩa vụ tài chính'],
    procedures: ['Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 'Cấp lại Giấy chứng nhận do bị mất', 'Đăng ký biến động do chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất', 'Chuyển mục đích sử dụng đất', 'Tách thửa hoặc hợp thửa đất', 'Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', 'Xóa đăng ký thế chấp quyền sử dụng đất', 'Đính chính Giấy chứng nhận đã cấp', 'Gia hạn sử dụng đất', 'Cung cấp thông tin, dữ liệu đất đai', 'Hòa giải tranh chấp đất đai', 'Giao đất, cho thuê đất không thông qua đấu giá'],
  },
  {
    code: 'BTC-DKKD', name: 'Thành lập và hoạt động của doanh nghiệp', ministry: 'BTC', department: { code: '000.00.05.H22', name: 'Sở Tài chính' }, levels: ['province'], fee: [50000, 100_000, 0], days: [3, 5],
    documents: ['Giấy đề nghị đăng ký doanh nghiệp', 'Điều lệ công ty', 'Danh sách thành viên, cổ đông sáng lập', 'Bản sao giấy tờ pháp lý của cá nhân', 'Văn bản ủy quyền cho người nộp hồ sơ'],
    procedures: ['Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên', 'Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên', 'Đăng ký thành lập công ty cổ phần', 'Đăng ký doanh nghiệp tư nhân', 'Đăng ký thay đổi người đại diện theo pháp luật', 'Đăng ký thay đổi vốn điều lệ', 'Đăng ký thay đổi địa chỉ trụ sở chính', 'Thông báo tạm ngừng kinh doanh', 'Thông báo tiếp tục kinh doanh trước thời hạn', 'Giải thể doanh nghiệp', 'Đăng ký hoạt động chi nhánh, văn phòng đại diện', 'Cấp lại Giấy chứng nhận đăng ký doanh nghiệp', 'Chuyển đổi doanh nghiệp tư nhân thành công ty'],
  },
  {
    code: 'BTC-HKD', name: 'Thành lập và hoạt động của hộ kinh doanh, hợp tác xã', ministry: 'BTC', department: { code: '000.00.05.H22', name: 'Sở Tài chính' }, levels: ['commune', 'province'], fee: [100_000, 50000, 0], days: [3, 5],
    documents: ['Giấy đề nghị đăng ký', 'Bản sao giấy tờ pháp lý của chủ hộ kinh doanh', 'Biên bản họp thành viên (hợp tác xã)'],
    procedures: ['Đăng ký thành lập hộ kinh doanh', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', 'Tạm ngừng kinh doanh hộ kinh doanh', 'Chấm dứt hoạt động hộ kinh doanh', 'Đăng ký thành lập hợp tác xã', 'Đăng ký thay đổi nội dung đăng ký hợp tác xã', 'Giải thể tự nguyện hợp tác xã'],
  },
  {
    code: 'BXD-XD', name: 'Hoạt động xây dựng', ministry: 'H29', department: { code: '000.00.07.H22', name: 'Sở Xây dựng' }, levels: ['province', 'commune'], fee: [75000, 15000, 150_000], days: [7, 15, 20],
    documents: ['Đơn đề nghị cấp giấy phép xây dựng', 'Giấy tờ chứng minh quyền sử dụng đất', 'Bản vẽ thiết kế xây dựng', 'Bản cam kết bảo đảm an toàn công trình liền kề'],
    procedures: ['Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', 'Cấp giấy phép xây dựng sửa chữa, cải tạo công trình', 'Cấp giấy phép di dời công trình', 'Điều chỉnh giấy phép xây dựng', 'Gia hạn giấy phép xây dựng', 'Cấp lại giấy phép xây dựng', 'Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng', 'Cấp chứng chỉ hành nghề hoạt động xây dựng'],
  },
  {
    code: 'BXD-DB', name: 'Đường bộ', ministry: 'H29', department: { code: '000.00.07.H22', name: 'Sở Xây dựng' }, levels: ['province'], fee: [135_000, 50000, 0], days: [5, 10],
    documents: ['Đơn đề nghị theo mẫu', 'Giấy chứng nhận sức khỏe người lái xe', 'Bản sao giấy phép lái xe'],
    procedures: ['Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 'Cấp lại giấy phép lái xe', 'Cấp giấy phép lái xe quốc tế', 'Cấp giấy phép kinh doanh vận tải bằng xe ô tô', 'Cấp phù hiệu xe kinh doanh vận tải', 'Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ'],
  },
  {
    code: 'BYT-KCB', name: 'Khám bệnh, chữa bệnh', ministry: 'H37', department: { code: '000.00.11.H22', name: 'Sở Y tế' }, levels: ['province'], fee: [360_000, 4_300_000, 0], days: [20, 30, 45],
    documents: ['Đơn đề nghị', 'Bản sao văn bằng chuyên môn', 'Giấy chứng nhận đủ sức khỏe', 'Danh sách nhân sự', 'Bản kê khai cơ sở vật chất, thiết bị y tế'],
    procedures: ['Cấp giấy phép hành nghề khám bệnh, chữa bệnh', 'Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh', 'Cấp giấy phép hoạt động đối với phòng khám đa khoa', 'Cấp giấy phép hoạt động đối với phòng khám chuyên khoa', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược', 'Cấp chứng chỉ hành nghề dược'],
  },
  {
    code: 'BNV-BTXH', name: 'Bảo trợ xã hội', ministry: 'H26', department: { code: '000.00.09.H22', name: 'Sở Nội vụ' }, levels: ['commune', 'province'], fee: [0], days: [7, 10, 15, 20],
    documents: ['Tờ khai đề nghị trợ giúp xã hội', 'Bản sao giấy xác nhận khuyết tật (nếu có)', 'Giấy tờ chứng minh hoàn cảnh'],
    procedures: ['Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng', 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', 'Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật', 'Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở', 'Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội', 'Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập'],
  },
  {
    code: 'BNV-LD', name: 'Việc làm và lao động', ministry: 'H26', department: { code: '000.00.09.H22', name: 'Sở Nội vụ' }, levels: ['province'], fee: [600_000, 450_000, 0], days: [5, 10, 20],
    documents: ['Văn bản đề nghị', 'Giấy chứng nhận sức khỏe', 'Phiếu lý lịch tư pháp', 'Văn bản chứng minh trình độ chuyên môn'],
    procedures: ['Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam', 'Gia hạn giấy phép lao động cho người lao động nước ngoài', 'Đăng ký nội quy lao động của doanh nghiệp', 'Giải quyết hưởng trợ cấp thất nghiệp', 'Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp', 'Đăng ký hợp đồng nhận lao động thực tập'],
  },
  {
    code: 'BNV-NCC', name: 'Người có công', ministry: 'H26', department: { code: '000.00.09.H22', name: 'Sở Nội vụ' }, levels: ['commune', 'province'], fee: [0], days: [12, 20, 30],
    documents: ['Bản khai cá nhân theo mẫu', 'Giấy báo tử hoặc giấy tờ chứng minh', 'Biên bản họp hội đồng xác nhận'],
    procedures: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ', 'Cấp giấy chứng nhận thân nhân liệt sĩ', 'Giải quyết chế độ ưu đãi đối với thương binh', 'Hỗ trợ người có công với cách mạng cải thiện nhà ở', 'Di chuyển hồ sơ người có công với cách mạng'],
  },
  {
    code: 'BGDDT-GD', name: 'Giáo dục và Đào tạo', ministry: 'H13', department: { code: '000.00.10.H22', name: 'Sở Giáo dục và Đào tạo' }, levels: ['province', 'commune'], fee: [0, 3000, 50000], days: [3, 5, 10, 20],
    documents: ['Đơn đề nghị', 'Học bạ', 'Bản sao văn bằng, chứng chỉ', 'Giấy giới thiệu chuyển trường'],
    procedures: ['Chuyển trường đối với học sinh trung học cơ sở', 'Chuyển trường đối với học sinh trung học phổ thông', 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 'Chỉnh sửa nội dung văn bằng, chứng chỉ', 'Công nhận trường đạt chuẩn quốc gia', 'Cho phép thành lập cơ sở giáo dục mầm non tư thục', 'Xét tuyển sinh vào trường phổ thông dân tộc nội trú'],
  },
  {
    code: 'BVHTTDL-VH', name: 'Văn hóa cơ sở', ministry: 'H30', department: { code: '000.00.12.H22', name: 'Sở Văn hóa, Thể thao và Du lịch' }, levels: ['province', 'commune'], fee: [0, 1_000_000, 3_000_000], days: [5, 7, 15],
    documents: ['Đơn đề nghị theo mẫu', 'Bản sao giấy chứng nhận đăng ký kinh doanh', 'Bản cam kết đáp ứng điều kiện'],
    procedures: ['Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke', 'Cấp giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường', 'Đăng ký tổ chức lễ hội', 'Thông báo tổ chức lễ hội cấp xã', 'Công nhận lần đầu danh hiệu Gia đình văn hóa', 'Cấp giấy phép tổ chức biểu diễn nghệ thuật'],
  },
  {
    code: 'BTC-DT', name: 'Đầu tư tại Việt Nam', ministry: 'BTC', department: { code: '000.00.05.H22', name: 'Sở Tài chính' }, levels: ['province'], fee: [0], days: [15, 25, 35],
    documents: ['Văn bản đề nghị thực hiện dự án đầu tư', 'Đề xuất dự án đầu tư', 'Bản sao tài liệu về tư cách pháp lý của nhà đầu tư', 'Báo cáo năng lực tài chính của nhà đầu tư'],
    procedures: ['Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư', 'Điều chỉnh Giấy chứng nhận đăng ký đầu tư', 'Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh', 'Chấm dứt hoạt động dự án đầu tư', 'Thành lập tổ chức kinh tế của nhà đầu tư nước ngoài'],
  },
  {
    code: 'BCA-CT', name: 'Đăng ký, quản lý cư trú', ministry: 'G06', department: { code: '000.00.06.H22', name: 'Công an tỉnh' }, levels: ['commune'], fee: [0, 10000, 20000], days: [3, 7],
    documents: ['Tờ khai thay đổi thông tin cư trú', 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp', 'Văn bản đồng ý của chủ hộ'],
    procedures: ['Đăng ký thường trú', 'Đăng ký tạm trú', 'Xóa đăng ký thường trú', 'Gia hạn tạm trú', 'Tách hộ', 'Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, tạm trú', 'Xác nhận thông tin về cư trú'],
  },
];

const levelInfo = { province: { code: '2', label: 'Cấp Tỉnh' }, commune: { code: '4', label: 'Cấp Xã' } } as const;
const applicantsByField: Record<string, string[]> = {
  'BTC-DKKD': ['Doanh nghiệp', 'Tổ chức'],
  'BTC-DT': ['Nhà đầu tư', 'Doanh nghiệp'],
  'BYT-KCB': ['Cá nhân', 'Tổ chức'],
};

/** Codes pinned for tests and docs; every other code comes from the seed. */
export const wellKnownProcedureCodes = {
  /** Đăng ký khai sinh, commune level (Hộ tịch): free in person, online too. */
  birthRegistration: '1.001193.000.00.00.H56',
  /** Cấp Phiếu lý lịch tư pháp (REFERENCE.md's example code). */
  criminalRecordCertificate: '1.003560.000.00.00.H56',
  /** A well-formed code the catalog does not hold. */
  unknown: '1.999999.000.00.00.H56',
} as const;

const pinned: Record<string, string> = {
  'Đăng ký khai sinh|commune': wellKnownProcedureCodes.birthRegistration,
  'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam|province': wellKnownProcedureCodes.criminalRecordCertificate,
};
/** What the law says of the pinned ones (Luật Hộ tịch: a birth is registered the same day; LLTP: 10 days, 200.000 đ). */
const pinnedFacts: Record<string, { days: number; fee: number }> = {
  [wellKnownProcedureCodes.birthRegistration]: { days: 0, fee: 0 },
  [wellKnownProcedureCodes.criminalRecordCertificate]: { days: 10, fee: 200_000 },
};

let built: readonly ThuTuc[] | undefined;

/** The catalog, built once (deterministic: seed 20251101). */
export function seededCatalog(): readonly ThuTuc[] {
  built ??= deepFreeze(buildCatalog());
  return built;
}

export function findProcedure(code: string): ThuTuc | undefined {
  return seededCatalog().find((procedure) => procedure.MATTHC === code);
}

function buildCatalog(): ThuTuc[] {
  const random = createSeededRandom(20251101);
  const used = new Set<string>([...Object.values(pinned), wellKnownProcedureCodes.unknown]);
  const catalog: ThuTuc[] = [];
  for (const field of fields) {
    for (const name of field.procedures) {
      for (const level of field.levels) {
        const code = pinned[`${name}|${level}`] ?? freshCode(random, field, used);
        used.add(code);
        catalog.push(procedure(random, field, name, level, code));
      }
    }
  }
  return catalog;
}

function freshCode(random: ReturnType<typeof createSeededRandom>, field: FieldSeed, used: Set<string>): string {
  for (;;) {
    const code = `${random.pick(['1', '1', '2'])}.${random.digits(6)}.000.00.00.${field.ministry}`;
    if (!used.has(code) && code !== wellKnownProcedureCodes.unknown) return code;
  }
}

function procedure(random: ReturnType<typeof createSeededRandom>, field: FieldSeed, name: string, level: 'province' | 'commune', code: string): ThuTuc {
  const agency = level === 'commune' ? communeAgency : field.department;
  const drawnFee = random.pick(field.fee);
  const drawnDays = random.pick(field.days);
  const { days, fee } = pinnedFacts[code] ?? { days: drawnDays, fee: drawnFee };
  const channels: CachThuc[] = [
    { KENH: '1', THOIGIAN: [time(days, fee, 'Nộp hồ sơ trực tiếp tại Bộ phận Một cửa')] },
    { KENH: '2', THOIGIAN: [time(days, Math.floor(fee / 2), 'Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia')] },
  ];
  if (random.chance(0.6)) channels.push({ KENH: '3', THOIGIAN: [time(days + random.int(1, 3), fee, 'Nộp hồ sơ qua dịch vụ bưu chính công ích')] });
  const documents: GiayTo[] = field.documents
    .filter((_, index) => index === 0 || random.chance(0.6))
    .map((document, index) => ({ TENGIAYTO: document, SOBANCHINH: '1', SOBANSAO: String(random.int(0, 1)), ...(index === 0 && { MAUDON: `${document} (mẫu ban hành kèm theo quy định hiện hành)` }) }));
  return {
    MATTHC: code,
    TENTTHC: name,
    CAPTHUCHIEN: levelInfo[level].code,
    TENCAPTHUCHIEN: levelInfo[level].label,
    LINHVUCTHUCHIEN: [{ MALINHVUC: field.code, TENLINHVUC: field.name }],
    COQUANTHUCHIEN: [{ MADONVI: agency.code, TENDONVI: agency.name }],
    DOITUONGTHUCHIEN: applicantsByField[field.code] ?? ['Công dân Việt Nam', 'Người nước ngoài'],
    CACHTHUCTHUCHIEN: channels,
    THANHPHANHOSO: documents,
    // A few procedures were repealed but stay published, as on the real portal.
    TRANGTHAI: random.chance(0.05) && !pinnedFacts[code] ? '0' : '1',
  };
}

function time(days: number, fee: number, description: string) {
  return {
    THOIGIANGIAIQUYET: String(days),
    DONVITINH: 'Ngày làm việc',
    MOTA: days === 0 ? `${description}; trả kết quả ngay trong ngày` : description,
    PHILEPHI: fee > 0 ? [{ MAPHILEPHI: fee >= 100_000 ? 'LEPHI' : 'PHI', SOTIEN: String(fee), MOTA: fee >= 100_000 ? 'Lệ phí' : 'Phí' }] : [],
  };
}

export const catalogFields = fields.map((field) => ({ MALINHVUC: field.code, TENLINHVUC: field.name }));
