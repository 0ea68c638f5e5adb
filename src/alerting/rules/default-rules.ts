import type { AlertRule } from '../types.js';

const day = 86_400;

/**
 * The rules every connector gets. One entry per rule; a new kind of
 * per-connector alert is one more entry here.
 * Ids are `<connector>.<suffix>`: an administrator overrides or disables one
 * connector's rule by putting a rule with that id.
 */
export const perConnectorRules: ReadonlyArray<Omit<AlertRule, 'id' | 'matchers'> & { suffix: string }> = [
  {
    suffix: 'probe-down',
    signal: 'probe_up',
    op: '==',
    threshold: 0,
    forSeconds: 60,
    severity: 'critical',
    summary: {
      vi: 'Hệ thống nguồn {connector} không trả lời kiểm tra sức khỏe (health probe).',
      en: 'Upstream {connector} is not answering health probes.',
    },
    runbook:
      'Kiểm tra đường kết nối từ cổng tới hệ thống nguồn (mạng, VPN, DNS, chứng thư) và thông báo bảo trì của đơn vị vận hành; xem lgsp_upstream_probe_failures_total và nhật ký của kết nối. / Check the route from the gateway to the upstream (network, VPN, DNS, certificates) and the operator\'s maintenance notices; see lgsp_upstream_probe_failures_total and the connector\'s logs.',
  },
  {
    suffix: 'breaker-open',
    signal: 'breaker_open',
    op: '==',
    threshold: 1,
    forSeconds: 30,
    severity: 'critical',
    summary: {
      vi: 'Cầu dao (circuit breaker) của {connector} đang mở: các lời gọi tới hệ thống nguồn bị từ chối.',
      en: 'The circuit breaker of {connector} is open: calls to the upstream are refused.',
    },
    runbook:
      'Xem lỗi gần nhất của {connector} (lgsp_requests_total theo outcome, nhật ký) để biết vì sao cầu dao mở; cầu dao tự đóng khi một lời gọi thử thành công. / Look at the latest errors of {connector} (lgsp_requests_total by outcome, logs) to see why the breaker opened; it closes by itself once a trial call succeeds.',
  },
  {
    suffix: 'error-rate',
    signal: 'error_ratio',
    op: '>',
    threshold: 0.1,
    windowSeconds: 300,
    minSamples: 20,
    forSeconds: 120,
    severity: 'warning',
    summary: {
      vi: 'Tỷ lệ lỗi của {connector} / {operation} là {value:percent}.',
      en: 'Error rate of {connector} / {operation} is {value:percent}.',
    },
    runbook:
      'Xem các outcome lỗi (upstream_timeout, upstream_error, upstream_unavailable, contract_violation) của thao tác này trong lgsp_requests_total và nhật ký; so sánh với độ trễ và trạng thái cầu dao. / Look at which error outcomes of this operation grow in lgsp_requests_total and the logs; compare with latency and the breaker state.',
  },
  {
    suffix: 'latency-p95',
    signal: 'latency_p95_seconds',
    op: '>',
    threshold: 2,
    windowSeconds: 300,
    minSamples: 20,
    forSeconds: 300,
    severity: 'warning',
    summary: {
      vi: 'Độ trễ p95 của {connector} / {operation} là {value:duration}.',
      en: 'p95 latency of {connector} / {operation} is {value:duration}.',
    },
    runbook:
      'Kiểm tra tải và thời gian phản hồi của hệ thống nguồn, hàng đợi bulkhead (lgsp_upstream_bulkhead_queued) và số lần thử lại (lgsp_upstream_retries_total). / Check the upstream\'s load and response times, the bulkhead queue (lgsp_upstream_bulkhead_queued) and retries (lgsp_upstream_retries_total).',
  },
  {
    suffix: 'contract-violations',
    signal: 'contract_violations',
    op: '>',
    threshold: 0,
    windowSeconds: 900,
    forSeconds: 0,
    severity: 'warning',
    summary: {
      vi: 'Hệ thống nguồn {connector} trả về {value} phản hồi sai hợp đồng dữ liệu ở thao tác {operation}.',
      en: 'Upstream {connector} returned {value} answers that break the contract of {operation}.',
    },
    runbook:
      'Hệ thống nguồn có thể đã đổi định dạng dữ liệu: xem nhật ký vi phạm hợp đồng của {connector} và liên hệ đơn vị vận hành trước khi sửa hợp đồng. / The upstream may have changed its data format: read the contract-violation log lines of {connector} and contact its operator before changing the contract.',
  },
  {
    suffix: 'credential-expiring',
    signal: 'credential_expires_in_seconds',
    op: '<',
    threshold: 14 * day,
    forSeconds: 0,
    severity: 'warning',
    summary: {
      vi: 'Thông tin xác thực (chứng thư, khóa) của {connector} hết hạn sau {value:duration}.',
      en: 'The credential (certificate, key) of {connector} expires in {value:duration}.',
    },
    runbook:
      'Xin cấp thông tin xác thực mới từ đơn vị vận hành hệ thống nguồn và nạp vào kho khóa (credential vault) trước ngày hết hạn. / Request a new credential from the upstream\'s operator and load it into the credential vault before it expires.',
  },
  {
    suffix: 'credential-expiring-soon',
    signal: 'credential_expires_in_seconds',
    op: '<',
    threshold: 3 * day,
    forSeconds: 0,
    severity: 'critical',
    summary: {
      vi: 'Thông tin xác thực của {connector} sắp hết hạn: chỉ còn {value:duration}.',
      en: 'The credential of {connector} expires soon: {value:duration} left.',
    },
    runbook:
      'Khẩn: nạp thông tin xác thực mới vào kho khóa ngay; khi hết hạn, mọi lời gọi tới {connector} sẽ bị từ chối. / Urgent: load the new credential into the vault now; once it expires every call to {connector} is refused.',
  },
];

/** Rules about the gateway itself, not one connector. */
export const gatewayRules: readonly AlertRule[] = [
  {
    id: 'audit-unavailable',
    signal: 'audit_unavailable',
    op: '==',
    threshold: 1,
    forSeconds: 0,
    severity: 'critical',
    summary: {
      vi: 'Không ghi được nhật ký kiểm toán: các yêu cầu truy cập dữ liệu cá nhân đang bị từ chối.',
      en: 'The audit log cannot be written: personal-data requests are being refused.',
    },
    runbook:
      'Kiểm tra cơ sở dữ liệu (kết nối, dung lượng đĩa, phân vùng audit_records của tháng này: lgsp_audit_partition_months_ahead). / Check the database (connectivity, disk space, this month\'s audit_records partition: lgsp_audit_partition_months_ahead).',
  },
  {
    id: 'outbox-dead-messages',
    signal: 'outbox_dead_messages',
    op: '>',
    threshold: 0,
    forSeconds: 0,
    severity: 'warning',
    summary: {
      vi: 'Hàng đợi gửi đi (outbox) {target} có {value} tin không gửi được, chờ người vận hành xử lý.',
      en: 'Outbox target {target} has {value} dead messages waiting for an operator.',
    },
    runbook:
      'Xem lỗi cuối của các tin trong /admin/v1/outbox (state=dead), khắc phục nơi nhận rồi gửi lại (re-drive) hoặc hủy. / Read the last error of the dead messages in /admin/v1/outbox (state=dead), fix the receiving side, then re-drive or cancel them.',
  },
  {
    id: 'outbox-backlog-age',
    signal: 'outbox_oldest_pending_age_seconds',
    op: '>',
    threshold: 900,
    forSeconds: 60,
    severity: 'warning',
    summary: {
      vi: 'Tin cũ nhất chưa gửi được của outbox {target} đã chờ {value:duration}.',
      en: 'The oldest undelivered message of outbox target {target} has waited {value:duration}.',
    },
    runbook:
      'Kiểm tra nơi nhận của {target} có trả lời không (lgsp_outbox_deliveries_total theo outcome) và bộ điều phối outbox có đang chạy trên các bản sao. / Check whether the receiver of {target} answers (lgsp_outbox_deliveries_total by outcome) and that the outbox dispatcher runs on the replicas.',
  },
  {
    id: 'rate-limit-fallback',
    signal: 'rate_limit_fallback',
    op: '>',
    threshold: 0,
    windowSeconds: 300,
    forSeconds: 0,
    severity: 'warning',
    summary: {
      vi: 'Bộ giới hạn tần suất không kết nối được Redis và đã tự quyết định cục bộ {value} lần: giới hạn không còn chung cho mọi bản sao.',
      en: 'The rate limiter could not reach Redis and decided locally {value} times: limits are no longer shared by the replicas.',
    },
    runbook:
      'Kiểm tra Redis (kết nối, bộ nhớ, lgsp_rate_limit_redis_connected). / Check Redis (connectivity, memory, lgsp_rate_limit_redis_connected).',
  },
];

/** Payments are active when the payment platform's connector is configured (config `payments`): their rules come with it. */
export const paymentPlatformConnectorId = 'paygov';

/** Rules about online payments (src/payments): money a human must look at, and callbacks that are not the platform's. */
export const paymentRules: readonly AlertRule[] = [
  {
    id: 'payments.anomaly',
    signal: 'payment_anomalies',
    op: '>',
    threshold: 0,
    // An hour: long enough that a notice about money is not resolved before anyone read it.
    windowSeconds: 3600,
    forSeconds: 0,
    severity: 'critical',
    summary: {
      vi: 'Thanh toán trực tuyến có bất thường loại {kind} cần người xử lý ({value} trong một giờ qua; không có gì được tự động áp dụng).',
      en: 'Online payments: anomalies of kind {kind} need a human ({value} in the last hour; nothing was applied automatically).',
    },
    runbook:
      'Tìm mã tham chiếu trong nhật ký ("payment anomaly") hoặc trong báo cáo đối soát /admin/v1/payments/reconciliation?date=YYYY-MM-DD, xem /admin/v1/payments/<mã tham chiếu> (lịch sử, các IPN đã nhận), rồi đối chiếu với Paygov trước khi quyết định hoàn tiền hay ghi nhận. / Find the reference in the logs ("payment anomaly") or in the reconciliation report /admin/v1/payments/reconciliation?date=YYYY-MM-DD, read /admin/v1/payments/<reference> (history, IPNs received), then settle it with Paygov (refund or accept).',
  },
  {
    id: 'payments.ipn-unauthentic',
    signal: 'payment_ipn_unauthentic',
    op: '>',
    threshold: 0,
    windowSeconds: 900,
    forSeconds: 0,
    severity: 'warning',
    summary: {
      vi: 'Thông báo kết quả thanh toán (IPN) bị từ chối vì {verdict} ({value} trong 15 phút qua): có thể bị giả mạo, hoặc mã đối tác / khóa bí mật lệch với Paygov.',
      en: 'Payment callbacks (IPN) refused as {verdict} ({value} in the last 15 minutes): forged, or the partner code or secret is out of step with Paygov.',
    },
    runbook:
      'Xem các IPN bị từ chối trong nhật ký ("paygov IPN refused": nguồn, mã tham chiếu). Nếu đến từ địa chỉ của Paygov: kiểm tra khóa bí mật và mã đối tác trong kho khóa (đang xoay khóa?). Nếu không: có người gửi IPN giả; cân nhắc payments.ipn.allowedSources. / Read the refused IPNs in the logs ("paygov IPN refused": source, reference). From Paygov\'s addresses: check the secret and partner code in the vault (a rotation under way?). Otherwise someone is forging callbacks; consider payments.ipn.allowedSources.',
  },
];

/** The shipped defaults: every connector's rules (in connector order), then the gateway's, then the payments' when the payment platform is configured. */
export function defaultRules(connectorIds: readonly string[]): AlertRule[] {
  const perConnector = connectorIds.flatMap((connector) =>
    perConnectorRules.map(({ suffix, ...rule }): AlertRule => ({ ...rule, id: `${connector}.${suffix}`, matchers: { connector } })),
  );
  const payments = connectorIds.includes(paymentPlatformConnectorId) ? paymentRules : [];
  return [...perConnector, ...gatewayRules.map((rule) => ({ ...rule })), ...payments.map((rule) => ({ ...rule }))];
}
