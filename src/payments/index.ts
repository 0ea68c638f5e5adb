/**
 * Payments through the national payment platform (issue 15): the store and
 * state machine, the IPN processor and route, the notices, reconciliation and
 * its report. payments-wiring.ts assembles them for the gateway; the payment
 * operations' pipeline stages are in src/pipeline/stages/payment-*.ts.
 */
export { processIpn, ipnAnswers, ipnSystemErrorAnswer, ipnVerdicts, type IpnAnswer, type IpnProcessorDeps, type IpnRequest, type IpnResult, type IpnVerdict } from './ipn-processor.js';
export { ipnFieldNames, outcomeOfResultCode, parseIpn, type IpnFields, type ParsedIpn, type VerifyIpnChecksum } from './ipn-message.js';
export { maxReferenceLength, newPaymentReference, referenceShape } from './payment-reference.js';
export {
  decideOutcome, finalStates, isFinal, isLegalTransition, legalTransitions, paymentStates, transitionSources,
  type FinalState, type OutcomeDecision, type OutcomeState, type PaymentAnomaly, type PaymentState, type TransitionSource,
} from './payment-states.js';
export { applyToLockedPayment, canonicalName, createPaymentStore, lockPayment, type LockedPayment, type PaymentStore, type PaymentStoreOptions } from './payment-store.js';
export type { CreateContext, CreatePaymentInput, CreateResult, FeeItemInput, OutcomeContext, OutcomeResult, PaymentOutcome, PaymentTransition, PaymentView } from './payment-types.js';
export {
  reconcilePending, reconciliationActor, reconciliationDefaults, paymentAnomalyResourceType,
  type PlatformPaymentStatus, type ReconciliationDeps, type ReconciliationOptions, type ReconciliationSummary,
} from './reconciliation.js';
export { dailyReport, reportCsv, reportCsvHeader, vietnamDay, type DailyReport, type DailyReportOptions, type Mismatch, type MismatchKind, type StateTotals } from './reconciliation-report.js';
export { createFinalStateHooks, type FinalStateHook, type FinalStateHooks, type FinalTransition } from './final-state-hooks.js';
export {
  createPaymentNoticeHook, deliverPaymentNotice, enqueuePaymentNotices, installPaymentNotices, paymentFinalEvent, paymentNoticeHeaders, paymentNoticeRegistration,
  paymentNoticeTarget, paymentProgressStep, portalDossierTarget, resolvePaymentNoticeSecret, syncedDossierStatus,
  type PaymentNoticeBody, type PaymentNoticeDeliveryDeps, type PaymentNoticePayload, type PaymentNoticeSettings, type PortalProgressMessage,
} from './payment-notice.js';
export { createPaymentAnomalyCounter, ipnVerdictLabels, paymentAnomalyKinds, paymentMetricNames, paymentMetrics, unauthenticIpnVerdicts, type PaymentMetrics } from './payment-metrics.js';
export { startPaymentReconciliation, type PaymentReconciliation, type PaymentReconciliationOptions } from './reconciliation-schedule.js';
export {
  adminPaymentView, anomaliesOfPayment, ipnsOfPayment, listPayments, type AdminPaymentView, type PaymentListFilter, type PaymentListItem, type PaymentListPage, type StoredIpnView,
} from './payment-admin-queries.js';
