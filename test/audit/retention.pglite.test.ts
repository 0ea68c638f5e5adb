import { pgliteStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeRetentionContract } from './retention-contract.js';

const target = pgliteStoreTarget();
afterAll(() => target.dispose());
describeRetentionContract(target);
