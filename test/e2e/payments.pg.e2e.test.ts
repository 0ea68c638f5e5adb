import { describePaymentsEndToEnd } from './payments-suite.js';

// Issue 15 on the real PostgreSQL: concurrent creates and duplicate IPNs really race for the locks (several pool connections).
describePaymentsEndToEnd('pg');
