import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentNoticeContract } from './test-support/payment-notice-contract.js';

describePaymentNoticeContract(pgliteStoreTarget());
