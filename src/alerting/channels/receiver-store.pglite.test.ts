import { pgliteStoreTarget } from '../../store/test-support/store-targets.js';
import { describeReceiverStoreContract } from './test-support/receiver-store-contract.js';

describeReceiverStoreContract(pgliteStoreTarget());
