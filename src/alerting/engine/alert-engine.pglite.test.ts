import { pgliteStoreTarget } from '../../store/test-support/store-targets.js';
import { describeEngineContract } from './test-support/engine-contract.js';

describeEngineContract(pgliteStoreTarget());
