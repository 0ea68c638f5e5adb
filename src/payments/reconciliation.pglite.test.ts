import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeReconciliationContract } from './test-support/reconciliation-contract.js';

describeReconciliationContract(pgliteStoreTarget(), { concurrentIpns: 12, secondHandle: false });
