import { api } from '../../api.js';
import { pageHeader, problemNotice } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import { renderAvailability } from './availability-section.js';
import { consoleLink } from '../../components.js';
import { renderCredentials } from './credentials-section.js';
import type { DetailContext, DetailData, Loaded, SectionKey } from './detail-context.js';
import { renderHealth } from './health-section.js';
import { connectorName } from '../../connector-names.js';
import type { PageContext } from '../page-context.js';
import { renderResilience } from './resilience-section.js';
import { section, type Section } from './section.js';
import { renderSettings } from './settings-section.js';
import type { ConnectorHealth, ConnectorView, CredentialSchemaView, CredentialsView, ResilienceView, SettingsSchemaView } from './types.js';

const t = defineMessages({
  vi: {
    back: '← Tất cả kết nối',
    sections: 'Các phần của trang',
    health: 'Tình trạng',
    availability: 'Bật, tắt và bảo trì',
    settings: 'Cấu hình',
    resilience: 'Chính sách chịu lỗi',
    credentials: 'Thông tin xác thực',
  },
  en: {
    back: '← All connectors',
    sections: 'Parts of this page',
    health: 'Health',
    availability: 'On, off and maintenance',
    settings: 'Settings',
    resilience: 'Resilience policy',
    credentials: 'Credentials',
  },
});

async function settle<T>(pending: Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await pending };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function loadDetail(id: string, signal: AbortSignal): Promise<DetailData> {
  const path = `/connectors/${encodeURIComponent(id)}`;
  const [view, health, settingsSchema, resilience, credentials, credentialSchema] = await Promise.all([
    api.get<ConnectorView>(path, undefined, signal),
    settle(api.get<ConnectorHealth>(`${path}/health`, undefined, signal)),
    settle(api.get<SettingsSchemaView>(`${path}/settings/schema`, undefined, signal)),
    settle(api.get<ResilienceView>(`${path}/resilience`, undefined, signal)),
    settle(api.get<CredentialsView>(`${path}/credentials`, undefined, signal)),
    settle(api.get<CredentialSchemaView>(`${path}/credentials/schema`, undefined, signal)),
  ]);
  return { view, health, settingsSchema, resilience, credentials, credentialSchema };
}

export async function renderConnectorDetail(root: HTMLElement, context: PageContext, id: string): Promise<void> {
  let data = await loadDetail(id, context.signal);
  if (context.signal.aborted) return;
  const sections: Record<SectionKey, Section> = {
    health: section('health', t('health')),
    availability: section('availability', t('availability')),
    settings: section('settings', t('settings')),
    resilience: section('resilience', t('resilience')),
    credentials: section('credentials', t('credentials')),
  };
  const detail: DetailContext = {
    id,
    isAdmin: context.can('lgsp-admin'),
    signal: context.signal,
    async refresh(after, message, kind) {
      try {
        data = await loadDetail(id, context.signal);
      } catch (error) {
        sections[after].show(problemNotice(error));
        return;
      }
      if (context.signal.aborted) return;
      draw();
      sections[after].confirm(message, kind);
    },
  };
  const draw = () => {
    sections.health.show(renderHealth(data, detail));
    sections.availability.show(renderAvailability(data, detail));
    sections.settings.show(renderSettings(data, detail));
    sections.resilience.show(renderResilience(data, detail));
    sections.credentials.show(renderCredentials(data, detail));
  };

  const keys = Object.keys(sections) as SectionKey[];
  root.append(
    pageHeader(connectorName(data.view.connector, data.view.title), data.view.upstream, consoleLink(context.navigate, '/console/connectors', t('back'))),
    h('nav', { class: 'section-nav', 'aria-label': t('sections') }, h('ul', null, ...keys.map((key) => h('li', null, h('a', { href: `#${key}`, onclick: (event: MouseEvent) => jumpTo(event, key) }, t(key)))))),
    ...keys.map((key) => sections[key].element),
  );
  draw();
}

/** In-page links move focus to the section's heading without a history entry (the console's router redraws the page on popstate). */
function jumpTo(event: MouseEvent, key: SectionKey): void {
  event.preventDefault();
  const heading = document.getElementById(`${key}-title`);
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}
