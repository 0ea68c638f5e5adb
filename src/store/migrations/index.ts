import type { Migration } from '../migrate.js';
import { auditRecords } from './0001-audit-records.js';
import { accessControl } from './0002-access-control.js';
import { auditQueries } from './0003-audit-queries.js';
import { auditChain } from './0004-audit-chain.js';
import { auditPartitions } from './0005-audit-partitions.js';
import { connectorResilienceOverrides } from './0006-connector-resilience-overrides.js';
import { grantCachedResponses } from './0007-grant-cached-responses.js';
import { outbox } from './0008-outbox.js';
import { connectorSettings } from './0009-connector-settings.js';
import { credentialVault } from './0010-credential-vault.js';
import { alerting } from './0011-alerting.js';
import { payments } from './0012-payments.js';
import { paymentIpnReferenceIndex } from './0013-payment-ipn-reference-index.js';
import { consoleSessions } from './0014-console-sessions.js';
import { upstreamProbeResults } from './0015-upstream-probe-results.js';
import { accessPolicyChanges } from './0016-access-policy-changes.js';

/**
 * Every migration, in the order applied. Append only: a released migration is
 * never edited, renumbered or removed (the runner refuses to start when the
 * database and this list disagree).
 */
export const migrations: readonly Migration[] = [
  auditRecords,
  accessControl,
  auditQueries,
  auditChain,
  auditPartitions,
  connectorResilienceOverrides,
  grantCachedResponses,
  outbox,
  connectorSettings,
  credentialVault,
  alerting,
  payments,
  paymentIpnReferenceIndex,
  consoleSessions,
  upstreamProbeResults,
  accessPolicyChanges,
];
