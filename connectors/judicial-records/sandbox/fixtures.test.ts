import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { judicialRecordsFixtureCases, judicialRecordsFixturesDirectory, recordJudicialRecordsFixtures } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'judicial-records',
  directory: judicialRecordsFixturesDirectory,
  cases: judicialRecordsFixtureCases,
  record: recordJudicialRecordsFixtures,
  recordCommand: 'node dist/connectors/judicial-records/sandbox/record-fixtures.js',
});
