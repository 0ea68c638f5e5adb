import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { fixtureCases, populationFixturesDirectory, recordPopulationFixtures } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'population',
  directory: populationFixturesDirectory,
  cases: fixtureCases,
  record: recordPopulationFixtures,
  recordCommand: 'node dist/connectors/population/sandbox/record-fixtures.js',
});
