import { badge } from '../../components.js';
import { t } from './audit-messages.js';
import type { AuditOutcome } from './audit-types.js';

const kinds: Record<AuditOutcome, 'ok' | 'warn' | 'bad' | 'info'> = {
  success: 'ok',
  not_found: 'info',
  client_error: 'warn',
  denied: 'warn',
  upstream_error: 'bad',
  gateway_error: 'bad',
};

/** An access's outcome as words on a coloured label (the colour is never the only signal). */
export function outcomeBadge(outcome: AuditOutcome): HTMLElement {
  return badge(kinds[outcome] ?? 'info', outcomeLabel(outcome));
}

export function outcomeLabel(outcome: AuditOutcome): string {
  return kinds[outcome] ? t(`outcome.${outcome}`) : outcome;
}
