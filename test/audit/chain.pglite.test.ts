import { pgliteStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeChainContract } from './chain-contract.js';

describeChainContract(pgliteStoreTarget());
