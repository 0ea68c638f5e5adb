import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { postalFixtureCases, postalFixturesDirectory, recordPostalFixtures } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'postal-delivery',
  directory: postalFixturesDirectory,
  cases: postalFixtureCases,
  record: recordPostalFixtures,
  recordCommand: 'node dist/connectors/postal-delivery/sandbox/record-fixtures.js',
});
