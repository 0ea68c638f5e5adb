import { describePaymentsEndToEnd } from './payments-suite.js';

// Issue 15 on the embedded default store (PGlite in-process, as `npm start` runs it).
describePaymentsEndToEnd('pglite');
