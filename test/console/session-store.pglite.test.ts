import { pgliteStoreTarget } from '../../src/store/test-support/store-targets.js';
import { describeConsoleSessionStoreContract } from './session-store-contract.js';

describeConsoleSessionStoreContract(pgliteStoreTarget());
