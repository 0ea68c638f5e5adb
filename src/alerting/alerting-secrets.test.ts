import { resolveAlertingSecrets } from './alerting-service.js';
import type { AlertingConfig } from '../config/gateway-config.js';

const alerting = (receivers: AlertingConfig['receivers'], smtp?: AlertingConfig['smtp']) => ({ receivers, ...(smtp && { smtp }) }) as unknown as AlertingConfig;

describe('the alerting channel’s secrets, resolved at start', () => {
  it('resolves receiver secrets and the SMTP password from values and references', () => {
    const resolved = resolveAlertingSecrets(
      alerting(
        [{ id: 'hook', kind: 'webhook', settings: { url: 'https://x.example' }, secrets: { secret: { fromEnv: 'HOOK_SECRET' } } }],
        { host: 'mail', port: 587, secure: false, requireTLS: false, from: 'a@b.c', password: { fromEnv: 'SMTP_PASSWORD' }, connectionTimeoutMs: 1000 },
      ),
      { HOOK_SECRET: 'hook-secret-value', SMTP_PASSWORD: 'smtp-secret-value' },
    );
    expect(resolved.receivers.get('hook')).toEqual({ secret: 'hook-secret-value' });
    expect(resolved.smtp?.password).toBe('smtp-secret-value');
  });

  it('a missing variable fails naming the key and the variable, never a value', () => {
    const start = () =>
      resolveAlertingSecrets(alerting([{ id: 'on-call', kind: 'telegram', settings: { chatId: '1' }, secrets: { botToken: { fromEnv: 'LGSP_MISSING_TOKEN' } } }]), { OTHER: 'unrelated-value' });
    expect(start).toThrow(/alerting\.receivers\.on-call\.secrets\.botToken.*LGSP_MISSING_TOKEN/);
    expect(() => resolveAlertingSecrets(alerting([], { host: 'mail', port: 587, secure: false, requireTLS: false, from: 'a@b.c', password: { fromFile: '/nonexistent/smtp' }, connectionTimeoutMs: 1000 }), {})).toThrow(
      /alerting\.smtp\.password/,
    );
  });
});
