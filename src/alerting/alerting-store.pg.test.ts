import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeAlertingStoreContract } from './test-support/alerting-store-contract.js';

describeAlertingStoreContract(pgStoreTarget(captureLogger().logger));
