import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { describeVaultContract } from './test-support/vault-contract.js';

describeVaultContract(pgStoreTarget(captureLogger().logger));
