/**
 * A deliberately small interpreter of Go's text/template and of the Helm and Sprig functions the
 * lgsp-gateway chart (helm/lgsp-gateway) uses. Tests only.
 *
 * Why it exists: this machine has no helm binary and no Go toolchain, and npm offers no faithful
 * Helm renderer (the one Go-template engine there, a WASM build, has none of Sprig's or Helm's
 * functions). The chart's tests still need to render the templates and look at the manifests.
 *
 * What it is: a SUBSET, on purpose. It knows actions with `{{-`/`-}}` trimming and comments,
 * pipelines, parenthesized commands, variables (`:=`, `=`, `$`), if / else if / else, with, range
 * over lists and maps (maps in sorted key order, as Go does), define / template / include, the
 * objects .Values .Release .Chart .Capabilities .Files, Go's builtins and the Sprig/Helm functions
 * listed in `functions` below. Everything else — an unknown function or keyword, `block`,
 * `break`, a printf verb or flag it does not know, a function given the wrong type — THROWS, so a
 * template it cannot render faithfully fails the test instead of rendering something else. Keep the
 * chart inside this vocabulary (or extend it here, with a unit test against Go's semantics).
 *
 * It reproduces the traps that matter: numbers from values are float64 in Helm (printed the way Go
 * prints them: 1000000 → 1e+06), template literals and Sprig arithmetic are int, and comparing the
 * two (`eq .Values.replicas 1`) is an error; a field of a missing map key is a nil-pointer error;
 * variables are checked when the template is parsed, not when a branch runs. Where Helm's output
 * differs only in form (toYaml's quoting and line folding) it produces the same data, not the same
 * bytes — checksums it computes are therefore its own, not Helm's.
 *
 * `helm lint` and `helm template` remain the real check: test/helm/helm-cli.test.ts runs them where
 * a helm binary is on PATH, and says so plainly where it is not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments, parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => void;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

// ---------------------------------------------------------------------------------------------
// Values. Go's int is a bigint here, Go's float64 a number (Helm reads every number in values as
// float64); string, bool, nil (null), []interface{} (array), map[string]interface{} (plain object),
// and the few structs Helm hands to templates (GoStruct, with GoMethod members).
// ---------------------------------------------------------------------------------------------

export type Value = null | string | number | bigint | boolean | Value[] | GoMap | GoStruct;
export interface GoMap {
  [key: string]: Value;
}

export class GoMethod {
  constructor(
    readonly name: string,
    readonly call: (args: Value[]) => Value,
  ) {}
}

export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Record<string, Value | GoMethod>,
  ) {}
}

function isMap(value: unknown): value is GoMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof GoStruct) && !(value instanceof GoMethod);
}

function typeName(value: Value | undefined): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof GoStruct) return value.typeName;
  return 'map[string]interface {}';
}

/** Go's fmt %v of a float64: shortest digits, exponent form below 1e-4 or from 1e+06 on (%g with the shortest precision). */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** fmt.Sprint of one value (what an action prints, and Sprig's strval). Lists and maps are refused: the chart renders them with toYaml. */
function printValue(value: Value | undefined): string {
  if (value === undefined || value === null) return ''; // Go prints <no value>; Helm removes it from the output
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new TemplateError(`printing a ${typeName(value)} (Go would print its fmt form, e.g. map[a:b]): render it with toYaml or toJson`);
}

/** Go's text/template truth: false, 0, nil, and empty strings, lists and maps are false. */
export function isTrue(value: Value | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof GoStruct) return true;
  return Object.keys(value).length > 0;
}

/** Sprig's empty (default, coalesce). */
function isEmpty(value: Value | undefined): boolean {
  return !isTrue(value);
}

/** Go's strconv.Quote (fmt %q): printable characters kept, others escaped. */
function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
    if (named[code] !== undefined) out += named[code];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code <= 0x9f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Plain data for the YAML/JSON serializers (Go ints become numbers). */
function toPlain(value: Value | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof GoStruct) throw new TemplateError(`cannot serialize a ${value.typeName}`);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  return value;
}

/** Values from YAML or JSON as Go sees them after Helm read them: every number a float64. */
export function fromPlain(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, fromPlain(item)]));
  throw new TemplateError(`unsupported value ${String(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Lexer: text and actions, with trim markers and comments.
// ---------------------------------------------------------------------------------------------

type Token =
  | { t: 'field'; name: string; space: boolean }
  | { t: 'dot'; space: boolean }
  | { t: 'var'; name: string; space: boolean }
  | { t: 'ident'; name: string; space: boolean }
  | { t: 'string'; value: string; space: boolean }
  | { t: 'number'; value: bigint | number; space: boolean }
  | { t: 'bool'; value: boolean; space: boolean }
  | { t: 'nil'; space: boolean }
  | { t: '(' | ')' | '|' | ',' | ':=' | '='; space: boolean };

type Item = { k: 'text'; text: string } | { k: 'action'; tokens: Token[]; line: number } | { k: 'comment' };

const keywords = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\r' || char === '\n';

function lex(source: string, name: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  const lineAt = (offset: number) => source.slice(0, offset).split('\n').length;
  const fail = (offset: number, message: string): never => {
    throw new TemplateError(`template: ${name}:${lineAt(offset)}: ${message}`);
  };
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open === -1) {
      items.push({ k: 'text', text });
      break;
    }
    let cursor = open + 2;
    if (source[cursor] === '-' && isSpace(source[cursor + 1])) {
      text = text.replace(/[ \t\r\n]+$/, '');
      cursor += 2;
    }
    items.push({ k: 'text', text });
    // A comment: /* ... */ right after the delimiter (and its trim marker), right before the closing one.
    let probe = cursor;
    while (isSpace(source[probe])) probe++;
    if (source.startsWith('/*', probe)) {
      if (probe !== cursor) fail(open, 'space before a comment inside an action: Go wants {{/* or {{- /*');
      const end = source.indexOf('*/', probe + 2);
      if (end === -1) fail(open, 'unclosed comment');
      let after = end + 2;
      if (source.startsWith(' -}}', after) || source.startsWith('\t-}}', after) || source.startsWith('\n-}}', after)) {
        trimNext = true;
        after += 4;
      } else if (source.startsWith('}}', after)) {
        after += 2;
      } else fail(end, 'comment ends without closing delimiter');
      items.push({ k: 'comment' });
      pos = after;
      continue;
    }
    const tokens: Token[] = [];
    let space = true;
    for (;;) {
      const char = source[cursor];
      if (char === undefined) fail(open, 'unclosed action');
      if (isSpace(char)) {
        if (source[cursor + 1] === '-' && source.startsWith('}}', cursor + 2)) {
          trimNext = true;
          cursor += 4;
          break;
        }
        cursor++;
        space = true;
        continue;
      }
      if (source.startsWith('}}', cursor)) {
        cursor += 2;
        break;
      }
      const start = cursor;
      const push = (token: Token) => {
        tokens.push(token);
        space = false;
      };
      if (char === '(' || char === ')' || char === '|' || char === ',') {
        push({ t: char, space });
        cursor++;
      } else if (source.startsWith(':=', cursor)) {
        push({ t: ':=', space });
        cursor += 2;
      } else if (char === '=') {
        push({ t: '=', space });
        cursor++;
      } else if (char === '"') {
        let value = '';
        cursor++;
        for (;;) {
          const c = source[cursor];
          if (c === undefined || c === '\n') fail(start, 'unterminated quoted string');
          if (c === '"') break;
          if (c === '\\') {
            const e = source[cursor + 1];
            const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
            if (e !== undefined && simple[e] !== undefined) {
              value += simple[e];
              cursor += 2;
            } else if (e === 'x' || e === 'u' || e === 'U') {
              const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
              const hex = source.slice(cursor + 2, cursor + 2 + width);
              if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) fail(cursor, `bad escape \\${e}${hex}`);
              value += String.fromCodePoint(parseInt(hex, 16));
              cursor += 2 + width;
            } else fail(cursor, `escape \\${e} not supported by this renderer`);
            continue;
          }
          value += c;
          cursor++;
        }
        cursor++;
        push({ t: 'string', value, space });
      } else if (char === '`') {
        const end = source.indexOf('`', cursor + 1);
        if (end === -1) fail(start, 'unterminated raw string');
        push({ t: 'string', value: source.slice(cursor + 1, end), space });
        cursor = end + 1;
      } else if (char === "'") {
        fail(start, 'character constants are not supported by this renderer');
      } else if (/[0-9]/.test(char) || ((char === '-' || char === '+') && /[0-9]/.test(source[cursor + 1] ?? ''))) {
        const match = /^[-+]?[0-9][0-9A-Za-z_.]*(?:[eE][-+]?[0-9]+)?/.exec(source.slice(cursor))![0];
        if (/^[-+]?[0-9]+$/.test(match)) push({ t: 'number', value: BigInt(match), space });
        else if (/^[-+]?[0-9]+\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(match) || /^[-+]?[0-9]+[eE][-+]?[0-9]+$/.test(match)) push({ t: 'number', value: Number(match), space });
        else fail(start, `number ${match} not supported by this renderer (decimal ints and floats only)`);
        cursor += match.length;
      } else if (char === '.') {
        const match = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(cursor));
        if (match) {
          push({ t: 'field', name: match[0].slice(1), space });
          cursor += match[0].length;
        } else if (/[0-9]/.test(source[cursor + 1] ?? '')) {
          fail(start, 'numbers starting with a dot are not supported by this renderer');
        } else {
          push({ t: 'dot', space });
          cursor++;
        }
      } else if (char === '$') {
        const match = /^\$[A-Za-z0-9_]*/.exec(source.slice(cursor))![0];
        push({ t: 'var', name: match, space });
        cursor += match.length;
      } else if (/[A-Za-z_]/.test(char)) {
        const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(cursor))![0];
        if (match === 'true' || match === 'false') push({ t: 'bool', value: match === 'true', space });
        else if (match === 'nil') push({ t: 'nil', space });
        else push({ t: 'ident', name: match, space });
        cursor += match.length;
      } else {
        fail(start, `unexpected ${JSON.stringify(char)} in action`);
      }
    }
    items.push({ k: 'action', tokens, line: lineAt(open) });
    pos = cursor;
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Parser: items → a tree, with Go's parse-time checks (defined functions and variables).
// ---------------------------------------------------------------------------------------------

type Operand =
  | { k: 'dot' }
  | { k: 'nil' }
  | { k: 'literal'; value: Value }
  | { k: 'field'; chain: string[] }
  | { k: 'var'; name: string; chain: string[] }
  | { k: 'ident'; name: string }
  | { k: 'pipe'; pipe: Pipeline; chain: string[] };

interface Command {
  args: Operand[];
}
interface Pipeline {
  decl?: { names: string[]; assign: boolean };
  cmds: Command[];
}

type TemplateNode =
  | { k: 'text'; text: string }
  | { k: 'action'; pipe: Pipeline; line: number }
  | { k: 'if'; branches: Array<{ pipe: Pipeline; body: TemplateNode[] }>; elseBody?: TemplateNode[] }
  | { k: 'range'; pipe: Pipeline; body: TemplateNode[]; elseBody?: TemplateNode[] }
  | { k: 'with'; pipe: Pipeline; body: TemplateNode[]; elseBody?: TemplateNode[] }
  | { k: 'template'; name: string; pipe?: Pipeline };

class Parser {
  private index = 0;
  private vars: string[] = ['$'];
  readonly defines = new Map<string, TemplateNode[]>();

  constructor(
    private readonly items: Item[],
    private readonly name: string,
    private readonly knownFunctions: ReadonlySet<string>,
  ) {}

  private fail(line: number | undefined, message: string): never {
    throw new TemplateError(`template: ${this.name}${line === undefined ? '' : `:${line}`}: ${message}`);
  }

  parseTop(): TemplateNode[] {
    const { nodes, stop } = this.list(true);
    if (stop) this.fail(stop.line, `unexpected {{${stop.word}}}`);
    return nodes;
  }

  /** Nodes up to an {{end}} or {{else ...}} (returned as the stop); at top level, defines are collected. */
  private list(top = false): { nodes: TemplateNode[]; stop?: { word: 'end' | 'else'; tokens: Token[]; line: number } } {
    const nodes: TemplateNode[] = [];
    while (this.index < this.items.length) {
      const item = this.items[this.index++]!;
      if (item.k === 'text') {
        if (item.text) nodes.push({ k: 'text', text: item.text });
        continue;
      }
      if (item.k === 'comment') continue;
      const [first, ...rest] = item.tokens;
      if (!first) this.fail(item.line, 'missing value for command');
      const word = first.t === 'ident' && keywords.has(first.name) ? first.name : undefined;
      switch (word) {
        case 'end':
          if (rest.length) this.fail(item.line, 'unexpected tokens after end');
          return { nodes, stop: { word: 'end', tokens: rest, line: item.line } };
        case 'else':
          return { nodes, stop: { word: 'else', tokens: rest, line: item.line } };
        case 'if':
          nodes.push(this.ifNode(rest, item.line));
          break;
        case 'range':
        case 'with':
          nodes.push(this.rangeOrWith(word, rest, item.line));
          break;
        case 'define': {
          if (!top) this.fail(item.line, 'define is allowed at top level only');
          const nameToken = rest[0];
          if (rest.length !== 1 || nameToken?.t !== 'string') this.fail(item.line, 'define wants one quoted name');
          const saved = this.vars;
          this.vars = ['$'];
          const body = this.list();
          this.vars = saved;
          if (body.stop?.word !== 'end') this.fail(item.line, `define ${nameToken.value}: missing end`);
          if (this.defines.has(nameToken.value)) this.fail(item.line, `template ${nameToken.value} defined twice`);
          this.defines.set(nameToken.value, body.nodes);
          break;
        }
        case 'template': {
          const nameToken = rest[0];
          if (nameToken?.t !== 'string') this.fail(item.line, 'template wants a quoted name');
          nodes.push({ k: 'template', name: nameToken.value, ...(rest.length > 1 && { pipe: this.pipeline(rest.slice(1), item.line) }) });
          break;
        }
        case undefined:
          nodes.push({ k: 'action', pipe: this.pipeline(item.tokens, item.line, true), line: item.line });
          break;
        default:
          this.fail(item.line, `{{${word}}} is not supported by this renderer`);
      }
    }
    return { nodes };
  }

  private ifNode(tokens: Token[], line: number): TemplateNode {
    const mark = this.vars.length;
    const branches: Array<{ pipe: Pipeline; body: TemplateNode[] }> = [];
    let pipe = this.pipeline(tokens, line);
    let elseBody: TemplateNode[] | undefined;
    for (;;) {
      const body = this.list();
      branches.push({ pipe, body: body.nodes });
      if (!body.stop) this.fail(line, 'if: missing end');
      if (body.stop.word === 'end') break;
      const [next, ...rest] = body.stop.tokens;
      if (next?.t === 'ident' && next.name === 'if') {
        pipe = this.pipeline(rest, body.stop.line);
        continue;
      }
      if (next) this.fail(body.stop.line, 'only {{else}} and {{else if ...}} are supported');
      const tail = this.list();
      if (tail.stop?.word !== 'end') this.fail(line, 'if: missing end after else');
      elseBody = tail.nodes;
      break;
    }
    this.vars.length = mark;
    return { k: 'if', branches, ...(elseBody && { elseBody }) };
  }

  private rangeOrWith(word: 'range' | 'with', tokens: Token[], line: number): TemplateNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(tokens, line, false, word === 'range');
    const body = this.list();
    if (!body.stop) this.fail(line, `${word}: missing end`);
    let elseBody: TemplateNode[] | undefined;
    if (body.stop.word === 'else') {
      if (body.stop.tokens.length) this.fail(body.stop.line, `{{else ...}} after ${word} is not supported by this renderer`);
      const tail = this.list();
      if (tail.stop?.word !== 'end') this.fail(line, `${word}: missing end after else`);
      elseBody = tail.nodes;
    }
    this.vars.length = mark;
    return { k: word, pipe, body: body.nodes, ...(elseBody && { elseBody }) };
  }

  private pipeline(tokens: Token[], line: number, allowAssign = true, rangeDecl = false): Pipeline {
    let rest = tokens;
    let decl: Pipeline['decl'];
    // $x := ..., $x = ..., and in range: $i, $v := ...
    const declared = (): string[] | undefined => {
      if (rest[0]?.t !== 'var') return undefined;
      if (rest[1]?.t === ':=' || rest[1]?.t === '=') return [rest[0].name];
      if (rangeDecl && rest[1]?.t === ',' && rest[2]?.t === 'var' && rest[3]?.t === ':=') return [rest[0].name, rest[2].name];
      return undefined;
    };
    const names = declared();
    if (names) {
      const assign = rest[names.length === 2 ? 3 : 1]!.t === '=';
      if (assign && !allowAssign) this.fail(line, 'assignment is not supported here by this renderer');
      rest = rest.slice(names.length === 2 ? 4 : 2);
      decl = { names, assign };
    }
    const cmds: Command[] = [];
    let current: Operand[] = [];
    let i = 0;
    const operand = (): Operand => {
      const token = rest[i++]!;
      let result: Operand;
      switch (token.t) {
        case 'dot':
          result = { k: 'dot' };
          break;
        case 'nil':
          return { k: 'nil' };
        case 'string':
        case 'number':
        case 'bool':
          return { k: 'literal', value: token.value };
        case 'field': {
          const chain = [token.name];
          while (rest[i]?.t === 'field' && !rest[i]!.space) chain.push((rest[i++] as { name: string }).name);
          return { k: 'field', chain };
        }
        case 'var': {
          if (!this.vars.includes(token.name)) this.fail(line, `undefined variable "${token.name}"`);
          result = { k: 'var', name: token.name, chain: [] };
          break;
        }
        case 'ident':
          if (keywords.has(token.name)) this.fail(line, `unexpected keyword ${token.name} in command`);
          if (!this.knownFunctions.has(token.name)) this.fail(line, `function "${token.name}" not defined (not in this renderer's subset)`);
          return { k: 'ident', name: token.name };
        case '(': {
          let depth = 1;
          const start = i;
          while (i < rest.length && depth > 0) {
            if (rest[i]!.t === '(') depth++;
            if (rest[i]!.t === ')') depth--;
            i++;
          }
          if (depth !== 0) this.fail(line, 'unclosed left paren');
          result = { k: 'pipe', pipe: this.pipeline(rest.slice(start, i - 1), line, false), chain: [] };
          break;
        }
        default:
          this.fail(line, `unexpected "${token.t}" in operand`);
      }
      if (result.k === 'dot' && rest[i]?.t === 'field' && !rest[i]!.space) this.fail(line, 'unexpected . after term');
      if (result.k === 'var' || result.k === 'pipe') {
        while (rest[i]?.t === 'field' && !rest[i]!.space) result.chain.push((rest[i++] as { name: string }).name);
      }
      return result;
    };
    while (i < rest.length) {
      const token = rest[i]!;
      if (token.t === '|') {
        if (!current.length) this.fail(line, 'missing command before |');
        cmds.push({ args: current });
        current = [];
        i++;
        continue;
      }
      if (token.t === ')' || token.t === ',' || token.t === ':=' || token.t === '=') this.fail(line, `unexpected "${token.t}"`);
      current.push(operand());
    }
    if (!current.length) this.fail(line, 'missing value for command');
    cmds.push({ args: current });
    if (decl && !decl.assign) this.vars.push(...decl.names);
    if (decl?.assign && !this.vars.includes(decl.names[0]!)) this.fail(line, `undefined variable "${decl.names[0]}"`);
    return { ...(decl && { decl }), cmds };
  }
}

// ---------------------------------------------------------------------------------------------
// Functions: Go's builtins, then Sprig's and Helm's, each as Go defines it (types checked).
// ---------------------------------------------------------------------------------------------

interface CallContext {
  include(name: string, data: Value): string;
}
type TemplateFunction = (args: Value[], context: CallContext) => Value;

function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new TemplateError(`wrong number of args for ${name}: want ${min === max ? min : `${min}..${max}`} got ${args.length}`);
}
function str(name: string, value: Value | undefined): string {
  if (typeof value !== 'string') throw new TemplateError(`${name}: wrong type for value; expected string; got ${typeName(value)}`);
  return value;
}
function goInt(name: string, value: Value | undefined): bigint {
  // Go converts only untyped constants (our int literals) to an int parameter; a float64 from values is an error.
  if (typeof value !== 'bigint') throw new TemplateError(`${name}: wrong type for value; expected int; got ${typeName(value)}`);
  return value;
}
function goMap(name: string, value: Value | undefined): GoMap {
  if (!isMap(value)) throw new TemplateError(`${name}: wrong type for value; expected map[string]interface {}; got ${typeName(value)}`);
  return value;
}
/** Sprig's toInt64 (spf13/cast): floats truncate, numeric strings parse; anything else is refused here (cast would give 0). */
function toInt64(name: string, value: Value | undefined): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'string' && /^\s*[-+]?[0-9]+(\.0*)?\s*$/.test(value)) return BigInt(value.trim().replace(/\.0*$/, ''));
  throw new TemplateError(`${name}: cannot convert ${typeName(value)} ${JSON.stringify(toPlain(value ?? null))} to an int (Sprig would silently give 0)`);
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'nil' | 'other';
function basicKind(value: Value | undefined): Kind {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'string';
  return 'other';
}

/** text/template's eq: basic kinds only, int vs float64 is an error ("incompatible types for comparison"); nil equals only nil. */
function goEq(a: Value, b: Value): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || kb === 'other') throw new TemplateError(`eq: non-comparable type ${typeName(ka === 'other' ? a : b)}`);
  if (ka !== kb) {
    if (ka === 'nil' || kb === 'nil') return false;
    throw new TemplateError(`error calling eq: incompatible types for comparison (${typeName(a)} and ${typeName(b)})`);
  }
  return a === b;
}
function goLess(name: string, a: Value, b: Value): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new TemplateError(`error calling ${name}: incompatible types for comparison (${typeName(a)} and ${typeName(b)})`);
  if (ka === 'int' || ka === 'float' || ka === 'string') return (a as number) < (b as number);
  throw new TemplateError(`error calling ${name}: invalid type for comparison`);
}

/** Go's fmt.Sprintf for the verbs this chart uses: %s (strings), %d (ints), %v, %q, %%. Anything else throws. */
function goSprintf(format: string, args: Value[]): string {
  let argIndex = 0;
  const next = (verb: string): Value => {
    if (argIndex >= args.length) throw new TemplateError(`printf: missing argument for %${verb} (Go would print %!${verb}(MISSING))`);
    return args[argIndex++]!;
  };
  const out = format.replace(/%(.)/gs, (_whole, verb: string) => {
    switch (verb) {
      case '%':
        return '%';
      case 's': {
        const value = next(verb);
        if (typeof value !== 'string') throw new TemplateError(`printf: %s of a ${typeName(value)} (Go would print %!s(${typeName(value)}=...))`);
        return value;
      }
      case 'd': {
        const value = next(verb);
        if (typeof value !== 'bigint') throw new TemplateError(`printf: %d of a ${typeName(value)} (Go would print %!d(${typeName(value)}=...)); convert with int`);
        return value.toString();
      }
      case 'v':
        return printValue(next(verb));
      case 'q': {
        const value = next(verb);
        if (typeof value !== 'string') throw new TemplateError(`printf: %q of a ${typeName(value)} is not supported by this renderer`);
        return goQuote(value);
      }
      default:
        throw new TemplateError(`printf: verb or flag %${verb} is not supported by this renderer`);
    }
  });
  if (argIndex < args.length) throw new TemplateError(`printf: ${args.length - argIndex} extra argument(s) (Go would append %!(EXTRA ...))`);
  return out;
}

/** fmt.Sprint: operands joined, a space between two operands when neither is a string. */
function goSprint(args: Value[]): string {
  let out = '';
  args.forEach((arg, index) => {
    if (index > 0 && typeof arg !== 'string' && typeof args[index - 1] !== 'string') out += ' ';
    out += printValue(arg);
  });
  return out;
}

/** Masterminds/semver, as Sprig's semverCompare uses it: one constraint `<op>X[.Y[.Z]][-pre]`, op one of >= > <= < =. */
export function semverSatisfies(constraint: string, version: string): boolean {
  const constraintMatch = /^\s*(>=|<=|>|<|=)?\s*v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z.-]+))?\s*$/.exec(constraint);
  if (!constraintMatch) throw new TemplateError(`semverCompare: constraint ${JSON.stringify(constraint)} is not supported by this renderer (one comparison only)`);
  const versionMatch = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!versionMatch) throw new TemplateError(`semverCompare: invalid semantic version ${JSON.stringify(version)}`);
  const [, op = '=', cMajor, cMinor = '0', cPatch = '0', cPre] = constraintMatch;
  const [, vMajor, vMinor = '0', vPatch = '0', vPre] = versionMatch;
  // Masterminds: a pre-release version only satisfies a constraint that names a pre-release.
  if (vPre !== undefined && cPre === undefined) return false;
  const cmp = compareSemver([Number(vMajor), Number(vMinor), Number(vPatch)], vPre, [Number(cMajor), Number(cMinor), Number(cPatch)], cPre);
  return { '>=': cmp >= 0, '>': cmp > 0, '<=': cmp <= 0, '<': cmp < 0, '=': cmp === 0 }[op]!;
}

function compareSemver(a: number[], aPre: string | undefined, b: number[], bPre: string | undefined): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  if (aPre === bPre) return 0;
  if (aPre === undefined) return 1;
  if (bPre === undefined) return -1;
  const ap = aPre.split('.');
  const bp = bPre.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Helm's toYaml: sigs.k8s.io/yaml (map keys sorted), trailing newline removed. Same data as Helm's, not necessarily the same quoting. */
export function helmToYaml(value: Value): string {
  return stringifyYaml(toPlain(value), { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

function deepCopy(value: Value): Value {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)]));
  if (value instanceof GoStruct) throw new TemplateError('deepCopy of a struct is not supported by this renderer');
  return value;
}

export const functions: Record<string, TemplateFunction> = {
  // Go text/template builtins (and/or are evaluated lazily in evalCommand, as Go does).
  and: () => {
    throw new Error('unreachable');
  },
  or: () => {
    throw new Error('unreachable');
  },
  not: (args) => (arity('not', args, 1), !isTrue(args[0])),
  eq: (args) => {
    if (args.length < 2) throw new TemplateError('error calling eq: missing argument for comparison');
    return args.slice(1).some((other) => goEq(args[0]!, other));
  },
  ne: (args) => (arity('ne', args, 2), !goEq(args[0]!, args[1]!)),
  lt: (args) => (arity('lt', args, 2), goLess('lt', args[0]!, args[1]!)),
  le: (args) => (arity('le', args, 2), goLess('le', args[0]!, args[1]!) || goEq(args[0]!, args[1]!)),
  gt: (args) => (arity('gt', args, 2), goLess('gt', args[1]!, args[0]!)),
  ge: (args) => (arity('ge', args, 2), goLess('ge', args[1]!, args[0]!) || goEq(args[0]!, args[1]!)),
  len: (args) => {
    arity('len', args, 1);
    const value = args[0]!;
    if (typeof value === 'string') return BigInt(Buffer.byteLength(value));
    if (Array.isArray(value)) return BigInt(value.length);
    if (isMap(value)) return BigInt(Object.keys(value).length);
    throw new TemplateError(`error calling len: len of type ${typeName(value)}`);
  },
  index: (args) => {
    if (args.length < 1) throw new TemplateError('wrong number of args for index');
    let value: Value = args[0]!;
    for (const key of args.slice(1)) {
      if (Array.isArray(value)) {
        const i = goInt('index', key);
        if (i < 0n || i >= BigInt(value.length)) throw new TemplateError(`error calling index: index out of range: ${i}`);
        value = value[Number(i)]!;
      } else if (isMap(value)) {
        value = Object.prototype.hasOwnProperty.call(value, str('index', key)) ? value[key as string]! : null;
      } else if (value === null) {
        throw new TemplateError('error calling index: index of untyped nil');
      } else throw new TemplateError(`error calling index: can't index item of type ${typeName(value)}`);
    }
    return value;
  },
  print: (args) => goSprint(args),
  printf: (args) => {
    if (args.length < 1) throw new TemplateError('wrong number of args for printf');
    return goSprintf(str('printf', args[0]), args.slice(1));
  },

  // Sprig and Helm.
  default: (args) => {
    arity('default', args, 1, 2);
    return args.length < 2 || isEmpty(args[1]) ? args[0]! : args[1]!;
  },
  empty: (args) => (arity('empty', args, 1), isEmpty(args[0])),
  coalesce: (args) => args.find((arg) => !isEmpty(arg)) ?? null,
  ternary: (args) => {
    arity('ternary', args, 3);
    if (typeof args[2] !== 'boolean') throw new TemplateError(`ternary: wrong type for value; expected bool; got ${typeName(args[2])}`);
    return args[2] ? args[0]! : args[1]!;
  },
  required: (args) => {
    arity('required', args, 2);
    const [message, value] = args;
    if (value === null || value === '') throw new TemplateError(str('required', message));
    return value!;
  },
  fail: (args) => {
    arity('fail', args, 1);
    throw new TemplateError(str('fail', args[0]));
  },
  quote: (args) => args.filter((arg) => arg !== null).map((arg) => goQuote(printValue(arg))).join(' '),
  squote: (args) => args.filter((arg) => arg !== null).map((arg) => `'${printValue(arg)}'`).join(' '),
  toString: (args: Value[]) => (arity('toString', args, 1), printValue(args[0])),
  toYaml: (args) => (arity('toYaml', args, 1), helmToYaml(args[0]!)),
  toJson: (args) => (arity('toJson', args, 1), JSON.stringify(toPlain(args[0]))),
  indent: (args) => {
    arity('indent', args, 2);
    const pad = ' '.repeat(Number(goInt('indent', args[0])));
    return pad + str('indent', args[1]).replaceAll('\n', `\n${pad}`);
  },
  nindent: (args) => {
    arity('nindent', args, 2);
    const pad = ' '.repeat(Number(goInt('nindent', args[0])));
    return `\n${pad}${str('nindent', args[1]).replaceAll('\n', `\n${pad}`)}`;
  },
  trunc: (args) => {
    arity('trunc', args, 2);
    const count = Number(goInt('trunc', args[0]));
    const bytes = Buffer.from(str('trunc', args[1]));
    if (count < 0 && bytes.length + count > 0) return bytes.subarray(bytes.length + count).toString();
    if (count >= 0 && bytes.length > count) return bytes.subarray(0, count).toString();
    return bytes.toString();
  },
  trimSuffix: (args) => {
    arity('trimSuffix', args, 2);
    const [suffix, text] = [str('trimSuffix', args[0]), str('trimSuffix', args[1])];
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  trimPrefix: (args) => {
    arity('trimPrefix', args, 2);
    const [prefix, text] = [str('trimPrefix', args[0]), str('trimPrefix', args[1])];
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  replace: (args) => (arity('replace', args, 3), str('replace', args[2]).replaceAll(str('replace', args[0]), str('replace', args[1]))),
  trim: (args) => (arity('trim', args, 1), str('trim', args[0]).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/g, '')),
  lower: (args) => (arity('lower', args, 1), str('lower', args[0]).toLowerCase()),
  contains: (args) => (arity('contains', args, 2), str('contains', args[1]).includes(str('contains', args[0]))),
  hasPrefix: (args) => (arity('hasPrefix', args, 2), str('hasPrefix', args[1]).startsWith(str('hasPrefix', args[0]))),
  dict: (args) => {
    if (args.length % 2 !== 0) throw new TemplateError('dict: an odd number of arguments (Sprig would pair the last key with an empty string)');
    const result: GoMap = {};
    for (let i = 0; i < args.length; i += 2) result[printValue(args[i]!)] = args[i + 1]!;
    return result;
  },
  list: (args) => [...args],
  append: (args) => {
    arity('append', args, 2);
    if (!Array.isArray(args[0])) throw new TemplateError(`append: cannot append to a ${typeName(args[0])}`);
    return [...args[0], args[1]!];
  },
  hasKey: (args) => (arity('hasKey', args, 2), Object.prototype.hasOwnProperty.call(goMap('hasKey', args[0]), str('hasKey', args[1]))),
  set: (args) => {
    arity('set', args, 3);
    const map = goMap('set', args[0]);
    map[str('set', args[1])] = args[2]!;
    return map;
  },
  dig: (args) => {
    if (args.length < 3) throw new TemplateError('dig: wants keys, a default and a map');
    const keys = args.slice(0, -2).map((key) => str('dig', key));
    let value: Value = goMap('dig', args[args.length - 1]);
    for (const key of keys) {
      const map = goMap(`dig (at ${key})`, value);
      if (!Object.prototype.hasOwnProperty.call(map, key)) return args[args.length - 2]!;
      value = map[key]!;
    }
    return value;
  },
  deepCopy: (args) => (arity('deepCopy', args, 1), deepCopy(args[0]!)),
  sha256sum: (args) => (arity('sha256sum', args, 1), createHash('sha256').update(str('sha256sum', args[0])).digest('hex')),
  add: (args) => args.reduce<bigint>((sum, arg) => sum + toInt64('add', arg), 0n),
  add1: (args) => (arity('add1', args, 1), toInt64('add1', args[0]) + 1n),
  sub: (args) => (arity('sub', args, 2), toInt64('sub', args[0]) - toInt64('sub', args[1])),
  mul: (args) => args.reduce<bigint>((product, arg) => product * toInt64('mul', arg), 1n),
  div: (args) => {
    arity('div', args, 2);
    const divisor = toInt64('div', args[1]);
    if (divisor === 0n) throw new TemplateError('div: integer divide by zero');
    return toInt64('div', args[0]) / divisor; // BigInt division truncates toward zero, as Go's does
  },
  max: (args) => {
    if (args.length < 1) throw new TemplateError('wrong number of args for max');
    return args.map((arg) => toInt64('max', arg)).reduce((a, b) => (b > a ? b : a));
  },
  int: (args) => (arity('int', args, 1), toInt64('int', args[0])),
  semverCompare: (args) => (arity('semverCompare', args, 2), semverSatisfies(str('semverCompare', args[0]), str('semverCompare', args[1]))),
  include: (args, context) => (arity('include', args, 2), context.include(str('include', args[0]), args[1]!)),
};

// ---------------------------------------------------------------------------------------------
// Execution.
// ---------------------------------------------------------------------------------------------

interface Variable {
  name: string;
  value: Value;
}

export class TemplateSet {
  private readonly files = new Map<string, TemplateNode[]>();
  private readonly defines = new Map<string, TemplateNode[]>();
  private readonly known: ReadonlySet<string>;
  private depth = 0;

  /** `extraFunctions`: for the renderer's own tests (e.g. a probe that records calls); the chart gets the standard set. */
  constructor(private readonly extra: Record<string, TemplateFunction> = {}) {
    this.known = new Set([...Object.keys(functions), ...Object.keys(extra)]);
  }

  /** Parse a template file; its defines join the set (Helm parses every file of a chart together). */
  add(name: string, source: string): this {
    const parser = new Parser(lex(source, name), name, this.known);
    this.files.set(name, parser.parseTop());
    for (const [defined, body] of parser.defines) {
      if (this.defines.has(defined)) throw new TemplateError(`template: ${name}: template ${defined} defined twice`);
      this.defines.set(defined, body);
    }
    return this;
  }

  /** Execute one parsed file with `data` as dot. */
  execute(name: string, data: Value): string {
    const nodes = this.files.get(name);
    if (!nodes) throw new TemplateError(`no template file ${name}`);
    return this.run(nodes, data, name);
  }

  /** Execute a defined template (what include does). */
  executeDefined(name: string, data: Value): string {
    const nodes = this.defines.get(name);
    if (!nodes) throw new TemplateError(`template: no template "${name}" associated with template set`);
    if (++this.depth > 1000) throw new TemplateError(`rendering template has a nested reference name: ${name}: unable to execute template (recursion)`);
    try {
      return this.run(nodes, data, name);
    } finally {
      this.depth--;
    }
  }

  private run(nodes: TemplateNode[], data: Value, name: string): string {
    const vars: Variable[] = [{ name: '$', value: data }];
    const out: string[] = [];
    try {
      this.walk(nodes, data, vars, out);
    } catch (error) {
      if (error instanceof TemplateError && !error.message.startsWith('template:')) throw new TemplateError(`template: ${name}: ${error.message}`);
      throw error;
    }
    return out.join('');
  }

  private walk(nodes: TemplateNode[], dot: Value, vars: Variable[], out: string[]): void {
    for (const node of nodes) {
      switch (node.k) {
        case 'text':
          out.push(node.text);
          break;
        case 'action': {
          const value = this.pipeline(node.pipe, dot, vars);
          if (!node.pipe.decl) out.push(printValue(value));
          break;
        }
        case 'if': {
          const mark = vars.length;
          const branch = node.branches.find((candidate) => isTrue(this.pipeline(candidate.pipe, dot, vars)));
          if (branch) this.walk(branch.body, dot, vars, out);
          else if (node.elseBody) this.walk(node.elseBody, dot, vars, out);
          vars.length = mark;
          break;
        }
        case 'with': {
          const mark = vars.length;
          const value = this.pipeline(node.pipe, dot, vars);
          if (isTrue(value)) this.walk(node.body, value, vars, out);
          else if (node.elseBody) this.walk(node.elseBody, dot, vars, out);
          vars.length = mark;
          break;
        }
        case 'range': {
          const mark = vars.length;
          const { decl, ...pipe } = node.pipe;
          const value = this.pipeline(pipe, dot, vars);
          const entries: Array<[Value, Value]> = [];
          if (Array.isArray(value)) value.forEach((item, index) => entries.push([BigInt(index), item]));
          else if (isMap(value)) for (const key of Object.keys(value).sort()) entries.push([key, value[key]!]);
          else if (value !== null) throw new TemplateError(`range can't iterate over ${printValue(value)}`);
          for (const [key, item] of entries) {
            const iteration = vars.length;
            if (decl?.names.length === 1) vars.push({ name: decl.names[0]!, value: item });
            if (decl?.names.length === 2) vars.push({ name: decl.names[0]!, value: key }, { name: decl.names[1]!, value: item });
            this.walk(node.body, item, vars, out);
            vars.length = iteration;
          }
          if (entries.length === 0 && node.elseBody) this.walk(node.elseBody, dot, vars, out);
          vars.length = mark;
          break;
        }
        case 'template': {
          const data = node.pipe ? this.pipeline(node.pipe, dot, vars) : null;
          out.push(this.executeDefined(node.name, data));
          break;
        }
      }
    }
  }

  private pipeline(pipe: Pipeline, dot: Value, vars: Variable[]): Value {
    let value: Value | undefined;
    pipe.cmds.forEach((cmd, index) => {
      value = this.command(cmd, dot, vars, index === 0 ? undefined : value);
    });
    if (pipe.decl) {
      if (pipe.decl.assign) {
        const variable = [...vars].reverse().find((candidate) => candidate.name === pipe.decl!.names[0]);
        if (!variable) throw new TemplateError(`undefined variable: ${pipe.decl.names[0]}`);
        variable.value = value!;
      } else vars.push({ name: pipe.decl.names[0]!, value: value! });
    }
    return value!;
  }

  private command(cmd: Command, dot: Value, vars: Variable[], final: Value | undefined): Value {
    const [first, ...rest] = cmd.args as [Operand, ...Operand[]];
    const extraArgs = () => [...rest.map((operand) => this.operand(operand, dot, vars)), ...(final === undefined ? [] : [final])];
    switch (first.k) {
      case 'ident': {
        if (first.name === 'and' || first.name === 'or') {
          const operands: Array<() => Value> = [...rest.map((operand) => () => this.operand(operand, dot, vars)), ...(final === undefined ? [] : [() => final])];
          if (operands.length === 0) throw new TemplateError(`wrong number of args for ${first.name}: want at least 1 got 0`);
          let value: Value = null;
          for (const evaluate of operands) {
            value = evaluate();
            if (isTrue(value) === (first.name === 'or')) return value;
          }
          return value;
        }
        return this.call(first.name, extraArgs());
      }
      case 'field':
        return this.chain(dot, first.chain, extraArgs(), '.');
      case 'var':
        return this.chain(this.variable(first.name, vars), first.chain, extraArgs(), first.name);
      case 'pipe':
        return this.chain(this.pipeline(first.pipe, dot, vars), first.chain, extraArgs(), '(...)');
      case 'nil':
        throw new TemplateError('nil is not a command');
      default:
        if (rest.length || final !== undefined) throw new TemplateError(`can't give argument to non-function ${first.k === 'dot' ? '.' : JSON.stringify(toPlain(first.value))}`);
        return first.k === 'dot' ? dot : first.value;
    }
  }

  private operand(operand: Operand, dot: Value, vars: Variable[]): Value {
    switch (operand.k) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'literal':
        return operand.value;
      case 'ident':
        // Go calls a function named as an argument with no arguments (e.g. `default list`).
        if (operand.name === 'and' || operand.name === 'or') throw new TemplateError(`wrong number of args for ${operand.name}`);
        return this.call(operand.name, []);
      case 'field':
        return this.chain(dot, operand.chain, [], '.');
      case 'var':
        return this.chain(this.variable(operand.name, vars), operand.chain, [], operand.name);
      case 'pipe':
        return this.chain(this.pipeline(operand.pipe, dot, vars), operand.chain, [], '(...)');
    }
  }

  private call(name: string, args: Value[]): Value {
    const fn = Object.hasOwn(this.extra, name) ? this.extra[name] : Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (!fn) throw new TemplateError(`function "${name}" not defined`);
    try {
      return fn(args, { include: (template, data) => this.executeDefined(template, data) });
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      throw new TemplateError(`error calling ${name}: ${(error as Error).message}`);
    }
  }

  private variable(name: string, vars: Variable[]): Value {
    const variable = [...vars].reverse().find((candidate) => candidate.name === name);
    if (!variable) throw new TemplateError(`undefined variable: ${name}`);
    return variable.value;
  }

  /** A field chain: map keys (missing → nil, as Helm's missingkey=zero), struct fields, methods (the last one gets the arguments). */
  private chain(receiver: Value, chain: string[], args: Value[], start: string): Value {
    let value = receiver;
    chain.forEach((field, index) => {
      const last = index === chain.length - 1;
      if (value === null) throw new TemplateError(`nil pointer evaluating interface {}.${field}`);
      if (value instanceof GoStruct) {
        if (!Object.prototype.hasOwnProperty.call(value.fields, field)) throw new TemplateError(`can't evaluate field ${field} in type ${value.typeName}`);
        const member = value.fields[field]!;
        if (member instanceof GoMethod) {
          value = member.call(last ? args : []);
          return;
        }
        value = member;
      } else if (isMap(value)) {
        value = Object.prototype.hasOwnProperty.call(value, field) ? value[field]! : null;
      } else {
        throw new TemplateError(`can't evaluate field ${field} in type ${typeName(value)}`);
      }
      if (last && args.length) throw new TemplateError(`can't give argument to non-function ${start}${chain.join('.')}`);
    });
    if (chain.length === 0 && args.length) throw new TemplateError(`can't give argument to non-function ${start}`);
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Helm: a chart directory rendered like `helm template` (values coalesced and validated against
// values.schema.json, the built-in objects, partials, NOTES.txt, manifests split on ---).
// ---------------------------------------------------------------------------------------------

export interface RenderChartOptions {
  chartDir: string;
  /** User values (files, --set), applied in order over the chart's values.yaml. */
  values?: ReadonlyArray<Record<string, unknown>>;
  releaseName?: string;
  namespace?: string;
  isUpgrade?: boolean;
  /** The cluster's version as `helm template --kube-version` takes it (default v1.31.0). */
  kubeVersion?: string;
  apiVersions?: readonly string[];
}

export interface RenderedManifest {
  /** templates/… file it came from. */
  source: string;
  document: Record<string, unknown>;
}

export interface RenderedChart {
  /** Rendered text per template file (partials and NOTES.txt excluded). */
  files: Map<string, string>;
  notes: string;
  manifests: RenderedManifest[];
  values: GoMap;
}

/** Helm's coalescing of user values over the chart's: maps merge deeply, anything else replaces, null deletes the key. */
export function coalesceValues(base: Record<string, unknown>, ...overrides: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const merge = (target: Record<string, unknown>, source: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (value === null) delete target[key];
      else if (value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object' && !Array.isArray(existing)) merge(existing as Record<string, unknown>, value as Record<string, unknown>);
      else target[key] = structuredClone(value);
    }
  };
  const result = structuredClone(base);
  for (const override of overrides) merge(result, override);
  return result;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Compiled values schemas by their text (compiling a large one takes a while; tests render many times). */
const compiledSchemas = new Map<string, ValidateFunction>();

export function validateChartValues(chartDir: string, values: Record<string, unknown>): void {
  const schemaFile = join(chartDir, 'values.schema.json');
  if (!existsSync(schemaFile)) return;
  const text = readFileSync(schemaFile, 'utf8');
  let validate = compiledSchemas.get(text);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(text) as object);
    compiledSchemas.set(text, validate);
  }
  if (!validate(values)) {
    const errors = (validate.errors ?? []).map((error) => `- ${error.instancePath || '(root)'}: ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`);
    throw new TemplateError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${errors.join('\n')}`);
  }
}

export function renderChart(options: RenderChartOptions): RenderedChart {
  const { chartDir } = options;
  const chartYaml = parseYaml(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const defaults = (parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
  const merged = coalesceValues(defaults, ...(options.values ?? []));
  validateChartValues(chartDir, merged);

  const kubeVersion = options.kubeVersion ?? 'v1.31.0';
  const kubeMatch = /^v?([0-9]+)\.([0-9]+)/.exec(kubeVersion);
  if (!kubeMatch) throw new TemplateError(`invalid kube version ${kubeVersion}`);
  if (typeof chartYaml.kubeVersion === 'string' && !semverSatisfies(chartYaml.kubeVersion, kubeVersion.replace(/^v?/, ''))) {
    throw new TemplateError(`chart requires kubeVersion: ${chartYaml.kubeVersion} which is incompatible with Kubernetes ${kubeVersion}`);
  }

  const fileContents = new Map<string, string>();
  for (const path of listFiles(chartDir)) {
    const name = relative(chartDir, path).split(sep).join('/');
    if (!name.startsWith('templates/')) fileContents.set(name, readFileSync(path, 'utf8'));
  }
  const chartFieldNames: Record<string, string> = { apiVersion: 'APIVersion', name: 'Name', version: 'Version', appVersion: 'AppVersion', description: 'Description', type: 'Type', kubeVersion: 'KubeVersion', home: 'Home', sources: 'Sources', keywords: 'Keywords', maintainers: 'Maintainers', icon: 'Icon', annotations: 'Annotations' };
  const chartFields = Object.fromEntries(Object.entries(chartYaml).map(([key, value]) => {
    const field = chartFieldNames[key];
    if (!field) throw new TemplateError(`Chart.yaml field ${key} is not supported by this renderer`);
    return [field, fromPlain(value)];
  }));
  const apiVersions = new Set(options.apiVersions ?? []);
  const templateFiles = listFiles(join(chartDir, 'templates'))
    .map((path) => relative(chartDir, path).split(sep).join('/'))
    .sort();

  const templates = new TemplateSet();
  for (const name of templateFiles) templates.add(name, readFileSync(join(chartDir, name), 'utf8'));

  const top = (templateName: string): GoStruct =>
    new GoStruct('chartutil.Values', {
      Values: fromPlain(merged),
      Release: new GoStruct('release', {
        Name: options.releaseName ?? 'lgsp',
        Namespace: options.namespace ?? 'lgsp',
        Service: 'Helm',
        IsInstall: !options.isUpgrade,
        IsUpgrade: Boolean(options.isUpgrade),
        Revision: options.isUpgrade ? 2n : 1n, // an int in Helm
      }),
      Chart: new GoStruct('chart.Metadata', chartFields),
      Capabilities: new GoStruct('chartutil.Capabilities', {
        KubeVersion: new GoStruct('chartutil.KubeVersion', { Version: `v${kubeVersion.replace(/^v/, '')}`, GitVersion: `v${kubeVersion.replace(/^v/, '')}`, Major: kubeMatch[1]!, Minor: kubeMatch[2]! }),
        APIVersions: new GoStruct('chartutil.VersionSet', { Has: new GoMethod('Has', (args) => (arity('Has', args, 1), apiVersions.has(str('Has', args[0])))) }),
      }),
      Files: new GoStruct('engine.files', {
        Get: new GoMethod('Get', (args) => (arity('Files.Get', args, 1), fileContents.get(str('Files.Get', args[0])) ?? '')),
      }),
      Template: new GoStruct('chartutil.Template', { Name: templateName, BasePath: `${String(chartYaml.name)}/templates` }),
    });

  const files = new Map<string, string>();
  let notes = '';
  const manifests: RenderedManifest[] = [];
  for (const name of templateFiles) {
    const base = name.split('/').pop()!;
    if (base.startsWith('_')) continue;
    const text = templates.execute(name, top(`${String(chartYaml.name)}/${name}`));
    if (name === 'templates/NOTES.txt') {
      notes = text;
      continue;
    }
    files.set(name, text);
    // Helm splits on document separators and drops the empty ones.
    for (const part of text.split(/(?:^|\n)---[ \t]*(?=\n|$)/)) {
      if (!part.trim()) continue;
      const parsed = parseAllDocuments(part);
      for (const doc of parsed) {
        if (doc.errors.length) throw new TemplateError(`${name}: rendered YAML does not parse: ${doc.errors[0]!.message}\n${part}`);
        const document = doc.toJS() as unknown;
        if (document === null || document === undefined) continue;
        if (!isMap(document as Value)) throw new TemplateError(`${name}: a rendered document is not a mapping`);
        manifests.push({ source: name, document: document as Record<string, unknown> });
      }
    }
  }
  return { files, notes, manifests, values: fromPlain(merged) as GoMap };
}
