import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedFixture } from '../../../simulators/kit/soap-fixtures.js';
import { landFixtureCases, landFixturesDirectory, recordLandFixtures } from './record-fixtures.js';

/**
 * The recorded fixtures must be exactly what the sandbox answers today, with
 * the HTTP status each case names (REST statuses carry meaning: 404 is an
 * answer, 400 the caller's fault): if the sandbox changes, re-run
 * record-fixtures and review the diff.
 */
describe('land fixtures', () => {
  const directory = landFixturesDirectory();
  let recorded: Map<string, RecordedFixture>;

  beforeAll(async () => {
    recorded = await recordLandFixtures();
  });

  it('cover every recorded case and nothing else', () => {
    expect(readdirSync(directory).filter((file) => file.endsWith('.json')).sort()).toEqual([...recorded.keys()].sort());
  });

  it.each(landFixtureCases.map((fixture) => [fixture.file, fixture.status] as const))('%s matches what the sandbox answers now (HTTP %i)', (file, status) => {
    const fixture = recorded.get(file);
    if (readFileSync(path.join(directory, file), 'utf8') !== fixture?.body) {
      throw new Error(`${file} drifted from the sandbox: run node dist/connectors/land/sandbox/record-fixtures.js and review the diff`);
    }
    expect(fixture.status).toBe(status);
  });

  it('are each described in the fixtures README', () => {
    const readme = readFileSync(path.join(directory, 'README.md'), 'utf8');
    for (const { file } of landFixtureCases) expect(readme).toContain(file);
  });
});
