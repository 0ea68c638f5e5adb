import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeRetentionContract } from './retention-contract.js';

const target = pgStoreTarget(captureLogger().logger);
afterAll(() => target.dispose());
describeRetentionContract(target);
