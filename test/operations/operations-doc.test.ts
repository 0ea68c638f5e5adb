import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromProjectRoot } from '../../src/paths.js';
import { blockMarker, fencedBlocks, isPlainAssignment, normaliseCommand, shellCommands, shellLanguages, withoutTrailingComment, type FencedBlock } from './shell-blocks.js';

/**
 * The acceptance of issue 17 for docs/operations.md: "every command in it is
 * either run by a test or marked as needing a cluster". Checked mechanically:
 * each shell block of the document starts with a marker line (the convention
 * is explained at the top of the document), and a block marked
 * `# tested: <file>` has every one of its commands, whitespace aside, in that
 * test file's text, which runs it.
 */
const docPath = 'docs/operations.md';
const doc = readFileSync(fromProjectRoot(docPath), 'utf8');
const blocks = fencedBlocks(doc);
const shellBlocks = blocks.filter((block) => shellLanguages.has(block.language));

/** What a `# needs …` block may need: nothing on this machine provides it, so no test can run it. */
const needsWhat = new Set(['a cluster', 'Keycloak']);

/** A test file's text as commands are compared with it: continuation lines joined, whitespace runs collapsed. */
function testFileText(path: string): string {
  return normaliseCommand(readFileSync(fromProjectRoot(path), 'utf8').replace(/\\\n/g, ' '));
}

const where = (line: number) => `${docPath}:${line}`;

function report(problems: string[], heading: string): void {
  if (problems.length > 0) throw new Error(`${heading}\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

describe(`${docPath}: every command is run by a test or marked as needing what no test has`, () => {
  it('has shell blocks to check', () => {
    expect(shellBlocks.length).toBeGreaterThanOrEqual(10);
  });

  it('names a language on every fenced block (a command in an unnamed block would escape the check)', () => {
    report(
      blocks.filter((block) => block.language === '').map((block) => `${where(block.line)}: a fenced block without a language (use sh for commands, text/yaml/json for the rest)`),
      'Fenced blocks without a language:',
    );
  });

  it('starts every shell block with a marker: # tested: <test file>, # needs a cluster, # needs Keycloak or # values', () => {
    const problems = shellBlocks.flatMap((block) => {
      const marker = blockMarker(block);
      if (marker.kind === 'none') {
        const first = shellCommands(block)[0];
        return [`${where(block.line)}: unmarked block (first command: ${first ? `"${first.text}"` : 'none'}; first line: "${marker.firstLine}")`];
      }
      if (marker.kind === 'needs' && !needsWhat.has(marker.what)) return [`${where(block.line)}: "# needs ${marker.what}": only ${[...needsWhat].map((what) => `"# needs ${what}"`).join(' or ')}`];
      return [];
    });
    report(problems, 'Shell blocks without a valid marker (docs/operations.md explains the markers at its top):');
  });

  it('finds every command of a "# tested:" block in the test file it names', () => {
    const problems = shellBlocks.flatMap((block) => {
      const marker = blockMarker(block);
      if (marker.kind !== 'tested') return [];
      if (!/^test\/.+\.test\.ts$/.test(marker.testFile)) return [`${where(block.line)}: "# tested: ${marker.testFile}" must name a test file under test/ (…/*.test.ts)`];
      if (!existsSync(fromProjectRoot(marker.testFile))) return [`${where(block.line)}: "# tested: ${marker.testFile}": no such file`];
      const commands = shellCommands(block);
      if (commands.length === 0) return [`${where(block.line)}: a "# tested:" block without a command`];
      const text = testFileText(marker.testFile);
      return commands.filter((command) => !text.includes(command.text)).map((command) => `${where(command.line)}: not in ${marker.testFile}: ${command.text}`);
    });
    report(problems, 'Commands marked as tested that their test file does not contain (change the test to run the command as written, or the doc):');
  });

  it('keeps "# values" blocks to plain assignments (nothing in them runs)', () => {
    const problems = shellBlocks
      .filter((block) => blockMarker(block).kind === 'values')
      .flatMap((block) => shellCommands(block).filter((command) => !isPlainAssignment(command.text)).map((command) => `${where(command.line)}: not a plain assignment: ${command.text}`));
    report(problems, 'A "# values" block may only set variables:');
  });

  it('gives no command inline that no marked block holds (a command in the prose would escape the check)', () => {
    const prose = doc.split('\n').filter((_line, index) => !blocks.some((block) => index + 1 >= block.line && index + 1 <= block.line + block.lines.length + 1)).join('\n');
    const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
    const inlineCommands = spans.filter((span) => /^(kubectl|helm|psql|pg_dump|pg_restore|createdb|dropdb|openssl|npm|node|kcadm\.sh|(bin\/)?kc\.sh|curl|docker|shred|env) /.test(span));
    const marked = shellBlocks.filter((block) => ['tested', 'needs'].includes(blockMarker(block).kind)).flatMap((block) => shellCommands(block).map((command) => command.text));
    expect(inlineCommands.filter((span) => !marked.some((command) => command.includes(normaliseCommand(span))))).toEqual([]);
  });

  it('explains the markers before the first command', () => {
    const firstShellLine = shellBlocks[0]!.line;
    const preamble = doc.split('\n').slice(0, firstShellLine).join('\n');
    for (const marker of ['# tested:', '# needs a cluster', '# needs Keycloak', '# values']) expect(preamble).toContain(marker);
  });
});

/** Every .ts file under src/ (tests excluded): what the gateway really names. */
function productSource(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(fromProjectRoot('src'));
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** The lines of the document from a line starting with `start` up to the next line starting with `end`. */
function section(start: string, end: string): string {
  const lines = doc.split('\n');
  const from = lines.findIndex((line) => line.startsWith(start));
  const to = lines.findIndex((line, index) => index > from && line.startsWith(end));
  if (from < 0 || to < 0) throw new Error(`${docPath}: no section from "${start}" to "${end}"`);
  return lines.slice(from, to).join('\n');
}

describe(`${docPath}: names only what the code has`, () => {
  const source = productSource();

  it('every metric of "Metrics that matter" is one the gateway registers', () => {
    const names = [...section('**Metrics that matter**', '**Alerts.**').matchAll(/`(lgsp_[a-z_]+?)(?:_count|_bucket|_sum)?(?:\{[^`]*\})?`/g)].map((match) => match[1]!);
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(names.filter((name) => !source.includes(`'${name}'`))).toEqual([]);
  });

  it('every log message of "Logs" is one the gateway writes', () => {
    const rows = section('**Logs.**', '```sh').split('\n').filter((line) => line.startsWith('| `'));
    const messages = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
    expect(messages.length).toBeGreaterThanOrEqual(10);
    expect(messages.filter((message) => !source.includes(`'${message}'`))).toEqual([]);
  });

  it('every repository file it names exists (the chart\'s aside, which its own branch brings)', () => {
    const paths = [...doc.matchAll(/`((?:src|test|config|docs|bench|scripts)\/[A-Za-z0-9_./-]+)`/g)].map((match) => match[1]!);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    expect(paths.filter((path) => !existsSync(fromProjectRoot(path)))).toEqual([]);
  });
});

describe('the shell block reader', () => {
  const block = (language: string, ...lines: string[]): FencedBlock => ({ language, line: 10, lines });

  it('reads fences with their language and line, ``` and ~~~, longer fences holding shorter ones', () => {
    const markdown = ['intro', '```sh', 'ls', '```', '', '~~~yaml', 'a: 1', '~~~', '````text', '```sh', 'not a block', '```', '````', '```', 'no language', '```'].join('\n');
    expect(fencedBlocks(markdown)).toEqual([
      { language: 'sh', line: 2, lines: ['ls'] },
      { language: 'yaml', line: 6, lines: ['a: 1'] },
      { language: 'text', line: 9, lines: ['```sh', 'not a block', '```'] },
      { language: '', line: 14, lines: ['no language'] },
    ]);
  });

  it('reads the marker from the first non-empty line', () => {
    expect(blockMarker(block('sh', '', '# tested: test/operations/x.test.ts', 'ls'))).toEqual({ kind: 'tested', testFile: 'test/operations/x.test.ts' });
    expect(blockMarker(block('sh', '# needs a cluster', 'kubectl get pods'))).toEqual({ kind: 'needs', what: 'a cluster' });
    expect(blockMarker(block('sh', '# values: adjust to your site', 'A=1'))).toEqual({ kind: 'values' });
    expect(blockMarker(block('sh', 'ls   # needs a cluster'))).toEqual({ kind: 'none', firstLine: 'ls   # needs a cluster' });
  });

  it('joins continuation lines, drops comments, keeps # inside quotes and words', () => {
    expect(shellCommands(block('sh', '# tested: t', '# a comment', 'pg_dump --format=custom \\', '    --file="$BACKUP"   "$DB"   # why', '', "echo 'a # b' x#y"))).toEqual([
      { line: 13, text: 'pg_dump --format=custom --file="$BACKUP" "$DB"' },
      { line: 16, text: "echo 'a # b' x#y" },
    ]);
    expect(withoutTrailingComment('kubectl get pods -l "app=#1" # list')).toBe('kubectl get pods -l "app=#1"');
  });

  it('tells plain assignments from commands', () => {
    expect(isPlainAssignment('export PGHOST=db.example.gov.vn PGPORT=5432 PGUSER=lgsp')).toBe(true);
    expect(isPlainAssignment('BACKUP=/var/backups/lgsp/lgsp.dump')).toBe(true);
    expect(isPlainAssignment('URL="postgresql://$PGUSER@$PGHOST/lgsp"')).toBe(true);
    expect(isPlainAssignment('BACKUP=lgsp-$(date +%F).dump')).toBe(false);
    expect(isPlainAssignment('A=1; rm -rf x')).toBe(false);
    expect(isPlainAssignment('pg_dump lgsp')).toBe(false);
  });
});
