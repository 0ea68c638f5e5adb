import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentNoticeContract } from './test-support/payment-notice-contract.js';

describePaymentNoticeContract(pgStoreTarget(captureLogger().logger));
