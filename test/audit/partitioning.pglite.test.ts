import { pgliteStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describePartitioningContract } from './partitioning-contract.js';

const target = pgliteStoreTarget();
afterAll(() => target.dispose());
describePartitioningContract(target);
