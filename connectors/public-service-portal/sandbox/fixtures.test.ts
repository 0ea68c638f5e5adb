import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { portalFixtureCases, portalFixturesDirectory, recordPortalFixtures } from './record-fixtures.js';

describeRecordedFixtures({
  name: 'public-service-portal',
  directory: portalFixturesDirectory,
  cases: portalFixtureCases,
  record: recordPortalFixtures,
  recordCommand: 'node dist/connectors/public-service-portal/sandbox/record-fixtures.js',
});
