import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeOutboxContract } from './test-support/outbox-contract.js';

describeOutboxContract(pgliteStoreTarget(), { messages: 60, keys: 6 });
