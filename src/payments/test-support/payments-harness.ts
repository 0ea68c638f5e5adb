import { ipnChecksum, verifyIpnChecksum, type IpnChecksumFields } from '../../../connectors/paygov/checksum.js';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { Store } from '../../store/store.js';
import { captureLogger, type CapturedLogger } from '../../store/test-support/capture-logger.js';
import type { IsolatedStore, StoreTarget } from '../../store/test-support/store-targets.js';
import { processIpn, type IpnProcessorDeps, type IpnRequest } from '../ipn-processor.js';
import { newPaymentReference } from '../payment-reference.js';
import type { PaymentAnomaly } from '../payment-states.js';
import { createFinalStateHooks, type FinalStateHooks } from '../final-state-hooks.js';
import { createPaymentStore, type PaymentStore } from '../payment-store.js';
import type { CreatePaymentInput } from '../payment-types.js';

/** The values of connectors/paygov/checksum.test.ts's hand-computed vectors. */
export const partnerCode = '000.00.01.H22';
export const activeSecret = 's3cr3t-Key';
export const previousSecret = '0ld-s3cr3t';
export const subjectKey = 'payments-test-subject-key-0123456789abcdef';
export const payerName = 'Nguyễn Thị Bích Ngọc';

export function paymentInput(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    dossierCode: '000.00.01.H22-250521-0001',
    procedureCode: '1.003560.000.00.00.H56',
    agencyCode: '000.00.01.H22',
    payerName,
    items: [
      { code: 'LP01', name: 'Lệ phí cấp giấy phép', amount: 100_000 },
      { code: 'P02', name: 'Phí thẩm định', amount: 50_000, kind: 'fee' },
    ],
    ...overrides,
  };
}

export interface PaymentsFixture {
  isolated: IsolatedStore;
  store: Store;
  log: CapturedLogger;
  payments: PaymentStore;
  /** References the next creates take, in order (then random ones). */
  forcedReferences: string[];
  secrets: string[];
  anomalies: Array<[PaymentAnomaly, string]>;
  deps: IpnProcessorDeps;
  /** What the store and the IPN processor run in a final transition's transaction. */
  hooks: FinalStateHooks;
  ipn(body: string | object, sourceIp?: string, overrides?: Partial<IpnProcessorDeps>): ReturnType<typeof processIpn>;
}

export async function openPayments(target: StoreTarget): Promise<PaymentsFixture> {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  const log = captureLogger();
  const forcedReferences: string[] = [];
  const secrets = [activeSecret];
  const anomalies: Array<[PaymentAnomaly, string]> = [];
  // The fixture's own registry, as a gateway has one: tests install notices on it.
  const hooks = createFinalStateHooks();
  const deps: IpnProcessorDeps = {
    store: isolated.store,
    finalStateHooks: hooks,
    partnerCode: () => partnerCode,
    secrets: async () => [...secrets],
    verifyChecksum: verifyIpnChecksum,
    onAnomaly: (kind, reference) => void anomalies.push([kind, reference]),
    logger: log.logger,
  };
  const fixture: PaymentsFixture = {
    isolated,
    store: isolated.store,
    log,
    payments: createPaymentStore({ store: isolated.store, subjectKey, finalStateHooks: hooks, newReference: () => forcedReferences.shift() ?? newPaymentReference() }),
    hooks,
    forcedReferences,
    secrets,
    anomalies,
    deps,
    ipn: (body, sourceIp = '203.0.113.10', overrides = {}) => {
      const request: IpnRequest = { rawBody: typeof body === 'string' ? body : JSON.stringify(body), sourceIp };
      return processIpn({ ...deps, ...overrides }, request);
    },
  };
  return fixture;
}

/** An IPN for `reference` sealed with slice 1's ipnChecksum (a tampered one: spread changes over the result, after sealing). */
export function sealedIpn(reference: string, fields: Partial<IpnChecksumFields> = {}, secret = activeSecret): Record<string, unknown> {
  const message: IpnChecksumFields = {
    LoaiBanTin: 'IPN',
    MaLoi: '00',
    MaDoiTac: partnerCode,
    MaThamChieu: reference,
    SoTien: '150000',
    MaTienTe: 'VND',
    MaGiaoDich: `PG${reference.slice(-8)}`,
    MaNganHang: 'VCB',
    ThoiGianGD: '20250521143512',
    ThongTinGiaoDich: 'Nộp lệ phí hồ sơ 000.00.01.H22-250521-0001',
    ...fields,
  };
  return { ...message, MaXacThuc: ipnChecksum(message, secret) };
}

export async function ipnRows(store: Store, reference?: string): Promise<Array<{ verdict: string; answer_code: string; payment_reference: string | null; parsed_reference: string | null; secret_index: number | null; raw_body: string }>> {
  const { rows } = await store.query<{ verdict: string; answer_code: string; payment_reference: string | null; parsed_reference: string | null; secret_index: number | null; raw_body: string }>(
    `SELECT verdict, answer_code, payment_reference, parsed_reference, secret_index, raw_body FROM payment_ipns
     ${reference ? 'WHERE parsed_reference = $1' : ''} ORDER BY id`,
    reference ? [reference] : [],
  );
  return rows;
}

export async function transitionsOf(store: Store, reference: string): Promise<Array<{ from_state: string | null; to_state: string; source: string; ipn_id: number | null }>> {
  const { rows } = await store.query<{ from_state: string | null; to_state: string; source: string; ipn_id: number | null }>(
    'SELECT from_state, to_state, source, ipn_id FROM payment_transitions WHERE payment_reference = $1 ORDER BY id',
    [reference],
  );
  return rows;
}
