import { pgliteStoreTarget } from '../store/test-support/store-targets.js';
import { describeAuditContract } from './test-support/audit-contract.js';

describeAuditContract(pgliteStoreTarget());
