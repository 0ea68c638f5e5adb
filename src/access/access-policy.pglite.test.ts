import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeAccessPolicy } from './test-support/access-policy-contract.js';

describeAccessPolicy(pgliteStoreTarget());
