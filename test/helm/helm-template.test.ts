import { coalesceValues, formatGoFloat, fromPlain, GoMethod, GoStruct, semverSatisfies, TemplateSet, type Value } from '../support/helm-template.js';

/**
 * The test renderer (test/support/helm-template.ts) against Go text/template, Sprig and Helm semantics:
 * each expectation is what `helm template` gives for the same template and values.
 */
function render(source: string, values: Record<string, unknown> = {}, extra: Record<string, Value | GoMethod> = {}): string {
  const set = new TemplateSet().add('t.yaml', source);
  return set.execute('t.yaml', new GoStruct('chartutil.Values', { Values: fromPlain(values), ...extra }));
}

describe('helm-template: lexing and whitespace', () => {
  it('trims with {{- and -}} (every space, tab and newline on that side), not without', () => {
    expect(render('a  \n {{- "b" -}} \n\t c')).toBe('abc');
    expect(render('a {{ "b" }} c')).toBe('a b c');
    expect(render('x:\n  {{- "y" }}\n')).toBe('x:y\n');
  });

  it('drops comments, trimming around them when asked', () => {
    expect(render('a {{/* note */}} b')).toBe('a  b');
    expect(render('a\n{{- /* note */ -}}\nb')).toBe('ab');
  });

  it('reads {{-3}} as the number -3, not a trim marker (Go needs a space after the dash)', () => {
    expect(render('a {{-3}}')).toBe('a -3');
  });

  it('knows Go string escapes and raw strings', () => {
    expect(render('{{ "a\\tb\\n\\u00e9" }}')).toBe('a\tb\né');
    expect(render('{{ `a\\n` }}')).toBe('a\\n');
  });
});

describe('helm-template: values as Helm sees them', () => {
  it('prints numbers from values as Go prints a float64 (1e+06 from a million on), template literals as ints', () => {
    expect(render('{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }}', { a: 8080, b: 123456, c: 1000000, d: 134217728, e: 0.5 })).toBe('8080 123456 1e+06 1.34217728e+08 0.5');
    expect(render('{{ 1000000 }}')).toBe('1000000');
    expect(['0.0001', '1e-05', '-2.5e+07'].map((text) => formatGoFloat(Number(text)))).toEqual(['0.0001', '1e-05', '-2.5e+07']);
  });

  it('int turns a float64 into an int (what printf %d needs), truncating', () => {
    expect(render('{{ .Values.a | int }} {{ printf "%d" (int .Values.b) }}', { a: 134217728, b: 2.9 })).toBe('134217728 2');
    expect(() => render('{{ printf "%d" .Values.a }}', { a: 3 })).toThrow(/%d of a float64/);
  });

  it('refuses eq between a float64 from values and an int literal, as text/template does; int makes them comparable', () => {
    expect(() => render('{{ eq .Values.replicas 1 }}', { replicas: 1 })).toThrow(/incompatible types for comparison/);
    expect(render('{{ eq (int .Values.replicas) 1 }} {{ eq .Values.name "a" "b" }} {{ ne "x" "y" }}', { replicas: 1, name: 'b' })).toBe('true true true');
    expect(render('{{ eq .Values.missing "x" }}', {})).toBe('false');
    expect(render('{{ lt 1 2 }} {{ gt 2.5 1.5 }} {{ le 2 2 }} {{ ge "a" "b" }}')).toBe('true true true false');
  });

  it('gives nil for a missing key (printed empty, as Helm strips <no value>), and a nil-pointer error one level further', () => {
    expect(render('[{{ .Values.missing }}]', {})).toBe('[]');
    expect(() => render('{{ .Values.missing.deeper }}', {})).toThrow(/nil pointer evaluating interface \{\}\.deeper/);
  });

  it('refuses to print a list or a map (Go would print map[a:b]): toYaml renders them', () => {
    expect(() => render('{{ .Values.m }}', { m: { a: 'b' } })).toThrow(/toYaml/);
  });
});

describe('helm-template: control structures', () => {
  it('if / else if / else with Go truth (0, "", empty list and map, nil and false are false)', () => {
    const template = '{{ if .Values.a }}a{{ else if .Values.b }}b{{ else }}none{{ end }}';
    expect(render(template, { a: 1 })).toBe('a');
    expect(render(template, { a: 0, b: 'x' })).toBe('b');
    expect(render(template, { a: [], b: {} })).toBe('none');
    expect(render(template, { a: false, b: '' })).toBe('none');
  });

  it('ranges over a map in sorted key order, as Go does, and over a list with int indexes', () => {
    expect(render('{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }} {{ end }}', { m: { b: 1, a: 2, c: 3 } })).toBe('a=2 b=1 c=3 ');
    expect(render('{{ range .Values.m }}{{ . }}{{ end }}', { m: { b: 1, a: 2 } })).toBe('21');
    expect(render('{{ range $i, $v := list "x" "y" }}{{ $i }}{{ $v }}{{ end }}')).toBe('0x1y');
    expect(render('{{ range .Values.none }}x{{ else }}empty{{ end }}', { none: [] })).toBe('empty');
    expect(render('{{ range .Values.missing }}x{{ end }}done', {})).toBe('done');
  });

  it('with rebinds dot, and runs its else with the outer dot', () => {
    expect(render('{{ with .Values.a }}{{ .b }}{{ end }}', { a: { b: 'in' } })).toBe('in');
    expect(render('{{ with .Values.a }}{{ . }}{{ else }}{{ .Values.c }}{{ end }}', { a: '', c: 'outer' })).toBe('outer');
  });

  it('and / or short-circuit (Go 1.18) and return an operand, not a bool', () => {
    expect(render('{{ if and false (fail "evaluated") }}x{{ else }}no{{ end }}')).toBe('no');
    expect(render('{{ or "" "second" }} {{ and "a" "b" }} {{ or 0 "" }}|')).toBe('second b |');
    expect(render('{{ not .Values.missing }}', {})).toBe('true');
  });
});

describe('helm-template: variables', () => {
  it('$ is the data; assignment with = changes the outer variable, := inside a block is gone after it', () => {
    expect(render('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}')).toBe('b');
    expect(render('{{ $x := "a" }}{{ if true }}{{ $x := "b" }}{{ $x }}{{ end }}{{ $x }}')).toBe('ba');
    expect(render('{{ range list 1 2 }}{{ $.Values.n }}{{ end }}', { n: 'v' })).toBe('vv');
  });

  it('checks variables when parsing, as Go does: a branch never taken cannot use an undefined one', () => {
    expect(() => render('{{ if false }}{{ $nope }}{{ end }}')).toThrow(/undefined variable "\$nope"/);
    expect(() => render('{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}')).toThrow(/undefined variable "\$y"/);
  });
});

describe('helm-template: named templates', () => {
  it('define / include / template, each run with its own $ (the data passed)', () => {
    const source = '{{- define "greet" }}hi {{ .name }}{{ $.name }}{{ end -}}\n{{ include "greet" (dict "name" "A") }}|{{ template "greet" .Values }}';
    expect(render(source, { name: 'B' })).toBe('hi AA|hi BB');
  });

  it('refuses a template defined twice, and an unknown one', () => {
    expect(() => new TemplateSet().add('a', '{{ define "x" }}1{{ end }}').add('b', '{{ define "x" }}2{{ end }}')).toThrow(/defined twice/);
    expect(() => render('{{ include "nope" . }}')).toThrow(/no template "nope"/);
  });
});

describe('helm-template: Sprig and Helm functions', () => {
  it('nindent and indent (every line, empty ones too)', () => {
    expect(render('a:{{ "x\\ny" | nindent 2 }}')).toBe('a:\n  x\n  y');
    expect(render('{{ "a\\n\\nb" | indent 2 }}')).toBe('  a\n  \n  b');
    expect(() => render('{{ "x" | nindent .Values.n }}', { n: 2 })).toThrow(/expected int; got float64/);
  });

  it('default: the given value unless it is empty (nil, "", 0, false, empty list or map)', () => {
    const template = '{{ default "d" .Values.v }}';
    expect(['', 0, false, [], {}, null].map((v) => render(template, { v }))).toEqual(['d', 'd', 'd', 'd', 'd', 'd']);
    expect(render(template, {})).toBe('d');
    expect(render(template, { v: 'set' })).toBe('set');
    expect(render('{{ .Values.v | default 5 }}', { v: 7 })).toBe('7');
  });

  it('required fails on nil and "" only; fail fails', () => {
    expect(() => render('{{ required "need v" .Values.v }}', {})).toThrow('need v');
    expect(() => render('{{ required "need v" .Values.v }}', { v: '' })).toThrow('need v');
    expect(render('{{ required "need v" .Values.v }}', { v: 0 })).toBe('0');
    expect(() => render('{{ fail "stop" }}')).toThrow('stop');
  });

  it('quote (Go %q, nil left out, numbers as Go prints them), squote, toString', () => {
    expect(render('{{ quote "a\\"b" .Values.n .Values.missing }}', { n: 1000000 })).toBe('"a\\"b" "1e+06"');
    expect(render('{{ "cảnh báo" | quote }} {{ squote "x" }} {{ toString true }}')).toBe('"cảnh báo" \'x\' true');
  });

  it('toYaml: map keys sorted, no trailing newline, the same data back; toJson', () => {
    const values = { m: { b: [1, 'two', { d: true }], a: null, c: 'x: y' } };
    expect(render('{{ toYaml .Values.m }}', values)).toBe('a: null\nb:\n  - 1\n  - two\n  - d: true\nc: "x: y"');
    expect(render('{{ toJson .Values.m }}', values)).toBe('{"b":[1,"two",{"d":true}],"a":null,"c":"x: y"}');
  });

  it('printf with %s %d %v %q %%, and refuses what it does not know', () => {
    expect(render('{{ printf "%s-%d %v %q 100%%" "a" 3 .Values.f "q" }}', { f: 1.5 })).toBe('a-3 1.5 "q" 100%');
    expect(() => render('{{ printf "%5s" "a" }}')).toThrow(/not supported/);
    expect(() => render('{{ printf "%s" 3 }}')).toThrow(/%s of a int/);
  });

  it('trunc, trimSuffix, trimPrefix, replace, contains, hasPrefix, lower, trim', () => {
    expect(render('{{ "abcdef" | trunc 3 }} {{ "abcdef" | trunc -2 }} {{ "ab-" | trimSuffix "-" }} {{ "ab" | trimPrefix "a" }}')).toBe('abc ef ab b');
    expect(render('{{ "1.0+x" | replace "+" "_" }} {{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }} {{ lower "AB" }} [{{ trim "  x \\n" }}]')).toBe('1.0_x true true ab [x]');
  });

  it('dict, list, append, hasKey, set, dig, deepCopy, empty, coalesce, ternary, len, index', () => {
    expect(render('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ toYaml $d }}')).toBe('a: 1\nb: 2');
    expect(render('{{ $l := list "a" }}{{ $l = append $l "b" }}{{ toYaml $l }} {{ len $l }}')).toBe('- a\n- b 2');
    expect(render('{{ hasKey .Values "a" }} {{ hasKey .Values "z" }}', { a: null })).toBe('true false');
    expect(render('{{ dig "a" "b" "def" .Values }} {{ dig "a" "x" "def" .Values }} {{ dig "z" "y" "def" .Values }}', { a: { b: 'found' } })).toBe('found def def');
    expect(render('{{ dig "a" "b" true .Values }}', { a: { b: false } })).toBe('false');
    expect(render('{{ $c := deepCopy .Values.m }}{{ $_ := set $c "k" "changed" }}{{ .Values.m.k }}', { m: { k: 'orig' } })).toBe('orig');
    expect(render('{{ empty .Values.l }} {{ coalesce "" 0 "x" }} {{ ternary "y" "n" true }} {{ index .Values.l 1 }} {{ index .Values.m "k" }}', { l: ['a', 'b'], m: { k: 'v' } })).toBe('false x y b v');
    expect(() => render('{{ ternary "y" "n" "true" }}')).toThrow(/expected bool/);
  });

  it('integer arithmetic as Sprig does it (int64, division truncates): a ceiling in milliseconds to seconds', () => {
    expect(render('{{ div (add .Values.ms 999) 1000 }} {{ div (add 20001 999) 1000 }} {{ add 1 2.7 }} {{ mul 5 1000 }} {{ sub 5 7 }} {{ max 1 3 2 }} {{ add1 1 }}', { ms: 20000 })).toBe('20 21 3 5000 -2 3 2');
    expect(() => render('{{ div 1 0 }}')).toThrow(/divide by zero/);
  });

  it('sha256sum of the rendered text', () => {
    expect(render('{{ "abc" | sha256sum }}')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('semverCompare as Masterminds/semver: a pre-release version satisfies only a constraint naming one', () => {
    expect(semverSatisfies('>=1.30.0-0', '1.30.0')).toBe(true);
    expect(semverSatisfies('>=1.30.0-0', '1.29.9')).toBe(false);
    expect(semverSatisfies('>=1.30.0-0', '1.31.2-gke.1000')).toBe(true);
    expect(semverSatisfies('>=1.30.0', '1.31.2-gke.1000')).toBe(false);
    expect(semverSatisfies('<1.30', 'v1.29.3')).toBe(true);
    expect(() => semverSatisfies('^1.30 || ~1.2', '1.30.0')).toThrow(/not supported/);
  });

  it('method calls on Helm objects: the last element of the chain gets the arguments', () => {
    const files = new GoStruct('engine.files', { Get: new GoMethod('Get', (args) => `content of ${String(args[0])}`) });
    expect(render('{{ .Files.Get "a.json" }}|{{ $.Files.Get "b" | quote }}', {}, { Files: files })).toBe('content of a.json|"content of b"');
    expect(() => render('{{ .Files.Nope }}', {}, { Files: files })).toThrow(/can't evaluate field Nope in type engine.files/);
  });
});

describe('helm-template: throws on what it does not know', () => {
  it.each([
    ['an unknown function, even in a branch never taken', '{{ if false }}{{ tpl "x" . }}{{ end }}', /function "tpl" not defined/],
    ['block', '{{ block "x" . }}{{ end }}', /not supported/],
    ['break', '{{ range list 1 }}{{ break }}{{ end }}', /not supported/],
    ['else with', '{{ with 1 }}{{ else with 2 }}{{ end }}', /not supported/],
    ['a character constant', "{{ 'a' }}", /character constants/],
    ['a hex number', '{{ 0x1F }}', /not supported/],
    ['an unclosed action', '{{ "a" ', /unclosed action/],
    ['a missing end', '{{ if true }}x', /missing end/],
    ['an argument given to a non-function', '{{ .Values "x" }}', /can't give argument to non-function/],
  ])('%s', (_name, source, message) => {
    expect(() => render(source as string)).toThrow(message as RegExp);
  });
});

describe('helm-template: values coalescing', () => {
  it('user values merge maps deeply, replace lists and scalars, and null removes a default', () => {
    const merged = coalesceValues({ a: { b: 1, c: 2, l: [1, 2] }, d: 'x', e: { f: 1 } }, { a: { c: 3, l: [9] }, e: null }, { d: 'y' });
    expect(merged).toEqual({ a: { b: 1, c: 3, l: [9] }, d: 'y' });
  });
});
