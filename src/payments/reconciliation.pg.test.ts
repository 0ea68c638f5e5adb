import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeReconciliationContract } from './test-support/reconciliation-contract.js';

// Two pools for the two concurrent runs: like two gateway replicas.
describeReconciliationContract(pgStoreTarget(captureLogger().logger), { concurrentIpns: 12, secondHandle: true });
