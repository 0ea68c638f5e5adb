import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describePaymentsContract } from './test-support/payments-contract.js';

// Separate pools (4 connections each): the duplicates really race for the payment's row lock.
describePaymentsContract(pgStoreTarget(captureLogger().logger), { concurrentIpns: 50, connections: 5 });
