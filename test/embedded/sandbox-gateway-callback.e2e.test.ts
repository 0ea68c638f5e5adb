import type { ConnectorDescriptor } from '../../src/connector-kit/index.js';
import { paygovConnector } from '../../connectors/paygov/descriptor.js';
import type { PaygovClient } from '../../connectors/paygov/client.js';
import { gatewayIpnPath, type PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import { createSandboxClient } from '../../connectors/paygov/sandbox/test-support.js';
import { testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import { callableUrl } from '../../simulators/embedded/start-embedded.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * The embedded launcher hands each sandbox its section's settings and, once
 * the gateway listens, the gateway's address: the payment platform's sandbox
 * then sends its IPNs to the gateway's /callbacks/paygov/ipn, unless the
 * section configures a callbackUrl. Mounted here as a test-only copy of the
 * paygov connector without operations or payments: the launcher's part alone,
 * on a stack without the payments (test/e2e/payments-suite.ts covers the IPN
 * route that answers these callbacks in the full stack).
 */
const platformCopy: ConnectorDescriptor<unknown> = {
  ...(paygovConnector as ConnectorDescriptor<unknown>),
  id: 'payment-platform-copy',
  title: 'Payment platform sandbox (test copy)',
  operations: [],
  payments: undefined,
  sandbox: { ...paygovConnector.sandbox!, port: 0 },
};

const sandboxOf = (harness: Harness) => harness.stack.sandboxes[platformCopy.id] as unknown as PaygovSandbox;

let sequence = 0;
async function paidThroughSandbox(sandbox: PaygovSandbox): Promise<void> {
  const client: PaygovClient = await createSandboxClient(sandbox.baseUrl);
  try {
    const reference = `LGSPCB${String(++sequence).padStart(6, '0')}`;
    await client.init(
      { reference, dossierCode: '000.00.01.H22-250715-0001', procedureCode: '1.001193.000.00.00.H56', agencyCode: '000.00.01.H22', payerName: 'Phạm Văn Đức', feeItems: [{ code: 'LP01', name: 'Lệ phí', amount: 8_000 }], createdAt: new Date() },
      testInvocation(),
    );
    expect(sandbox.pay(reference)).toBe(true);
    await sandbox.idle();
  } finally {
    await client.close();
  }
}

describe('embedded launcher: a sandbox that calls the gateway back', () => {
  describe('without a configured callbackUrl', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ store: 'pglite', connectors: [platformCopy] });
    }, 90_000);
    afterAll(async () => {
      await harness?.close();
    });

    it('sends the IPNs to the gateway it was told about once the gateway listened', async () => {
      const sandbox = sandboxOf(harness);
      expect(sandbox.ipnUrl).toBe(`${harness.stack.gateway.url}${gatewayIpnPath}`);
      await paidThroughSandbox(sandbox);
      // The IPN reached this gateway's listener: with no payments mounted for the copy, its answer is the gateway's own 404.
      const delivery = sandbox.deliveries.at(-1)!;
      expect(delivery.attempts[0]).toMatchObject({ status: 404 });
      expect(delivery.attempts[0]!.error).toBeUndefined();
    });
  });

  describe("with the section's callbackUrl", () => {
    let harness: Harness;
    const callbackUrl = 'http://127.0.0.1:9/province/paygov/ipn';
    beforeAll(async () => {
      harness = await startHarness({ store: 'pglite', connectors: [platformCopy], overrides: { connectors: { [platformCopy.id]: { settings: { callbackUrl } } } } });
    }, 90_000);
    afterAll(async () => {
      await harness?.close();
    });

    it('gets its settings at start and keeps the configured callback after the gateway listens', () => {
      expect(harness.stack.config.connectors[platformCopy.id]!.settings).toMatchObject({ callbackUrl });
      expect(sandboxOf(harness).ipnUrl).toBe(callbackUrl);
    });
  });
});

describe('callableUrl', () => {
  it('calls a wildcard listener on loopback and leaves any other address alone', () => {
    expect(callableUrl('http://0.0.0.0:8080')).toBe('http://127.0.0.1:8080');
    expect(callableUrl('http://[::]:8080')).toBe('http://[::1]:8080');
    expect(callableUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(callableUrl('http://gateway.internal:8080')).toBe('http://gateway.internal:8080');
  });
});
