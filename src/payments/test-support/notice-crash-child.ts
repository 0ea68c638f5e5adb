import { ipnChecksum, verifyIpnChecksum, type IpnChecksumFields } from '../../../connectors/paygov/checksum.js';
import { createLogger } from '../../observability/logger.js';
import { createPgStore } from '../../store/pg-store.js';
import { processIpn } from '../ipn-processor.js';
import { installPaymentNotices } from '../payment-notice.js';
import { createFinalStateHooks } from '../final-state-hooks.js';

/**
 * A gateway process reduced to its IPN path (argv: database url, schema,
 * reference, partner code, secret): the payment notices installed as the
 * gateway installs them, one authentic "paid" IPN processed, its answer
 * printed, then SIGKILL before anything else runs. No outbox dispatcher is
 * started here: whatever is delivered afterwards was committed with the IPN.
 * Run as plain JavaScript (src/outbox/test-support/spawn-crash-child.ts).
 */
const [url, schema, reference, partnerCode, secret] = process.argv.slice(2) as [string, string, string, string, string];
const logger = createLogger({ level: 'silent' });
const store = await createPgStore({ connectionString: url, schema, logger, max: 2 });
const finalStateHooks = createFinalStateHooks();
installPaymentNotices({ url: 'http://one-stop.invalid/hooks/payments', portalProgress: true }, finalStateHooks);
const fields: IpnChecksumFields = {
  LoaiBanTin: 'IPN', MaLoi: '00', MaDoiTac: partnerCode, MaThamChieu: reference, SoTien: '150000', MaTienTe: 'VND',
  MaGiaoDich: 'PG-CRASH-1', MaNganHang: 'VCB', ThoiGianGD: '20250521143512', ThongTinGiaoDich: 'Nộp lệ phí',
};
const result = await processIpn(
  { store, partnerCode: () => partnerCode, secrets: async () => [secret], verifyChecksum: verifyIpnChecksum, logger, finalStateHooks },
  { rawBody: JSON.stringify({ ...fields, MaXacThuc: ipnChecksum(fields, secret) }), sourceIp: '203.0.113.10' },
);
process.stdout.write(`${JSON.stringify({ verdict: result.verdict, answer: result.answer.MaLoi })}\n`);
// Between accepting the IPN (committed, answered) and notifying: the process dies without a chance to clean up.
process.kill(process.pid, 'SIGKILL');
