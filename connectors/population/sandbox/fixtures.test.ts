import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureCases, populationFixturesDirectory, recordPopulationFixtures, type RecordedFixture } from './record-fixtures.js';

/**
 * The recorded fixtures must be exactly what the sandbox answers today: if the
 * sandbox changes, re-run record-fixtures and review the diff.
 */
describe('population fixtures', () => {
  const directory = populationFixturesDirectory();
  let recorded: Map<string, RecordedFixture>;

  beforeAll(async () => {
    recorded = await recordPopulationFixtures();
  });

  it('cover every recorded case and nothing else', () => {
    const onDisk = readdirSync(directory).filter((file) => file.endsWith('.xml')).sort();
    expect(onDisk).toEqual([...recorded.keys()].sort());
  });

  it.each(fixtureCases.map((fixture) => [fixture.file]))('%s matches what the sandbox answers now', (file) => {
    const fixture = recorded.get(file);
    expect(fixture).toBeDefined();
    const onDisk = readFileSync(path.join(directory, file), 'utf8');
    // Spelled out so a drift shows which file to re-record.
    if (onDisk !== fixture?.body) throw new Error(`${file} drifted from the sandbox: run record-fixtures and review the diff`);
    expect(fixture.status).toBe(file.includes('-fault-') ? 500 : 200);
  });

  it('are each described in the fixtures README', () => {
    const readme = readFileSync(path.join(directory, 'README.md'), 'utf8');
    for (const { file } of fixtureCases) expect(readme).toContain(file);
  });
});
