import { pgliteStoreTarget } from '../src/store/test-support/store-targets.js';
import { describeScaleAccess } from './test-support/scale-access-contract.js';

describeScaleAccess(pgliteStoreTarget());
