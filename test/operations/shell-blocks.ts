/**
 * The shell commands of a Markdown document, for docs/operations.md's
 * honesty check (operations-doc.test.ts): every fenced block, its language,
 * its marker line and its commands as a reader would type them.
 */

/** Fence languages whose blocks hold commands to type. */
export const shellLanguages = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

export interface FencedBlock {
  /** The fence's info string, first word ('' when the fence names none). */
  language: string;
  /** 1-based line of the opening fence. */
  line: number;
  lines: string[];
}

export interface ShellCommand {
  /** 1-based line in the document where the command starts. */
  line: number;
  /** As written, continuation lines joined, trailing comment removed. */
  text: string;
}

export type BlockMarker =
  | { kind: 'tested'; testFile: string }
  | { kind: 'needs'; what: string }
  | { kind: 'values' }
  | { kind: 'none'; firstLine: string };

/** Every fenced block (``` or ~~~), in order. An unclosed fence runs to the end of the document. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; block: FencedBlock } | undefined;
  lines.forEach((text, index) => {
    if (!open) {
      const opening = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (opening) open = { fence: opening[1]!, block: { language: opening[2]!.toLowerCase(), line: index + 1, lines: [] } };
      return;
    }
    const closing = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (closing.test(text)) {
      blocks.push(open.block);
      open = undefined;
      return;
    }
    open.block.lines.push(text);
  });
  if (open) blocks.push(open.block);
  return blocks;
}

/**
 * The block's first non-empty line, read as its marker:
 * `# tested: <test file>`, `# needs <what>` or `# values`.
 */
export function blockMarker(block: FencedBlock): BlockMarker {
  const first = block.lines.find((line) => line.trim() !== '')?.trim() ?? '';
  const tested = /^#\s*tested:\s*(\S+)\s*$/.exec(first);
  if (tested) return { kind: 'tested', testFile: tested[1]! };
  const needs = /^#\s*needs\s+(.+?)\s*$/.exec(first);
  if (needs) return { kind: 'needs', what: needs[1]! };
  if (/^#\s*values\b/.test(first)) return { kind: 'values' };
  return { kind: 'none', firstLine: first };
}

/**
 * The commands of a shell block: comment-only lines dropped, a line ending
 * in `\` joined with the next, a trailing `# comment` (outside quotes)
 * removed. Line numbers count from the document's first line.
 */
export function shellCommands(block: FencedBlock): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let pending: { line: number; parts: string[] } | undefined;
  block.lines.forEach((raw, index) => {
    const line = block.line + 1 + index;
    if (!pending && (raw.trim() === '' || raw.trim().startsWith('#'))) return;
    const code = withoutTrailingComment(raw);
    const continued = /\\\s*$/.test(code);
    const part = continued ? code.replace(/\\\s*$/, '') : code;
    pending ??= { line, parts: [] };
    pending.parts.push(part);
    if (!continued) {
      commands.push({ line: pending.line, text: normaliseCommand(pending.parts.join(' ')) });
      pending = undefined;
    }
  });
  if (pending) commands.push({ line: pending.line, text: normaliseCommand(pending.parts.join(' ')) });
  return commands.filter((command) => command.text !== '');
}

/** Runs of whitespace become one space; ends trimmed. How commands are compared with a test file's text. */
export function normaliseCommand(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The line without a `#` comment that starts outside quotes after whitespace (or at the start). */
export function withoutTrailingComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/**
 * A `# values` block holds assignments only (`NAME=value`, or `export` of
 * several): nothing in it runs. A value may use `$OTHER` but no command
 * substitution, pipe, redirection or list.
 */
export function isPlainAssignment(command: string): boolean {
  if (/\$\(|`|[|;&<>]/.test(command)) return false;
  const assignment = String.raw`[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|[^\s"']*)`;
  return new RegExp(`^(export\\s+)?${assignment}(\\s+${assignment})*$`).test(command);
}
