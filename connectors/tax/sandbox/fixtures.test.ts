import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { recordTaxFixtures, taxFixtureCases, taxFixturesDirectory } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'tax',
  directory: taxFixturesDirectory,
  cases: taxFixtureCases,
  record: recordTaxFixtures,
  recordCommand: 'node dist/connectors/tax/sandbox/record-fixtures.js',
});
