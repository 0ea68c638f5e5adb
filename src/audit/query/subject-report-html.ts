import type { AuditOutcome } from '../audit-record.js';
import type { SubjectAccessReport } from './subject-report.js';
import { escapeHtml } from '../../util/html.js';

/**
 * The citizen access report as a printable, self-contained HTML page
 * (Vietnamese, UTF-8, inline styles, no scripts or external assets). Every
 * value is escaped: end-user names and purposes come from callers.
 */

const outcomeLabels: Record<AuditOutcome, string> = {
  success: 'Đã cung cấp dữ liệu',
  not_found: 'Không tìm thấy',
  client_error: 'Yêu cầu không hợp lệ',
  upstream_error: 'Lỗi hệ thống nguồn',
  denied: 'Bị từ chối',
  gateway_error: 'Lỗi cổng kết nối',
};


const vietnamTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  dateStyle: 'short',
  timeStyle: 'medium',
});

/** The period line, when the report covers only part of the trail (to is exclusive). */
function periodLine(report: SubjectAccessReport): string {
  if (!report.from && !report.to) return '';
  const from = report.from ? `từ ${escapeHtml(vietnamTime.format(new Date(report.from)))}` : '';
  const to = report.to ? `trước ${escapeHtml(vietnamTime.format(new Date(report.to)))}` : '';
  return `Khoảng thời gian: ${[from, to].filter(Boolean).join(' đến ')}<br>\n`;
}

export function renderSubjectAccessReportHtml(report: SubjectAccessReport): string {
  const cell = (value: string) => `<td>${escapeHtml(value)}</td>`;
  const rows = report.accesses
    .map((access) =>
      [
        '<tr>',
        `<td><time datetime="${escapeHtml(access.occurredAt)}">${escapeHtml(vietnamTime.format(new Date(access.occurredAt)))}</time></td>`,
        `<td>${escapeHtml(access.consumerName ?? access.consumer)}${access.agency ? `<br><small>${escapeHtml(access.agency)}</small>` : ''}</td>`,
        cell(access.endUser),
        cell(access.operation),
        cell(access.purpose),
        cell(access.fieldsReleased.length > 0 ? access.fieldsReleased.join(', ') : '—'),
        cell(outcomeLabels[access.outcome] ?? access.outcome),
        '</tr>',
      ].join(''),
    )
    .join('\n');
  const body =
    report.accesses.length === 0
      ? '<p>Chưa có lượt truy cập nào vào dữ liệu của công dân này.</p>'
      : `<table>
<thead><tr><th>Thời điểm</th><th>Hệ thống / cơ quan</th><th>Cán bộ</th><th>Nghiệp vụ</th><th>Mã hồ sơ / mục đích</th><th>Trường dữ liệu đã cung cấp</th><th>Kết quả</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo truy cập dữ liệu cá nhân</title>
<style>
body { font-family: "Times New Roman", serif; margin: 2em; color: #000; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #444; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
@media print { body { margin: 0; } th { background: none; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Báo cáo truy cập dữ liệu cá nhân</h1>
<p>Số định danh cá nhân: <strong>${escapeHtml(report.subject)}</strong><br>
Thời điểm lập báo cáo: ${escapeHtml(vietnamTime.format(new Date(report.generatedAt)))}<br>
${periodLine(report)}
Số lượt truy cập: ${report.count}${report.truncated ? ' (chỉ hiển thị các lượt gần nhất)' : ''}</p>
${body}
<p><small>Báo cáo do Nền tảng tích hợp, chia sẻ dữ liệu (LGSP) lập từ nhật ký truy cập, theo quy định về bảo vệ dữ liệu cá nhân.</small></p>
</body>
</html>
`;
}
