import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describePartitioningContract } from './partitioning-contract.js';

const target = pgStoreTarget(captureLogger().logger);
afterAll(() => target.dispose());
describePartitioningContract(target);
