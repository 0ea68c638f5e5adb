import type { IpnDelivery } from './ipn-sender.js';
import type { SandboxPayment, SandboxPaymentState } from './platform.js';
import { escapeHtml } from '../../../src/util/html.js';

/**
 * The payer's page of the simulated platform: plain HTML forms, Vietnamese,
 * no script and no external resource (the CSP sent with it forbids both), so
 * it works in any browser and in a test with fetch.
 */

export const sandboxBanks = [
  { code: 'VCB', name: 'Vietcombank' },
  { code: 'BIDV', name: 'BIDV' },
  { code: 'CTG', name: 'VietinBank' },
  { code: 'VBA', name: 'Agribank' },
] as const;

export const payerPageSecurityHeaders = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const stateTexts: Record<SandboxPaymentState, string> = {
  pending: 'Chờ thanh toán',
  paid: 'Đã thanh toán thành công',
  failed: 'Giao dịch không thành công',
  cancelled: 'Người nộp đã hủy giao dịch',
  expired: 'Giao dịch đã hết hạn',
};

export function vndText(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

/** What became of one IPN, in words for the page (the walkthrough shows whether the gateway took it). */
function noticeText(delivery: IpnDelivery): string {
  const kind = delivery.message.MaLoi === '00' ? 'thành công' : 'không thành công';
  const answer = delivery.answer as { MaLoi?: unknown; MoTaLoi?: unknown } | undefined;
  if (answer) return `Thông báo kết quả (${kind}) đã gửi; cổng trả lời MaLoi ${escapeHtml(String(answer.MaLoi))}${typeof answer.MoTaLoi === 'string' ? ` (${escapeHtml(answer.MoTaLoi)})` : ''}`;
  const last = delivery.attempts.at(-1);
  if (!last) return `Thông báo kết quả (${kind}) đang gửi…`;
  const why = last.error === 'no callback URL configured' ? 'chưa cấu hình địa chỉ nhận thông báo' : last.status !== undefined ? `HTTP ${last.status}` : escapeHtml(last.error ?? 'lỗi');
  return `Thông báo kết quả (${kind}) chưa gửi được sau ${delivery.attempts.length} lần (${why})`;
}

export function payerPage(payment: SandboxPayment, actionBase: string, notices: readonly IpnDelivery[] = []): string {
  const items = (payment.receipt.PhiLePhi ?? [])
    .map((item) => `<tr><td>${escapeHtml(item.MaPhiLePhi ?? '')}</td><td>${escapeHtml(item.TenPhiLePhi ?? '')}</td><td class="so">${vndText(Number(item.SoTien))}</td></tr>`)
    .join('');
  const forms =
    payment.state === 'pending'
      ? `<form method="post" action="${escapeHtml(actionBase)}/pay">
<label for="bank">Ngân hàng</label>
<select id="bank" name="MaNganHang">${sandboxBanks.map((bank) => `<option value="${bank.code}">${escapeHtml(bank.name)}</option>`).join('')}</select>
<button type="submit">Thanh toán</button>
</form>
<form method="post" action="${escapeHtml(actionBase)}/fail"><button type="submit">Giả lập ngân hàng từ chối</button></form>
<form method="post" action="${escapeHtml(actionBase)}/cancel"><button type="submit">Hủy giao dịch</button></form>
<form method="post" action="${escapeHtml(actionBase)}/expire"><button type="submit">Giả lập hết thời hạn thanh toán</button></form>`
      : '';
  const noticeList = notices.length > 0 ? `<h2>Thông báo kết quả đến cổng (IPN)</h2>\n<ul id="ipn">${notices.map((delivery) => `<li>${noticeText(delivery)}</li>`).join('')}</ul>` : '';
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Thanh toán phí, lệ phí — Nền tảng thanh toán (sandbox)</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}td.so{text-align:right}form{margin:1em 0}</style>
</head>
<body>
<h1>Thanh toán phí, lệ phí thủ tục hành chính</h1>
<p><strong>Môi trường thử nghiệm (sandbox)</strong>: không có tiền thật.</p>
<dl>
<dt>Mã tham chiếu</dt><dd id="reference">${escapeHtml(payment.reference)}</dd>
<dt>Mã giao dịch</dt><dd>${escapeHtml(payment.transactionId)}</dd>
<dt>Nội dung</dt><dd>${escapeHtml(payment.description)}</dd>
<dt>Hồ sơ</dt><dd>${escapeHtml(payment.receipt.MaHoSo ?? '')}</dd>
<dt>Số tiền</dt><dd id="amount">${vndText(payment.amount)}</dd>
<dt>Trạng thái</dt><dd id="state">${stateTexts[payment.state]}</dd>
</dl>
<table>
<thead><tr><th>Mã phí, lệ phí</th><th>Tên phí, lệ phí</th><th>Số tiền</th></tr></thead>
<tbody>${items}</tbody>
</table>
${forms}
${noticeList}
</body>
</html>
`;
}

export function notFoundPage(): string {
  return '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Không tìm thấy</title></head><body><h1>Không tìm thấy giao dịch</h1></body></html>\n';
}

