import { api } from '../../api.js';
import { badge, button, problemNotice } from '../../components.js';
import { h, replaceChildren, uniqueId, type Child } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import { t } from './audit-messages.js';
import type { ChainStream, ChainVerificationReport } from './audit-types.js';

const streams: readonly ChainStream[] = ['data_access', 'admin'];

/**
 * The hash chains' state at the top of the page (GET /audit/verification,
 * one walk per stream): intact or broken, where and why, the newest signed
 * checkpoint. Each walk is itself recorded in the admin stream.
 */
export function chainStatus(signal: AbortSignal): HTMLElement {
  const headingId = uniqueId('chain-title');
  const tiles = h('div', { class: 'grid audit-chain-tiles' });
  const verifiedAt = h('p', { class: 'hint audit-chain-time', role: 'status' });
  const again = button(t('chainVerifyAgain'), () => void verify());

  async function verify(): Promise<void> {
    again.disabled = true;
    const slots = streams.map((stream) => h('article', { class: 'tile tile-off', 'aria-busy': 'true' }, h('h3', null, t(`stream.${stream}`)), h('p', null, badge('off', t('chainChecking')))));
    replaceChildren(tiles, ...slots);
    await Promise.all(
      streams.map(async (stream, index) => {
        try {
          const report = await api.get<ChainVerificationReport>('/audit/verification', { stream }, signal);
          slots[index]!.replaceWith(streamTile(report));
        } catch (error) {
          if (signal.aborted) return;
          slots[index]!.replaceWith(h('article', { class: 'tile tile-warn' }, h('h3', null, t(`stream.${stream}`)), problemNotice(error)));
        }
      }),
    );
    if (signal.aborted) return;
    verifiedAt.textContent = t('chainVerifiedAt', { time: formatDateTime(new Date()) });
    again.disabled = false;
  }

  void verify();
  return h(
    'section',
    { class: 'section audit-chain', 'aria-labelledby': headingId },
    h('div', { class: 'audit-chain-head' }, h('div', null, h('h2', { id: headingId }, t('chainTitle')), h('p', { class: 'hint' }, t('chainLead'))), h('div', { class: 'audit-chain-actions' }, verifiedAt, again)),
    tiles,
  );
}

function streamTile(report: ChainVerificationReport): HTMLElement {
  const { checkpoints } = report;
  const rows: Array<[string, Child]> = [
    [t('chainChecked'), t('chainRange', { checked: formatNumber(report.checked), from: report.from, to: report.to })],
    [t('chainHead'), String(report.head.seq)],
    [t('chainNewestCheckpoint'), checkpoints.newestSeq === null ? t('chainNoCheckpoint') : t('chainCheckpointAt', { seq: checkpoints.newestSeq })],
    [t('chainCheckpoints'), t('chainCheckpointCount', { valid: checkpoints.valid, checked: checkpoints.checked, timestamped: checkpoints.timestamped })],
  ];
  if (report.firstBroken) rows.push([t('chainFirstBroken'), t('chainAt', { seq: report.firstBroken.seq, reason: t(`break.${report.firstBroken.reason}`) })]);
  if (checkpoints.firstInvalid) rows.push([t('chainFirstInvalidCheckpoint'), t('chainAt', { seq: checkpoints.firstInvalid.seq, reason: t(`checkpoint.${checkpoints.firstInvalid.reason}`) })]);
  if (report.unchained > 0) rows.push([t('chainUnchained'), formatNumber(report.unchained)]);
  return h(
    'article',
    { class: `tile ${report.ok ? 'tile-ok' : 'tile-bad'}`, 'data-stream': report.stream },
    h('h3', null, t(`stream.${report.stream}`)),
    h('p', null, badge(report.ok ? 'ok' : 'bad', report.ok ? t('chainOk') : t('chainBroken'))),
    h('dl', null, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)])),
  );
}
