import { createLogger } from '../src/observability/logger.js';
import { pgStoreTarget } from '../src/store/test-support/store-targets.js';
import { describeScaleAccess } from './test-support/scale-access-contract.js';

describeScaleAccess(pgStoreTarget(createLogger({ level: 'silent' })));
