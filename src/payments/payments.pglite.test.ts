import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentsContract } from './test-support/payments-contract.js';

describePaymentsContract(pgliteStoreTarget(), { concurrentIpns: 50, connections: 1 });
