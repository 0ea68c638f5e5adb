import { createLogger } from '../observability/logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeAccessPolicy } from './test-support/access-policy-contract.js';

describeAccessPolicy(pgStoreTarget(createLogger({ level: 'silent' })));
