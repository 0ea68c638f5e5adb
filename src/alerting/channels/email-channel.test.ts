import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki } from '../../connector-kit/test-support/test-pki.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import { createEmailChannel, resolveSmtp, type EmailChannel, type ResolvedSmtp } from './email-channel.js';
import { renderNotice } from './render-notice.js';
import { smtpReply, startSmtpSink } from './test-support/smtp-sink.js';
import { sampleNotice } from './test-support/notices.js';
import { failureOf } from './test-support/failure-of.js';

const password = 'PLANTED-smtp-pässword';
const credentials = { user: 'lgsp-alerts', password };
const from = 'LGSP cảnh báo <lgsp-alerts@province.gov.vn>';
const notice = sampleNotice();

const smtpFor = (port: number, overrides: Partial<ResolvedSmtp> = {}): ResolvedSmtp => ({
  host: '127.0.0.1',
  port,
  secure: false,
  requireTLS: false,
  from,
  connectionTimeoutMs: 3_000,
  ...overrides,
});

describe('e-mail channel against a real SMTP server', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const sink = async (options: Parameters<typeof startSmtpSink>[0]) => {
    const started = await startSmtpSink(options);
    cleanups.push(started.close);
    return started;
  };
  const channel = (smtp: ResolvedSmtp, options?: Parameters<typeof createEmailChannel>[1]): EmailChannel => {
    const created = createEmailChannel(smtp, options);
    cleanups.push(() => created.close());
    return created;
  };

  it('sends a UTF-8 text/plain message with AUTH PLAIN (STARTTLS off): subject and text intact, Message-ID and header from the notification id', async () => {
    const server = await sink({ credentials });
    const email = channel(smtpFor(server.port, { user: credentials.user, password }));
    const result = await email.send(notice, ['ops@province.gov.vn', 'oncall@province.gov.vn'], { consoleUrl: 'https://lgsp.example.gov.vn/console' });
    expect(result).toEqual({ messageId: `<${notice.notificationId}@lgsp-gateway>`, accepted: ['ops@province.gov.vn', 'oncall@province.gov.vn'], rejected: [] });

    expect(server.mails).toHaveLength(1);
    const [mail] = server.mails;
    const expected = renderNotice(notice, { consoleUrl: 'https://lgsp.example.gov.vn/console' });
    expect(mail!.user).toBe('lgsp-alerts');
    expect(mail!.envelope).toEqual({ from: 'lgsp-alerts@province.gov.vn', to: ['ops@province.gov.vn', 'oncall@province.gov.vn'] });
    expect(mail!.parsed.subject).toBe(expected.subject);
    expect(mail!.parsed.subject).toContain('NGHIÊM TRỌNG');
    expect(mail!.parsed.text?.trimEnd()).toBe(expected.text);
    expect(mail!.parsed.text).toContain('Không kết nối được Cơ sở dữ liệu quốc gia về dân cư');
    expect(mail!.parsed.messageId).toBe(`<${notice.notificationId}@lgsp-gateway>`);
    expect(mail!.parsed.headers.get('x-lgsp-notification-id')).toBe(notice.notificationId);
    expect(mail!.parsed.headers.get('content-type')).toMatchObject({ value: 'text/plain', params: { charset: 'utf-8' } });
    expect(mail!.parsed.html).toBe(false);
    expect(mail!.parsed.attachments).toEqual([]);
    expect(mail!.parsed.from?.value).toEqual([{ address: 'lgsp-alerts@province.gov.vn', name: 'LGSP cảnh báo' }]);
    // The raw message is 7-bit safe (encoded words, quoted-printable): no relay mangles the diacritics.
    expect(/[^\x00-\x7f]/.test(mail!.raw.toString('latin1'))).toBe(false);
  });

  it('upgrades with STARTTLS when required (a private CA), and refuses to send in clear text to a server without it', async () => {
    const pki = createTestPki();
    const tlsServer = await sink({ credentials, tls: pki.server });
    const email = channel(smtpFor(tlsServer.port, { requireTLS: true, user: credentials.user, password }), { tls: { ca: pki.ca } });
    await email.send(notice, ['ops@province.gov.vn']);
    expect(tlsServer.mails.map((mail) => mail.secure)).toEqual([true]);

    const plainServer = await sink({ credentials });
    const strict = channel(smtpFor(plainServer.port, { requireTLS: true, user: credentials.user, password }));
    const refused = await failureOf(strict.send(notice, ['ops@province.gov.vn']));
    // smtp-server answers STARTTLS with 500 when it does not offer it: a server that will never do TLS, permanent.
    expect(refused).toBeInstanceOf(PermanentDeliveryError);
    expect(refused).toMatchObject({ kind: 'smtp_500' });
    expect(plainServer.mails).toEqual([]);
    expect(refused.message).not.toContain(password);
  });

  it('a 451 is transient, and the next attempt is delivered', async () => {
    let refusals = 0;
    const server = await sink({ onRecipient: () => (refusals++ === 0 ? smtpReply(451, 'Greylisted, try again later') : undefined) });
    const email = channel(smtpFor(server.port));
    const first = await failureOf(email.send(notice, ['ops@province.gov.vn']));
    expect(first).toBeInstanceOf(TransientDeliveryError);
    expect(first).toMatchObject({ kind: 'smtp_451', message: 'SMTP server refused every recipient (451)' });
    expect(server.mails).toEqual([]);
    const second = await email.send(notice, ['ops@province.gov.vn']);
    expect(second.accepted).toEqual(['ops@province.gov.vn']);
    expect(server.mails).toHaveLength(1);
    // 451 after the data (a full queue): transient too.
    let dataRefusals = 0;
    const queueFull = await sink({ onMessage: () => (dataRefusals++ === 0 ? smtpReply(451, 'Queue full') : undefined) });
    const other = channel(smtpFor(queueFull.port));
    expect(await failureOf(other.send(notice, ['ops@province.gov.vn']))).toMatchObject({ kind: 'smtp_451' });
    await other.send(notice, ['ops@province.gov.vn']);
    expect(queueFull.mails).toHaveLength(1);
  });

  it('every recipient refused (5xx) is permanent; one refused of two is sent and reported; 5xx after the data and a wrong password are permanent', async () => {
    const server = await sink({ onRecipient: (address) => (address.startsWith('gone') ? smtpReply(550, 'No such user gone@province.gov.vn') : undefined) });
    const email = channel(smtpFor(server.port));
    const refused = await failureOf(email.send(notice, ['gone@province.gov.vn', 'gone2@province.gov.vn']));
    expect(refused).toBeInstanceOf(PermanentDeliveryError);
    expect(refused).toMatchObject({ kind: 'smtp_recipients_rejected', message: 'SMTP server refused every recipient (550)' });
    expect(refused.message).not.toContain('province.gov.vn');
    const partly = await email.send(notice, ['gone@province.gov.vn', 'ops@province.gov.vn']);
    expect(partly).toMatchObject({ accepted: ['ops@province.gov.vn'], rejected: ['gone@province.gov.vn'] });
    expect(server.mails.map((mail) => mail.envelope.to)).toEqual([['ops@province.gov.vn']]);

    const spamFilter = await sink({ onMessage: () => smtpReply(554, 'Message refused') });
    expect(await failureOf(channel(smtpFor(spamFilter.port)).send(notice, ['ops@province.gov.vn']))).toMatchObject({ name: 'PermanentDeliveryError', kind: 'smtp_554' });

    const authServer = await sink({ credentials });
    const wrong = await failureOf(channel(smtpFor(authServer.port, { user: 'lgsp-alerts', password: 'wrong-PLANTED' })).send(notice, ['ops@province.gov.vn']));
    expect(wrong).toBeInstanceOf(PermanentDeliveryError);
    expect(wrong.message).not.toContain('PLANTED');
  });

  it('a server that is not there is transient', async () => {
    const server = await sink({});
    const port = server.port;
    await server.close();
    cleanups.pop();
    const error = await failureOf(channel(smtpFor(port)).send(notice, ['ops@province.gov.vn']));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ kind: 'smtp_connection' });
  });
});

describe('resolveSmtp', () => {
  const smtp = { host: 'mail', port: 587, secure: false, requireTLS: true, user: 'u', from: 'a@b.vn', connectionTimeoutMs: 1000 };

  it('resolves the password from a value, the environment or a file, and names the field and reference (never a value) when it cannot', () => {
    expect(resolveSmtp(undefined, {})).toBeUndefined();
    expect(resolveSmtp(smtp, {})).toEqual(smtp);
    expect(resolveSmtp({ ...smtp, password: 'plain' }, {})?.password).toBe('plain');
    expect(resolveSmtp({ ...smtp, password: { fromEnv: 'SMTP_PASSWORD' } }, { SMTP_PASSWORD: password })?.password).toBe(password);
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-smtp-'));
    try {
      writeFileSync(join(dir, 'password'), `${password}\n`);
      expect(resolveSmtp({ ...smtp, password: { fromFile: join(dir, 'password') } }, {})?.password).toBe(password);
      expect(() => resolveSmtp({ ...smtp, password: { fromFile: join(dir, 'absent') } }, {})).toThrow(/alerting\.smtp\.password: cannot read .*absent \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => resolveSmtp({ ...smtp, password: { fromEnv: 'SMTP_PASSWORD' } }, { OTHER: password })).toThrow('alerting.smtp.password: environment variable SMTP_PASSWORD is not set');
  });
});
