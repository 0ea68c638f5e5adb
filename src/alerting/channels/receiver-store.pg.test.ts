import { captureLogger } from '../../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../store/test-support/store-targets.js';
import { describeReceiverStoreContract } from './test-support/receiver-store-contract.js';

describeReceiverStoreContract(pgStoreTarget(captureLogger().logger));
