import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeVaultContract } from './test-support/vault-contract.js';

describeVaultContract(pgliteStoreTarget());
