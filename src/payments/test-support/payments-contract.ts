import { readFileSync } from 'node:fs';
import { connectorFile } from '../../connector-kit/connector-files.js';
import { ProblemError } from '../../errors/index.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { canonicalName } from '../payment-store.js';
import { addressMatcher } from '../../connector-kit/upstream-address-guard.js';
import {
  activeSecret, ipnRows, openPayments, payerName, paymentInput, previousSecret, sealedIpn, transitionsOf, type PaymentsFixture,
} from './payments-harness.js';

/**
 * The hand-computed IPN of connectors/paygov/fixtures/ipn-hand-vector.json, byte for byte
 * (its checksums were computed with sha256sum from REFERENCE.md's formula, not
 * by our code): a payment whose reference is LGSP250521000001 and total
 * 150000 VND must accept it as is.
 */
const handVector = JSON.parse(readFileSync(connectorFile('paygov', 'fixtures', 'ipn-hand-vector.json'), 'utf8')) as { message: Record<string, string>; sealedWithPreviousSecret: string };
const handVectorIpn = handVector.message;
/** The same message sealed by hand with the previous secret. */
const handVectorPreviousSecret = handVector.sealedWithPreviousSecret;

/** Behaviour every store driver must show. `concurrentIpns` duplicate IPNs race on `connections` handles. */
export function describePaymentsContract(storeTarget: StoreTarget, scale: { concurrentIpns: number; connections: number }): void {
  afterAll(() => storeTarget.dispose());
  const open = () => openPayments(storeTarget);
  const consumer = { consumerId: 'one-stop-h22', idempotencyKey: 'key-1' };
  const createPaid = async (fixture: PaymentsFixture, key: string) => {
    const { payment } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: key });
    await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: 'https://pay.example/x' }, 'init');
    expect((await fixture.ipn(sealedIpn(payment.reference))).verdict).toBe('applied');
    return payment.reference;
  };

  describe(`${storeTarget.driver} payments: create`, () => {
    it('creates a payment with its items, total, first history line and audit record; the payer only hashed and masked', async () => {
      const fixture = await open();
      const { created, payment } = await fixture.payments.create(paymentInput(), consumer);
      expect(created).toBe(true);
      expect(payment.reference).toMatch(/^[A-Z0-9]{1,20}$/);
      expect(payment).toMatchObject({
        consumerId: 'one-stop-h22', state: 'created', totalAmount: 150_000, currency: 'VND', dossierCode: '000.00.01.H22-250521-0001',
        items: [{ code: 'LP01', amount: 100_000, kind: 'charge' }, { code: 'P02', amount: 50_000, kind: 'fee' }],
        history: [{ from: null, to: 'created', source: 'create', actor: 'one-stop-h22' }],
      });
      expect(payment.payer.masked).toBe('NGU***************ỌC');
      expect(payment.payer.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(payment.expiresAt.getTime()).toBeGreaterThan(payment.createdAt.getTime());
      expect(await fixture.payments.get(payment.reference)).toEqual(payment);
      expect(await fixture.payments.get('NOSUCHREF')).toBeUndefined();
    });

    it('is idempotent: the same key and content give the same payment, also when sent at once; other content under the key is a 422', async () => {
      const fixture = await open();
      const first = await fixture.payments.create(paymentInput(), consumer);
      const again = await fixture.payments.create(paymentInput(), consumer);
      expect(again).toEqual({ created: false, payment: first.payment });

      const racing = await Promise.all(Array.from({ length: 8 }, () => fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'key-race' })));
      expect(new Set(racing.map((result) => result.payment.reference)).size).toBe(1);
      expect(racing.filter((result) => result.created)).toHaveLength(1);

      const other = fixture.payments.create(paymentInput({ items: [{ code: 'LP01', name: 'Lệ phí', amount: 100_001 }] }), consumer);
      await expect(other).rejects.toMatchObject({ code: 'LGSP_IDEMPOTENCY_KEY_REUSED', status: 422 });
      // Another consumer's identical key is another payment.
      const elsewhere = await fixture.payments.create(paymentInput(), { consumerId: 'other-consumer', idempotencyKey: 'key-1' });
      expect(elsewhere.created).toBe(true);
      expect(elsewhere.payment.reference).not.toBe(first.payment.reference);
      const { rows } = await fixture.store.query<{ n: number }>('SELECT count(*)::integer AS n FROM payments');
      expect(rows[0]!.n).toBe(3);
    });

    it.each([
      ['a zero amount', { items: [{ code: 'A', name: 'a', amount: 0 }] }, 'items[0].amount'],
      ['a negative amount', { items: [{ code: 'A', name: 'a', amount: -5 }] }, 'items[0].amount'],
      ['a fractional amount', { items: [{ code: 'A', name: 'a', amount: 1.5 }] }, 'items[0].amount'],
      ['an amount as text', { items: [{ code: 'A', name: 'a', amount: '150.000' as unknown as number }] }, 'items[0].amount'],
      ['a total beyond safe integers', { items: [{ code: 'A', name: 'a', amount: Number.MAX_SAFE_INTEGER }, { code: 'B', name: 'b', amount: 1 }] }, 'items'],
      ['no items', { items: [] }, 'items'],
      ['no payer', { payerName: '  ' }, 'payerName'],
      ['no dossier', { dossierCode: '' }, 'dossierCode'],
    ])('refuses %s naming the field, never echoing the payer, storing nothing', async (_what, change, field) => {
      const fixture = await open();
      const error = await fixture.payments.create(paymentInput(change), consumer).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProblemError);
      expect(error).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', status: 400 });
      expect((error as ProblemError).options.errors?.map((entry) => entry.field)).toContain(field);
      expect(JSON.stringify((error as ProblemError).toProblem())).not.toContain('Nguy');
      expect((await fixture.store.query('SELECT 1 FROM payments')).rowCount).toBe(0);
    });

    it('requires an Idempotency-Key', async () => {
      const fixture = await open();
      await expect(fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: '' })).rejects.toMatchObject({ code: 'LGSP_VALIDATION_FAILED' });
    });

    it('retries a reference that is already taken', async () => {
      const fixture = await open();
      fixture.forcedReferences.push('PGTAKEN1', 'PGTAKEN1', 'PGTAKEN1', 'PGFRESH2');
      expect((await fixture.payments.create(paymentInput(), consumer)).payment.reference).toBe('PGTAKEN1');
      expect((await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'key-2' })).payment.reference).toBe('PGFRESH2');
    });

    it('keeps no payer name in clear anywhere at rest: payments, history, audit trail', async () => {
      const fixture = await open();
      const reference = await createPaid(fixture, 'key-at-rest');
      await fixture.ipn(sealedIpn(reference, { MaLoi: '01' }));
      const dump = await fixture.store.query<{ t: string }>(
        `SELECT (SELECT coalesce(string_agg(p::text, ' '), '') FROM payments p) || (SELECT coalesce(string_agg(i::text, ' '), '') FROM payment_items i)
           || (SELECT coalesce(string_agg(t::text, ' '), '') FROM payment_transitions t) || (SELECT coalesce(string_agg(a::text, ' '), '') FROM admin_audit_log a) AS t`,
      );
      const text = dump.rows[0]!.t;
      expect(text).toContain(reference);
      for (const form of [payerName, canonicalName(payerName), 'Bích', 'BÍCH', 'Ngọc', 'NGỌC']) expect(text).not.toContain(form);
      expect(fixture.log.text()).not.toContain('Bích');
    });
  });

  describe(`${storeTarget.driver} payments: transitions and audit`, () => {
    it('moves created → pending on the INIT answer, audits each transition with states, amounts and the payer hashed', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      const init = await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: 'https://pay.example/p/1', platformTransactionId: 'T-INIT' }, 'init');
      expect(init.decision).toEqual({ kind: 'apply', to: 'pending' });
      expect(init.payment).toMatchObject({ state: 'pending', paymentUrl: 'https://pay.example/p/1', platformTransactionId: 'T-INIT' });
      // The INIT answer again changes nothing.
      expect((await fixture.payments.applyOutcome(payment.reference, { state: 'pending' }, 'init')).decision).toEqual({ kind: 'replay' });

      const { rows } = await fixture.store.query<{ actor: string; action: string; before: Record<string, unknown> | null; after: Record<string, unknown> }>(
        "SELECT actor, action, before, after FROM admin_audit_log WHERE resource_type = 'payment' AND resource_id = $1 ORDER BY id",
        [payment.reference],
      );
      expect(rows).toEqual([
        expect.objectContaining({ action: 'create', actor: 'one-stop-h22', before: null, after: expect.objectContaining({ state: 'created', totalAmount: 150_000, payer: payment.payer }) }),
        expect.objectContaining({
          action: 'update',
          actor: 'one-stop-h22',
          before: expect.objectContaining({ state: 'created', totalAmount: 150_000, currency: 'VND', payer: payment.payer }),
          after: expect.objectContaining({ state: 'pending', source: 'init', platformTransactionId: 'T-INIT' }),
        }),
      ]);
    });

    it('answers an unknown reference with LGSP_NOT_FOUND and needs an actor for a manual change', async () => {
      const fixture = await open();
      await expect(fixture.payments.applyOutcome('NOSUCH', { state: 'paid' }, 'query')).rejects.toMatchObject({ code: 'LGSP_NOT_FOUND' });
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      await expect(fixture.payments.applyOutcome(payment.reference, { state: 'cancelled' }, 'manual')).rejects.toThrow(/actor/);
      const cancelled = await fixture.payments.applyOutcome(payment.reference, { state: 'cancelled', note: 'payer withdrew' }, 'manual', { actor: 'operator-7' });
      expect(cancelled.payment).toMatchObject({ state: 'cancelled', finalAt: expect.any(Date) });
      expect(cancelled.payment.history.at(-1)).toMatchObject({ from: 'created', to: 'cancelled', source: 'manual', actor: 'operator-7', note: 'payer withdrew' });
    });

    it('the database itself refuses a second final transition or leaving a final state without final_at', async () => {
      const fixture = await open();
      const reference = await createPaid(fixture, 'key-db');
      await expect(
        fixture.store.query("INSERT INTO payment_transitions (payment_reference, from_state, to_state, source, actor) VALUES ($1, 'pending', 'failed', 'query', 'x')", [reference]),
      ).rejects.toThrow();
      await expect(fixture.store.query("UPDATE payments SET final_at = NULL WHERE reference = $1", [reference])).rejects.toThrow();
      await expect(fixture.store.query("UPDATE payments SET reference = 'lower-case' WHERE reference = $1", [reference])).rejects.toThrow();
    });
  });

  describe(`${storeTarget.driver} payments: IPN`, () => {
    it('accepts the hand-computed IPN vector, applies it once, stores it with its verdict and links the transition to it', async () => {
      const fixture = await open();
      fixture.forcedReferences.push('LGSP250521000001');
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      await fixture.payments.applyOutcome(payment.reference, { state: 'pending' }, 'init');
      const result = await fixture.ipn(JSON.stringify(handVectorIpn));
      expect(result).toMatchObject({ verdict: 'applied', answer: { MaLoi: '00' }, reference: 'LGSP250521000001' });
      const paid = (await fixture.payments.get('LGSP250521000001'))!;
      expect(paid).toMatchObject({ state: 'paid', platformTransactionId: 'PG20250521000123', bankCode: 'VCB', finalAt: expect.any(Date) });
      expect(paid.platformPaidAt?.toISOString()).toBe('2025-05-21T07:35:12.000Z');
      expect(paid.history.at(-1)).toMatchObject({ from: 'pending', to: 'paid', source: 'ipn', actor: 'paygov-ipn', ipnId: result.ipnId });
      expect(await ipnRows(fixture.store)).toEqual([
        expect.objectContaining({ verdict: 'applied', answer_code: '00', payment_reference: 'LGSP250521000001', secret_index: 0, raw_body: JSON.stringify(handVectorIpn) }),
      ]);
      // The IPN sealed by hand with the previous secret: valid only while that secret is configured.
      const sealedWithPrevious = JSON.stringify({ ...handVectorIpn, MaXacThuc: handVectorPreviousSecret });
      expect((await fixture.ipn(sealedWithPrevious)).verdict).toBe('refused_checksum');
      fixture.secrets.push(previousSecret);
      expect((await fixture.ipn(sealedWithPrevious)).verdict).toBe('replay');
    });

    it('an IPN before the INIT answer (payment still created) is applied, and the late INIT answer does not undo it', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      expect((await fixture.ipn(sealedIpn(payment.reference))).verdict).toBe('applied');
      const late = await fixture.payments.applyOutcome(payment.reference, { state: 'pending', paymentUrl: 'https://pay.example/late' }, 'init');
      expect(late.decision).toEqual({ kind: 'stale' });
      expect(late.payment.state).toBe('paid');
      expect((await transitionsOf(fixture.store, payment.reference)).map((line) => line.to_state)).toEqual(['created', 'paid']);
    });

    it('a duplicate IPN is acknowledged without applying twice; both are stored', async () => {
      const fixture = await open();
      const reference = await createPaid(fixture, 'key-dup');
      const again = await fixture.ipn(sealedIpn(reference));
      expect(again).toMatchObject({ verdict: 'replay', answer: { MaLoi: '00' } });
      expect((await transitionsOf(fixture.store, reference)).map((line) => line.to_state)).toEqual(['created', 'pending', 'paid']);
      expect((await ipnRows(fixture.store, reference)).map((row) => row.verdict)).toEqual(['applied', 'replay']);
      expect(fixture.anomalies).toEqual([]);
    });

    it('refuses a wrong checksum (another secret, a field changed after sealing, upper case, none) and stores each', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      const good = sealedIpn(payment.reference);
      const forged = [
        sealedIpn(payment.reference, {}, 'not-the-secret'),
        { ...good, MaGiaoDich: 'PGOTHER' },
        { ...good, MaLoi: '00 ' },
        { ...good, MaXacThuc: String(good.MaXacThuc).toUpperCase() },
        { ...good, MaXacThuc: '' },
      ];
      for (const body of forged) expect(await fixture.ipn(body)).toMatchObject({ verdict: 'refused_checksum', answer: { MaLoi: '01' } });
      // And one with no checksum at all: malformed before any checksum is computed.
      expect((await fixture.ipn({ ...good, MaXacThuc: undefined })).verdict).toBe('refused_malformed');
      expect((await fixture.payments.get(payment.reference))!.state).toBe('created');
      expect((await ipnRows(fixture.store, payment.reference)).map((row) => row.verdict)).toEqual([...forged.map(() => 'refused_checksum'), 'refused_malformed']);
      expect((await ipnRows(fixture.store, payment.reference)).every((row) => row.payment_reference === null)).toBe(true);
    });

    it('refuses a correctly sealed IPN whose amount or currency differs from what we created, and raises an anomaly', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      expect(await fixture.ipn(sealedIpn(payment.reference, { SoTien: '1500' }))).toMatchObject({ verdict: 'refused_amount', answer: { MaLoi: '02' } });
      expect(await fixture.ipn(sealedIpn(payment.reference, { SoTien: '150001' }))).toMatchObject({ verdict: 'refused_amount' });
      expect(await fixture.ipn(sealedIpn(payment.reference, { MaTienTe: 'USD' }))).toMatchObject({ verdict: 'refused_currency', answer: { MaLoi: '02' } });
      expect((await fixture.payments.get(payment.reference))!.state).toBe('created');
      expect(fixture.anomalies).toEqual([['amount_mismatch', payment.reference], ['amount_mismatch', payment.reference], ['currency_mismatch', payment.reference]]);
      expect((await ipnRows(fixture.store, payment.reference)).map((row) => [row.verdict, row.payment_reference])).toEqual([
        ['refused_amount', payment.reference], ['refused_amount', payment.reference], ['refused_currency', payment.reference],
      ]);
    });

    it('refuses an unknown reference, another partner code and a malformed body, storing each raw', async () => {
      const fixture = await open();
      expect(await fixture.ipn(sealedIpn('PGNOSUCHPAYMENT1'))).toMatchObject({ verdict: 'refused_unknown', answer: { MaLoi: '04' } });
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      expect(await fixture.ipn(sealedIpn(payment.reference, { MaDoiTac: 'SOMEONE-ELSE' }))).toMatchObject({ verdict: 'refused_partner', answer: { MaLoi: '03' } });
      const malformed = ['{not json', '[]', JSON.stringify({ ...sealedIpn(payment.reference), SoTien: '150.000' }), 'x'.repeat(20_000), '{"a":"\u0000"}'];
      for (const body of malformed) expect(await fixture.ipn(body)).toMatchObject({ verdict: 'refused_malformed', answer: { MaLoi: '02' } });
      expect(await fixture.ipn(Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).toMatchObject({ verdict: 'refused_malformed' });
      const rows = await ipnRows(fixture.store);
      expect(rows.map((row) => row.verdict)).toEqual(['refused_unknown', 'refused_partner', ...malformed.map(() => 'refused_malformed'), 'refused_malformed']);
      expect(rows[0]).toMatchObject({ parsed_reference: 'PGNOSUCHPAYMENT1', payment_reference: null });
      expect(rows[5]).toMatchObject({ raw_body: 'x'.repeat(16 * 1024) }); // bounded
      expect(rows[6]!.raw_body).toBe('{"a":"\uFFFD"}');
      expect((await fixture.payments.get(payment.reference))!.state).toBe('created');
    });

    it('an IPN "paid" for an expired or a cancelled payment is recorded, not applied, and alerted', async () => {
      const fixture = await open();
      const { payment: expiring } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'key-exp' });
      await fixture.payments.applyOutcome(expiring.reference, { state: 'expired' }, 'expiry');
      const { payment: cancelling } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'key-can' });
      expect((await fixture.ipn(sealedIpn(cancelling.reference, { MaLoi: '02' }))).verdict).toBe('applied');
      expect((await fixture.payments.get(cancelling.reference))!.state).toBe('cancelled');

      for (const reference of [expiring.reference, cancelling.reference]) {
        expect(await fixture.ipn(sealedIpn(reference))).toMatchObject({ verdict: 'recorded_after_final', answer: { MaLoi: '00' } });
      }
      expect((await fixture.payments.get(expiring.reference))!.state).toBe('expired');
      expect((await fixture.payments.get(cancelling.reference))!.state).toBe('cancelled');
      expect(fixture.anomalies).toEqual([['paid_after_closed', expiring.reference], ['paid_after_closed', cancelling.reference]]);
      // A repeated cancel is a replay, a failure after the cancel only evidence.
      expect((await fixture.ipn(sealedIpn(cancelling.reference, { MaLoi: '02' }))).verdict).toBe('replay');
      expect((await fixture.ipn(sealedIpn(cancelling.reference, { MaLoi: '01' }))).verdict).toBe('recorded_after_final');
      expect(fixture.anomalies).toHaveLength(2);
    });

    it('a late "failed" after "paid" is recorded and alerted, never applied; a second payment id too', async () => {
      const fixture = await open();
      const reference = await createPaid(fixture, 'key-late');
      expect(await fixture.ipn(sealedIpn(reference, { MaLoi: '01' }))).toMatchObject({ verdict: 'ignored_late', answer: { MaLoi: '00' } });
      expect(await fixture.ipn(sealedIpn(reference, { MaGiaoDich: 'PGANOTHERPAYMENT' }))).toMatchObject({ verdict: 'recorded_after_final' });
      const payment = (await fixture.payments.get(reference))!;
      expect(payment.state).toBe('paid');
      expect(payment.history.map((line) => line.to)).toEqual(['created', 'pending', 'paid']);
      expect(fixture.anomalies).toEqual([['late_failure_after_paid', reference], ['second_payment', reference]]);
      // The reconciliation's "failed" cannot undo it either.
      expect((await fixture.payments.applyOutcome(reference, { state: 'failed' }, 'query')).decision).toEqual({ kind: 'record_only', anomaly: 'late_failure_after_paid' });
    });

    it('secret rotation: both secrets valid inside the overlap, the previous one refused after it', async () => {
      const fixture = await open();
      const newSecret = 'n3w-s3cr3t-after-rotation';
      fixture.secrets.splice(0, fixture.secrets.length, newSecret, activeSecret);
      const { payment: a } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'rot-a' });
      const { payment: b } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'rot-b' });
      const { payment: c } = await fixture.payments.create(paymentInput(), { ...consumer, idempotencyKey: 'rot-c' });
      expect((await fixture.ipn(sealedIpn(a.reference, {}, newSecret))).verdict).toBe('applied');
      expect((await fixture.ipn(sealedIpn(b.reference, {}, activeSecret))).verdict).toBe('applied');
      fixture.secrets.splice(1); // the overlap ends
      expect((await fixture.ipn(sealedIpn(c.reference, {}, activeSecret))).verdict).toBe('refused_checksum');
      expect((await fixture.ipn(sealedIpn(c.reference, {}, newSecret))).verdict).toBe('applied');
      const { rows } = await fixture.store.query<{ parsed_reference: string; secret_index: number | null }>('SELECT parsed_reference, secret_index FROM payment_ipns ORDER BY id');
      expect(rows.map((row) => row.secret_index)).toEqual([0, 1, null, 0]);
    });

    it('no secret configured (or only an empty one) accepts nothing', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      fixture.secrets.splice(0, fixture.secrets.length, '');
      expect((await fixture.ipn(sealedIpn(payment.reference, {}, ''))).verdict).toBe('refused_checksum');
      expect((await fixture.ipn(sealedIpn(payment.reference), '203.0.113.10', { secrets: async () => [] })).verdict).toBe('refused_checksum');
    });

    it('with a source allowlist, refuses other addresses (stored) and accepts listed ones, IPv4-mapped included', async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      // A malformed entry is refused when the list is built (the gateway's start), never left to allow nothing.
      expect(() => addressMatcher(['10.0.0.0/8', 'not-an-address'], 'payments.ipn.allowedSources')).toThrow(/payments\.ipn\.allowedSources: 'not-an-address'/);
      const allow = { sourceAllowed: addressMatcher(['10.0.0.0/8', '2001:db8::1'], 'payments.ipn.allowedSources') };
      expect(await fixture.ipn(sealedIpn(payment.reference), '203.0.113.5', allow)).toMatchObject({ verdict: 'refused_source_ip', answer: { MaLoi: '01' } });
      expect(await fixture.ipn(sealedIpn(payment.reference), 'garbage', allow)).toMatchObject({ verdict: 'refused_source_ip' });
      expect((await fixture.payments.get(payment.reference))!.state).toBe('created');
      expect((await fixture.ipn(sealedIpn(payment.reference), '::ffff:10.1.2.3', allow)).verdict).toBe('applied');
      expect((await fixture.ipn(sealedIpn(payment.reference), '2001:db8::1', allow)).verdict).toBe('replay');
      expect((await ipnRows(fixture.store, payment.reference)).map((row) => row.verdict)).toEqual(['refused_source_ip', 'refused_source_ip', 'applied', 'replay']);
    });

    it('no secret, partner secret or payer name in any log line; an anomaly hook that throws changes nothing', async () => {
      const fixture = await open();
      const reference = await createPaid(fixture, 'key-logs');
      const late = await fixture.ipn(sealedIpn(reference, { MaLoi: '01' }), '203.0.113.10', { onAnomaly: () => Promise.reject(new Error('alerting down')) });
      expect(late.verdict).toBe('ignored_late');
      await fixture.ipn(sealedIpn(reference, {}, 'wrong'));
      const text = fixture.log.text();
      expect(text).toContain('paygov IPN');
      for (const secret of [activeSecret, previousSecret, 'Bích', String(sealedIpn(reference).MaXacThuc)]) expect(text).not.toContain(secret);
    });

    it(`${scale.concurrentIpns} concurrent duplicate IPNs on ${scale.connections} connections: exactly one transition, one audit update, every IPN stored`, async () => {
      const fixture = await open();
      const { payment } = await fixture.payments.create(paymentInput(), consumer);
      await fixture.payments.applyOutcome(payment.reference, { state: 'pending' }, 'init');
      const stores = [fixture.store, ...(await Promise.all(Array.from({ length: scale.connections - 1 }, () => fixture.isolated.openAnother())))];
      const body = sealedIpn(payment.reference);
      const results = await Promise.all(
        Array.from({ length: scale.concurrentIpns }, (_, n) => fixture.ipn(body, '203.0.113.10', { store: stores[n % stores.length]! })),
      );
      expect(results.filter((result) => result.verdict === 'applied')).toHaveLength(1);
      expect(results.filter((result) => result.verdict === 'replay')).toHaveLength(scale.concurrentIpns - 1);
      expect(results.every((result) => result.answer.MaLoi === '00')).toBe(true);
      expect((await transitionsOf(fixture.store, payment.reference)).filter((line) => line.to_state === 'paid')).toHaveLength(1);
      expect(await ipnRows(fixture.store, payment.reference)).toHaveLength(scale.concurrentIpns);
      const audit = await fixture.store.query<{ n: number }>(
        "SELECT count(*)::integer AS n FROM admin_audit_log WHERE resource_type = 'payment' AND resource_id = $1 AND after->>'state' = 'paid'",
        [payment.reference],
      );
      expect(audit.rows[0]!.n).toBe(1);
    }, 60_000);
  });
}

