import { describeRecordedFixtures } from '../../../simulators/kit/test-support/fixture-drift.js';
import { fixtureCases, recordSocialInsuranceFixtures, socialInsuranceFixturesDirectory } from './record-fixtures.js';

// The recorded fixtures must be exactly what the sandbox answers today.
describeRecordedFixtures({
  name: 'social-insurance',
  directory: socialInsuranceFixturesDirectory(),
  cases: fixtureCases,
  record: recordSocialInsuranceFixtures,
  recordCommand: 'node dist/connectors/social-insurance/sandbox/record-fixtures.js',
});
