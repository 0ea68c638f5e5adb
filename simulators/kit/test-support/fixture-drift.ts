import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedFixture } from '../soap-fixtures.js';

/**
 * The drift test every connector's recorded fixtures get: the files must be
 * exactly what the sandbox answers today (re-recorded in memory), every file
 * must be a recorded case, and the fixtures README must describe each one.
 * A case's `status` is the HTTP status its exchange must have (REST statuses
 * carry meaning: 404 an answer, 409 a duplicate); without one, files named
 * `*-fault-*` are HTTP 500 exchanges, all others 200.
 */
export function describeRecordedFixtures(options: {
  name: string;
  directory: string;
  cases: ReadonlyArray<{ file: string; status?: number }>;
  record(): Promise<Map<string, RecordedFixture>>;
  /** The command that re-records, named in the failure. */
  recordCommand: string;
}): void {
  describe(`${options.name} fixtures`, () => {
    let recorded: Map<string, RecordedFixture>;

    beforeAll(async () => {
      recorded = await options.record();
    });

    it('cover every recorded case and nothing else', () => {
      const onDisk = readdirSync(options.directory).filter((file) => file.endsWith('.xml') || file.endsWith('.json')).sort();
      expect(onDisk).toEqual([...recorded.keys()].sort());
    });

    it.each(options.cases.map((fixture) => [fixture.file, fixture.status] as const))('%s matches what the sandbox answers now', (file, status) => {
      const fixture = recorded.get(file);
      expect(fixture).toBeDefined();
      const onDisk = readFileSync(path.join(options.directory, file), 'utf8');
      // Spelled out so a drift shows which file to re-record.
      if (onDisk !== fixture?.body) throw new Error(`${file} drifted from the sandbox: run ${options.recordCommand} and review the diff`);
      expect(fixture.status).toBe(status ?? (file.includes('-fault-') ? 500 : 200));
    });

    it('are each described in the fixtures README', () => {
      const readme = readFileSync(path.join(options.directory, 'README.md'), 'utf8');
      for (const { file } of options.cases) expect(readme).toContain(file);
    });
  });
}
