import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeChainContract } from './chain-contract.js';

describeChainContract(pgStoreTarget(captureLogger().logger));
