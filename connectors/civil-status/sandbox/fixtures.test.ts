import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { civilStatusFixtureCases, civilStatusFixturesDirectory, recordCivilStatusFixtures } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'civil-status',
  directory: civilStatusFixturesDirectory(),
  cases: civilStatusFixtureCases,
  record: recordCivilStatusFixtures,
  recordCommand: 'node dist/connectors/civil-status/sandbox/record-fixtures.js',
});
