import { captureLogger } from '../../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../store/test-support/store-targets.js';
import { describeEngineContract } from './test-support/engine-contract.js';

describeEngineContract(pgStoreTarget(captureLogger().logger));
