import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeConsoleSessionStoreContract } from './session-store-contract.js';

describeConsoleSessionStoreContract(pgStoreTarget(captureLogger().logger));
