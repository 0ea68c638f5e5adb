import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeDatabaseClockCase, describeSharedProbeResultsContract } from './test-support/shared-probe-results-contract.js';

const target = pgStoreTarget(captureLogger().logger);
describeSharedProbeResultsContract(target);
describeDatabaseClockCase(target);
