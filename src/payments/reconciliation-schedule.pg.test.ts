import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeReconciliationScheduleContract } from './test-support/reconciliation-schedule-contract.js';

describeReconciliationScheduleContract(pgStoreTarget(captureLogger().logger));
