import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dossierSyncTarget } from '../../connectors/public-service-portal/dossier-delivery.js';
import { ContractRegistry } from '../contracts/contract-registry.js';
import { fromProjectRoot } from '../paths.js';
import { groupThousands, paymentProgressStep, portalDossierTarget, resolvePaymentNoticeSecret } from './payment-notice.js';

describe('payment notices (pure parts)', () => {
  it('names the portal connector\'s dossier sync target exactly', () => {
    expect(portalDossierTarget).toBe(dossierSyncTarget);
  });

  it('writes amounts the Vietnamese way', () => {
    expect([0, 8, 800, 8_000, 150_000, 1_234_567, 12_000_000].map(groupThousands)).toEqual(['0', '8', '800', '8.000', '150.000', '1.234.567', '12.000.000']);
  });

  it('builds steps the portal\'s progress contract accepts, for every final state', () => {
    const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
    const validate = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/dossier-progress.json');
    const payment = { reference: 'LGSP250521000001', totalAmount: 8_000, currency: 'VND', finalAt: new Date('2025-05-21T07:35:12Z'), updatedAt: new Date('2025-05-21T07:35:12Z') };
    for (const state of ['paid', 'failed', 'expired', 'cancelled'] as const) {
      const step = paymentProgressStep(payment, state, 'awaiting_payment');
      expect(validate(step)).toBe(true);
      expect(step.status).toBe(state === 'paid' ? 'processing' : 'awaiting_payment');
      expect(step.content).toContain('8.000 đồng');
      expect(step.content).toContain('mã tham chiếu LGSP250521000001');
    }
    expect(paymentProgressStep(payment, 'paid', 'awaiting_payment').content).toBe('Đã thanh toán trực tuyến phí, lệ phí 8.000 đồng (mã tham chiếu LGSP250521000001).');
  });

  it('resolves the webhook secret from a value, the environment or a file, and refuses a url without one', () => {
    const url = 'https://one-stop.example/hooks';
    expect(resolvePaymentNoticeSecret({ secret: 'ignored without url' })).toBeUndefined();
    expect(resolvePaymentNoticeSecret({ url, secret: 'in-file' })).toBe('in-file');
    expect(resolvePaymentNoticeSecret({ url, secret: { fromEnv: 'NOTICE_KEY' } }, { NOTICE_KEY: 'from-env' })).toBe('from-env');
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-notice-secret-'));
    try {
      writeFileSync(join(dir, 'key'), 'from-file\n');
      expect(resolvePaymentNoticeSecret({ url, secret: { fromFile: join(dir, 'key') } })).toBe('from-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => resolvePaymentNoticeSecret({ url })).toThrow(/payments\.notifications\.secret: required with payments\.notifications\.url/);
    expect(() => resolvePaymentNoticeSecret({ url, secret: { fromEnv: 'MISSING_KEY' } }, {})).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('MISSING_KEY') }));
  });
});
