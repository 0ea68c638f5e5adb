import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentsRouterContract } from './test-support/payments-router-contract.js';

describePaymentsRouterContract(pgStoreTarget(captureLogger().logger));
