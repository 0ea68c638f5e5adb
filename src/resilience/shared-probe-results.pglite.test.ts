import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeSharedProbeResultsContract } from './test-support/shared-probe-results-contract.js';

describeSharedProbeResultsContract(pgliteStoreTarget());
