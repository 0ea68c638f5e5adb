import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeReconciliationScheduleContract } from './test-support/reconciliation-schedule-contract.js';

describeReconciliationScheduleContract(pgliteStoreTarget());
