import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeAlertingStoreContract } from './test-support/alerting-store-contract.js';

describeAlertingStoreContract(pgliteStoreTarget());
