import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentsRouterContract } from './test-support/payments-router-contract.js';

describePaymentsRouterContract(pgliteStoreTarget());
