import { currentLanguage, defineMessages } from './i18n.js';

/**
 * The province's connectors by their Vietnamese names. English uses the
 * descriptor's own title (written in English), and a connector this catalog
 * does not know yet (a new one in the registry) shows its title too.
 */
const names = defineMessages({
  vi: {
    'population': 'CSDL quốc gia về dân cư',
    'social-insurance': 'CSDL quốc gia về bảo hiểm (BHXH Việt Nam)',
    'land': 'CSDL đất đai của tỉnh',
    'tax': 'Cơ quan thuế (tra cứu người nộp thuế)',
    'business-registry': 'CSDL quốc gia về đăng ký doanh nghiệp',
    'public-service-portal': 'Cổng Dịch vụ công quốc gia',
    'paygov': 'Nền tảng thanh toán trực tuyến (Paygov)',
    'judicial-records': 'Phần mềm lý lịch tư pháp (Bộ Tư pháp)',
    'postal-delivery': 'Dịch vụ bưu chính công ích (VNPost)',
    'catalogs': 'Danh mục dùng chung',
    'civil-status': 'CSDL hộ tịch điện tử toàn quốc',
  },
  en: {
    'population': 'National population database',
    'social-insurance': 'Social insurance (BHXH Việt Nam)',
    'land': 'Provincial land database',
    'tax': 'Tax authority (taxpayer lookup)',
    'business-registry': 'National business registration database',
    'public-service-portal': 'National Public Service Portal',
    'paygov': 'National payment platform (Paygov)',
    'judicial-records': 'Judicial records (Ministry of Justice)',
    'postal-delivery': 'Public postal service (VNPost)',
    'catalogs': 'Common catalogs',
    'civil-status': 'Electronic civil-status database',
  },
});

type KnownConnector = Parameters<typeof names>[0];

/** The connector's name in the reader's language. */
export function connectorName(id: string, title: string): string {
  if (currentLanguage() !== 'vi') return title;
  const name = names(id as KnownConnector);
  // A catalog without the id answers the id itself.
  return name === id ? title : name;
}
