import { api } from '../api.js';
import { pageHeader, problemNotice } from '../components.js';
import { connectorName } from '../connector-names.js';
import { h, replaceChildren, useStylesheet } from '../dom.js';
import { defineMessages, formatDuration, formatTime } from '../i18n.js';
import { every } from './alerts/page-timer.js';
import { firingAlerts } from './overview/firing-alerts.js';
import type { ConnectorHealth, TrafficHistory } from './overview/connector-model.js';
import { connectorTiles } from './overview/connector-tiles.js';
import { TrafficCharts } from './overview/traffic-charts.js';
import type { PageContext } from './page-context.js';

const t = defineMessages({
  vi: {
    title: 'Tổng quan',
    lead: 'Cảnh báo đang phát, tình trạng từng kết nối và lưu lượng một giờ qua.',
    connectors: 'Kết nối',
    traffic: 'Lưu lượng một giờ qua',
    replica: 'Số liệu lưu lượng là góc nhìn của bản sao “{replica}” của cổng: sau bộ cân bằng tải, mỗi bản sao chỉ thấy các lời gọi đi qua nó.',
    replicaUnknown: 'Số liệu lưu lượng là góc nhìn của bản sao cổng đang trả lời trang này: sau bộ cân bằng tải, mỗi bản sao chỉ thấy các lời gọi đi qua nó.',
    updated: 'Cập nhật lúc {time}, tự làm mới mỗi {interval}.',
    noData: '“chưa có”: chưa đóng cửa sổ số liệu đầu tiên; “—”: không có lời gọi trong cửa sổ gần nhất.',
  },
  en: {
    title: 'Overview',
    lead: 'Firing alerts, the state of every connector and the last hour of traffic.',
    connectors: 'Connectors',
    traffic: 'Traffic, last hour',
    replica: 'Traffic figures are this gateway replica’s view (“{replica}”): behind a load balancer each replica sees only the calls that pass through it.',
    replicaUnknown: 'Traffic figures are the view of the gateway replica answering this page: behind a load balancer each replica sees only the calls that pass through it.',
    updated: 'Updated at {time}, refreshed every {interval}.',
    noData: '“none yet”: the first window has not closed; “—”: no calls in the newest window.',
  },
});

const refreshMs = 10_000;

/**
 * /console/: firing alerts at the top (live over the alert stream), a tile
 * per connector and the last hour's charts, both refreshed every 10 s while
 * the page is shown.
 */
export async function render(root: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/alerts.css');
  useStylesheet('/console/assets/pages/overview.css');
  const replicaNotes = [h('p', { class: 'replica-note' }, t('replicaUnknown')), h('p', { class: 'replica-note' }, t('replicaUnknown'))];
  const tiles = h('div', { class: 'tiles-slot' });
  const updated = h('p', { class: 'hint' });
  const chartError = h('div');
  const titles = new Map<string, string>();
  const charts = new TrafficCharts(context.signal, (connector) => titles.get(connector) ?? connector);

  root.append(
    pageHeader(t('title'), t('lead')),
    firingAlerts(context),
    h('section', { class: 'section', 'aria-labelledby': 'connectors-heading' }, h('h2', { id: 'connectors-heading' }, t('connectors')), replicaNotes[0], tiles, h('p', { class: 'hint' }, t('noData')), updated),
    h('section', { class: 'section', 'aria-labelledby': 'traffic-heading' }, h('h2', { id: 'traffic-heading' }, t('traffic')), replicaNotes[1], chartError, charts.element),
  );

  const refreshTiles = async () => {
    try {
      const { items } = await api.get<{ items: ConnectorHealth[] }>('/connectors', undefined, context.signal);
      for (const item of items) titles.set(item.connector, connectorName(item.connector, item.title));
      replaceChildren(tiles, connectorTiles(items, context.navigate));
      updated.textContent = t('updated', { time: formatTime(Date.now()), interval: formatDuration(refreshMs) });
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(tiles, problemNotice(error));
    }
  };
  const refreshCharts = async () => {
    try {
      const history = await api.get<TrafficHistory>('/connectors/history', { minutes: 60 }, context.signal);
      for (const note of replicaNotes) note.textContent = t('replica', { replica: history.replica });
      chartError.replaceChildren();
      await charts.update(history);
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(chartError, problemNotice(error));
    }
  };
  // Tiles first: their titles name the chart lines.
  await refreshTiles();
  await refreshCharts();
  every(refreshMs, context.signal, async () => {
    await refreshTiles();
    await refreshCharts();
  });
}
