import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { recordRegistryFixtures, registryFixtureCases, registryFixturesDirectory } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'business-registry',
  directory: registryFixturesDirectory,
  cases: registryFixtureCases,
  record: recordRegistryFixtures,
  recordCommand: 'node dist/connectors/business-registry/sandbox/record-fixtures.js',
});
