import { createHash } from 'node:crypto';
import type { ConnectorConfig } from '../config/gateway-config.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { Logger } from '../observability/logger.js';
import type { ProbeSetting } from '../resilience/probe-plan.js';
import { VersionPoller } from '../store/version-poller.js';
import type { CredentialSource, UsableCredentials } from '../vault/types.js';
import { resolveConfigCredentials } from './config-credentials.js';
import { ConnectorSlot, type ClientGeneration, type ConnectorAvailability } from './connector-slot.js';
import type { ConnectorSettingsOverride, ConnectorSettingsStore, MaintenanceNotice } from './connector-settings-store.js';

/** What one client generation is built from: the connector's effective state. */
export interface GenerationInput {
  descriptor: ConnectorDescriptor<any>;
  baseUrl: string;
  settings: Readonly<Record<string, unknown>>;
  credentials: Readonly<Record<string, unknown>>;
  /** The version before the active one, inside its overlap window (vault only). */
  previousCredentials?: { fields: Readonly<Record<string, unknown>>; usableUntil: Date };
  probe: ProbeSetting | undefined;
}

export interface BuiltGeneration extends ClientGeneration {
  /** The health probe of this generation; undefined when the connector is not probed. */
  probe?: (signal: AbortSignal) => Promise<void>;
}

/** A value and whether the configuration file or an administrator set it. */
export interface Sourced<T> {
  value: T;
  source: 'config' | 'admin';
}

/** One connector as it runs now: what the admin view shows (no secret in it). */
export interface EffectiveConnector {
  connectorId: string;
  enabled: Sourced<boolean>;
  maintenance: MaintenanceNotice | null;
  baseUrl: Sourced<string>;
  settings: Sourced<Readonly<Record<string, unknown>>>;
  probe: Sourced<ProbeSetting | null>;
  credentials: {
    source: CredentialSource;
    /** The vault version in use (source vault). */
    activeVersion?: number;
    /** The previous vault version still accepted as a fallback, and until when. */
    previousVersion?: number;
    previousUsableUntil?: string;
    /** Field names set (never values). */
    fieldsSet: string[];
    /** env/file: the vault refuses changes, the deployment owns them. */
    readOnly: boolean;
  };
  availability: ConnectorAvailability['kind'];
  /** When the client now in use was built. */
  appliedAt?: string;
  /** The last change that could not be applied (the previous client stays in use). */
  lastApplyError?: { at: string; message: string };
}

/**
 * A connector's credentials as the runtime uses them now: the active fields
 * and, during a rotation's overlap window, the previous version's with the
 * end of that window. Secrets in clear: for the core's own checks that need
 * the secret itself (the payment platform's callback checksum), never for a
 * log line, an error, an API answer or a metric label.
 */
export interface UsableConnectorCredentials {
  source: CredentialSource;
  active: Readonly<Record<string, unknown>>;
  previous?: { fields: Readonly<Record<string, unknown>>; usableUntil: Date };
}

export interface ConnectorRuntimeOptions {
  /** Every connector with a configuration section, enabled or not: an administrator may switch any of them on. */
  connectors: ReadonlyArray<{ descriptor: ConnectorDescriptor<any>; config: ConnectorConfig }>;
  settingsStore: Pick<ConnectorSettingsStore, 'version' | 'list'>;
  vault?: { usableAll(): Promise<Map<string, UsableCredentials>> };
  env: NodeJS.ProcessEnv;
  buildGeneration(input: GenerationInput): Promise<BuiltGeneration>;
  /**
   * Installs (or, with undefined, pauses) a connector's health probe.
   * `fingerprint`: a digest of what the probe is built from (base URL,
   * settings, credentials, probe setting), equal on every replica that runs
   * the same configuration; replicas share probe results only between equal
   * fingerprints. It digests secrets: kept in memory, keyed before stored.
   */
  setProbe(connectorId: string, probe: ((signal: AbortSignal) => Promise<void>) | undefined, fingerprint?: string): void;
  logger: Logger;
  refreshIntervalMs: number;
  /** After each reload that found changes (e.g. the expiry signals re-read the vault at once rather than on their interval). */
  onReloaded?: () => void;
  /**
   * How often credentials read from files ({ fromFile }: a mounted Kubernetes
   * secret that the platform rewrites in place) are read again, so a rotated
   * file reaches the upstream without a restart (default: 5 × refreshIntervalMs).
   */
  fileRecheckIntervalMs?: number;
}

interface RuntimeEntry {
  descriptor: ConnectorDescriptor<any>;
  config: ConnectorConfig;
  slot: ConnectorSlot;
  /** Fingerprint of the inputs of the generation in use (no secret can be recovered from it). */
  builtFrom?: string;
  probe?: (signal: AbortSignal) => Promise<void>;
  effective?: EffectiveConnector;
  appliedAt?: string;
  lastApplyError?: { at: string; message: string };
  /** The credentials resolved at the last reload (kept in memory only, see usableCredentials). */
  credentials?: UsableConnectorCredentials;
}

/**
 * Connectors as administrators change them, on every replica, without a
 * restart (issue 13): polls connector_config_version (bumped by every
 * settings and vault change) and, for each connector whose effective state
 * moved, builds a new client generation (new pools, new logins) and swaps it
 * in; calls in flight finish on the old one (ConnectorSlot). Switched off or
 * under maintenance: no client is used and the probe pauses.
 *
 * Precedence: the configuration file gives starting values; an
 * administrator's change wins. Credentials from env/file references belong to
 * the deployment and win over the vault; otherwise the vault's active version
 * wins over the configuration's values.
 */
export class ConnectorRuntime {
  private readonly entries = new Map<string, RuntimeEntry>();
  private readonly poller: VersionPoller;
  private started = false;
  private fileRecheck: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConnectorRuntimeOptions) {
    for (const { descriptor, config } of options.connectors) {
      this.entries.set(descriptor.id, { descriptor, config, slot: new ConnectorSlot(descriptor.id) });
    }
    this.poller = new VersionPoller({
      readVersion: () => options.settingsStore.version(),
      reload: () => this.reload({ announce: true }),
      logger: options.logger,
      refreshIntervalMs: options.refreshIntervalMs,
      failureMessage: 'connector settings refresh failed; keeping the connectors as they are',
    });
  }

  /** Builds every enabled connector (a connector the configuration cannot build fails the start), then polls. */
  async start(): Promise<void> {
    await this.poller.start();
    this.started = true;
    const readsFiles = [...this.entries.values()].some((entry) => Object.values(entry.config.credentials).some((value) => typeof value === 'object' && value !== null && 'fromFile' in value));
    if (readsFiles) {
      // Only deployments with file references pay for it; an unchanged file changes nothing (same inputs, no rebuild).
      this.fileRecheck = setInterval(() => {
        this.reload({ announce: false }).catch((error: unknown) => this.options.logger.warn({ err: error }, 'credential file recheck failed; keeping the connectors as they are'));
      }, this.options.fileRecheckIntervalMs ?? 5 * this.options.refreshIntervalMs);
      this.fileRecheck.unref();
    }
  }

  stop(): void {
    this.poller.stop();
    clearInterval(this.fileRecheck);
  }

  /** Resolves once every change committed before the call is applied on this replica. */
  refresh(): Promise<void> {
    return this.poller.refresh();
  }

  connectorIds(): string[] {
    return [...this.entries.keys()];
  }

  has(connectorId: string): boolean {
    return this.entries.has(connectorId);
  }

  descriptor(connectorId: string): ConnectorDescriptor<any> | undefined {
    return this.entries.get(connectorId)?.descriptor;
  }

  configOf(connectorId: string): ConnectorConfig | undefined {
    return this.entries.get(connectorId)?.config;
  }

  handle(connectorId: string): ConnectorSlot {
    const entry = this.entries.get(connectorId);
    if (!entry) throw new Error(`connector ${connectorId} has no configuration section`);
    return entry.slot;
  }

  effective(connectorId: string): EffectiveConnector | undefined {
    const entry = this.entries.get(connectorId);
    if (!entry?.effective) return undefined;
    return {
      ...entry.effective,
      availability: entry.slot.availability().kind,
      ...(entry.appliedAt && { appliedAt: entry.appliedAt }),
      ...(entry.lastApplyError && { lastApplyError: entry.lastApplyError }),
    };
  }

  /**
   * The credentials this replica resolved at its last reload (vault, config,
   * env or file, with the same precedence as the clients), whether the
   * connector is switched on or not: a callback about a payment made before
   * the switch still has to be checked. The previous version is left out once
   * its window has ended, even before the next reload notices. Never log or
   * return what this gives.
   */
  usableCredentials(connectorId: string, now: Date = new Date()): UsableConnectorCredentials | undefined {
    const credentials = this.entries.get(connectorId)?.credentials;
    if (!credentials) return undefined;
    const { previous, ...current } = credentials;
    return previous && previous.usableUntil.getTime() > now.getTime() ? { ...current, previous } : current;
  }

  /** At shutdown, after requests have drained: every client generation closes. */
  closeAll(): void {
    this.stop();
    for (const entry of this.entries.values()) entry.slot.closeAll();
  }

  /** One reload at a time (the poller and the file recheck may ask together): each applies what is stored when it runs. */
  private reload(options: { announce: boolean }): Promise<void> {
    const run = this.reloading.catch(() => undefined).then(() => this.reloadNow(options));
    this.reloading = run;
    return run;
  }

  private async reloadNow(options: { announce: boolean }): Promise<void> {
    const overrides = new Map((await this.options.settingsStore.list()).map((stored) => [stored.connectorId, stored.override]));
    const usable = (await this.options.vault?.usableAll()) ?? new Map<string, UsableCredentials>();
    for (const entry of this.entries.values()) {
      try {
        await this.apply(entry, overrides.get(entry.descriptor.id) ?? {}, usable.get(entry.descriptor.id) ?? {});
      } catch (error) {
        // At start, a connector the configuration cannot build fails the gateway, as it always did; later the old client stays.
        if (!this.started) throw error;
        entry.lastApplyError = { at: new Date().toISOString(), message: safeMessage(error) };
        this.options.logger.error({ connector: entry.descriptor.id, err: { message: safeMessage(error) } }, 'connector change could not be applied; the previous client stays in use');
      }
    }
    if (options.announce) this.options.onReloaded?.();
  }

  private async apply(entry: RuntimeEntry, override: ConnectorSettingsOverride, usable: UsableCredentials): Promise<void> {
    const { descriptor, config, slot } = entry;
    const id = descriptor.id;
    const enabled: Sourced<boolean> = override.enabled !== undefined ? { value: override.enabled, source: 'admin' } : { value: config.enabled, source: 'config' };
    const baseUrl: Sourced<string> = override.baseUrl !== undefined ? { value: override.baseUrl, source: 'admin' } : { value: config.baseUrl, source: 'config' };
    const settings: Sourced<Readonly<Record<string, unknown>>> = override.settings !== undefined ? { value: override.settings, source: 'admin' } : { value: config.settings, source: 'config' };
    const probe: Sourced<ProbeSetting | null> = override.probe !== undefined ? { value: override.probe, source: 'admin' } : { value: config.probe ?? null, source: 'config' };

    const fromConfig = resolveConfigCredentials(id, config.credentials, this.options.env);
    const useVault = fromConfig.source === 'config' && usable.active !== undefined;
    const credentials = useVault ? usable.active!.fields : fromConfig.fields;
    const previous = useVault && usable.previous ? usable.previous : undefined;
    entry.credentials = {
      source: useVault ? 'vault' : fromConfig.source,
      active: credentials,
      ...(previous && { previous: { fields: previous.fields, usableUntil: previous.usableUntil } }),
    };
    entry.effective = {
      connectorId: id,
      enabled,
      maintenance: override.maintenance ?? null,
      baseUrl,
      settings,
      probe,
      credentials: {
        source: useVault ? 'vault' : fromConfig.source,
        ...(useVault && { activeVersion: usable.active!.version }),
        ...(previous && { previousVersion: previous.version, previousUsableUntil: previous.usableUntil.toISOString() }),
        fieldsSet: Object.keys(credentials).sort(),
        readOnly: fromConfig.source !== 'config',
      },
      availability: 'disabled',
    };

    if (!enabled.value) {
      if (slot.hasClient) this.options.logger.info({ connector: id }, 'connector switched off');
      slot.setAvailability({ kind: 'disabled' });
      slot.replace(undefined);
      entry.builtFrom = undefined;
      entry.probe = undefined;
      this.options.setProbe(id, undefined);
      return;
    }

    const builtFrom = fingerprint({ baseUrl: baseUrl.value, settings: settings.value, credentials, previous, probe: probe.value });
    if (builtFrom !== entry.builtFrom || !slot.hasClient) {
      const built = await this.options.buildGeneration({
        descriptor,
        baseUrl: baseUrl.value,
        settings: settings.value,
        credentials,
        ...(previous && { previousCredentials: { fields: previous.fields, usableUntil: previous.usableUntil } }),
        probe: probe.value ?? undefined,
      });
      const rebuilt = slot.hasClient;
      slot.replace(built);
      entry.builtFrom = builtFrom;
      entry.probe = built.probe;
      entry.appliedAt = new Date().toISOString();
      entry.lastApplyError = undefined;
      if (this.started || rebuilt) this.options.logger.info({ connector: id, credentialSource: entry.effective.credentials.source, credentialVersion: entry.effective.credentials.activeVersion }, 'connector client rebuilt');
    }
    const maintenance = override.maintenance;
    const availability: ConnectorAvailability = maintenance ? { kind: 'maintenance', ...maintenance } : { kind: 'available' };
    slot.setAvailability(availability);
    // Under maintenance the upstream may be down on purpose: its probe pauses rather than paging anyone.
    this.options.setProbe(id, maintenance ? undefined : entry.probe, entry.builtFrom);
  }
}

/** A digest of everything a generation is built from: equal inputs, no rebuild. Kept in memory only. */
function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Date ? inner.toISOString() : inner))).digest('base64url');
}

/** Errors of client construction name settings and URLs, never credential values (createUpstreamAuth and createClient never quote them). */
function safeMessage(error: unknown): string {
  return (error instanceof Error ? error.message : 'unknown error').slice(0, 300);
}
