import { SoapAnswerReader } from './soap-answer-reader.js';
import { shapeOf } from './soap-answer-shape.js';

/**
 * The one-pass reader on its own, with a schema written here (as node-soap's
 * describe() gives it). The parity with node-soap's own reader over the
 * recorded answers is in connectors/<id>/client.test.ts; this file holds the
 * edges those answers do not reach.
 */
const resultShape = shapeOf({
  Code: 'xs:string',
  Count: 'xs:int',
  Amount: 'xs:decimal',
  Found: 'xs:boolean',
  When: 'xs:dateTime',
  'Item[]': 'xs:string',
  Person: { Name: 'xs:string', 'Phone[]': 'xs:string', Address: { Line: 'xs:string' } },
  'Group[]': { Title: 'xs:string', 'Row[]': { Value: 'xs:string' } },
  targetNSAlias: 'a',
  targetNamespace: 'urn:a',
});
const reader = new SoapAnswerReader({ name: 'LookupResponse', array: false, children: resultShape }, ['LookupResponse', 'Lookup', 'LookupOut']);

const envelope = (body: string, header = '') =>
  `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${header}<soap:Body>\n${body}\n</soap:Body></soap:Envelope>`;
const answer = (content: string) => `<a:LookupResponse xmlns:a="urn:a">\n  ${content}\n</a:LookupResponse>`;
const resultOf = (content: string) => {
  const read = reader.read(envelope(answer(content)));
  if (read.kind !== 'result') throw new Error(`not a result: ${JSON.stringify(read)}`);
  return read.result;
};

describe('SoapAnswerReader: values', () => {
  it('reads elements by local name, text trimmed, entities and CDATA decoded and joined, comments and PIs skipped', () => {
    expect(resultOf('<a:Code>  A &amp; B &lt;c&gt; &#273;&#x1EA1; <![CDATA[ <raw> & ]]><!-- note --><?pi x?> z </a:Code>')).toEqual({ Code: "A & B <c> đạ<raw> &z" });
    // Decoded first, then trimmed: spaces written as references at the edges go too.
    expect(resultOf('<a:Code>&#32;x&#x20;</a:Code><b:Unknown xmlns:b="urn:b">\u00a0y\u00a0</b:Unknown>')).toEqual({ Code: 'x', Unknown: 'y' });
  });

  it('converts simple types as node-soap does', () => {
    const result = resultOf('<a:Count> 42 </a:Count><a:Amount>1.50</a:Amount><a:Found>TRUE</a:Found><a:When>2025-01-02T03:04:05Z</a:When>') as Record<string, unknown>;
    expect(result).toEqual({ Count: 42, Amount: 1.5, Found: true, When: new Date('2025-01-02T03:04:05Z') });
    expect(resultOf('<a:Found>1</a:Found><a:Count>x</a:Count>')).toEqual({ Found: true, Count: NaN });
  });

  it("reads an empty element as '' where the schema says xs:string, null otherwise", () => {
    expect(resultOf('<a:Code/><a:Count></a:Count><a:Person>\n</a:Person><a:Other/>')).toEqual({ Code: '', Count: null, Person: null, Other: null });
  });

  it('makes arrays of elements the schema repeats even when one arrives, and of any element that arrives twice', () => {
    expect(resultOf('<a:Item>one</a:Item><a:Code>c</a:Code>')).toEqual({ Item: ['one'], Code: 'c' });
    expect(resultOf('<a:Code>1</a:Code><a:Code>2</a:Code><a:Extra>x</a:Extra><a:Extra>y</a:Extra><a:Extra>z</a:Extra>')).toEqual({ Code: ['1', '2'], Extra: ['x', 'y', 'z'] });
    expect(resultOf('<a:Item>1</a:Item><a:Code>c</a:Code><a:Item>2</a:Item>')).toEqual({ Item: ['1', '2'], Code: 'c' });
  });

  it('shapes nested arrays by their own schema', () => {
    const groups = '<a:Group><a:Title>t1</a:Title><a:Row><a:Value>1</a:Value></a:Row></a:Group><a:Group><a:Title>t2</a:Title><a:Row><a:Value>2</a:Value></a:Row><a:Row><a:Value/></a:Row></a:Group>';
    expect(resultOf(groups)).toEqual({ Group: [{ Title: 't1', Row: [{ Value: '1' }] }, { Title: 't2', Row: [{ Value: '2' }, { Value: '' }] }] });
    expect(resultOf('<a:Person><a:Name>N</a:Name><a:Phone>1</a:Phone><a:Address><a:Line>L</a:Line></a:Address></a:Person>')).toEqual({
      Person: { Name: 'N', Phone: ['1'], Address: { Line: 'L' } },
    });
  });

  it('leaves out nil elements, counting them towards an array but keeping none, and keeps the first occurrence\'s place', () => {
    expect(resultOf('<a:Code xsi:nil="true"/><a:Count>1</a:Count>')).toEqual({ Count: 1 });
    expect(resultOf('<a:Person xsi:nil="1"><a:Name>n</a:Name></a:Person>')).toBeNull();
    expect(resultOf('<a:Code>1</a:Code><a:Code xsi:nil="true"/>')).toEqual({ Code: ['1'] });
    expect(resultOf('<a:Item xsi:nil="true"/><a:Item xsi:nil="true"/>')).toBeNull();
    const ordered = resultOf('<a:Code xsi:nil="true"/><a:Count>1</a:Count><a:Code>2</a:Code>') as Record<string, unknown>;
    expect(ordered).toEqual({ Code: ['2'], Count: 1 });
    expect(Object.keys(ordered)).toEqual(['Code', 'Count']);
    // nil="false" is an ordinary attribute.
    expect(resultOf('<a:Code xsi:nil="false">x</a:Code>')).toEqual({ Code: { attributes: { nil: 'false' }, $value: 'x' } });
  });

  it('puts attributes under `attributes` and text beside them under `$value`, untyped attributes, no namespace declarations', () => {
    expect(resultOf(`<a:Count unit="pcs" xmlns:q="urn:q" q:kind='x > y'> 7 </a:Count>`)).toEqual({ Count: { attributes: { unit: 'pcs', kind: 'x > y' }, $value: 7 } });
    expect(resultOf('<a:Code lang="vi"/>')).toEqual({ Code: { attributes: { lang: 'vi' } } });
    expect(resultOf('<a:Person id="1"><a:Name>n</a:Name>text</a:Person>')).toEqual({ Person: { Name: 'n', attributes: { id: '1' }, $value: 'text' } });
    // An attribute named __proto__ sets nothing (and reaches no prototype).
    expect(resultOf('<a:Code __proto__="x">c</a:Code>')).toEqual({ Code: 'c' });
  });

  it('reads the result under the names node-soap looks for, and an absent or nil result as undefined', () => {
    expect(reader.read(envelope('<a:Lookup xmlns:a="urn:a"><a:Code>c</a:Code></a:Lookup>'))).toEqual({ kind: 'result', result: { Code: 'c' } });
    expect(reader.read(envelope('<a:Other xmlns:a="urn:a"><a:Code>c</a:Code></a:Other>'))).toEqual({ kind: 'result', result: undefined });
    expect(reader.read(envelope('<a:LookupResponse xmlns:a="urn:a" xsi:nil="true"/>'))).toEqual({ kind: 'result', result: undefined });
    expect(reader.read(envelope('<a:LookupResponse xmlns:a="urn:a"/>'))).toEqual({ kind: 'result', result: null });
  });

  it('reads a result element sent twice as node-soap does: keyed by position, without the schema, nil ones left out', () => {
    const twice = envelope(`${answer('<a:Count>1</a:Count>')}<a:LookupResponse xmlns:a="urn:a" xsi:nil="true"/>${answer('<a:Item>2</a:Item>')}`);
    expect(reader.read(twice)).toEqual({ kind: 'result', result: { 0: { Count: '1' }, 2: { Item: '2' } } });
    // The reader is reused: the next answer reads with the schema again.
    expect(resultOf('<a:Count>1</a:Count>')).toEqual({ Count: 1 });
  });
});

describe('SoapAnswerReader: faults', () => {
  it('reads a Fault before any result, detail without a schema', () => {
    const fault = '<soap:Fault><faultcode>soap:Server</faultcode><faultstring> busy </faultstring><detail><e:Error xmlns:e="urn:e"><e:Code>DC-99</e:Code></e:Error></detail></soap:Fault>';
    expect(reader.read(envelope(`${answer('<a:Code>c</a:Code>')}${fault}`))).toEqual({
      kind: 'fault',
      fault: { faultcode: 'soap:Server', faultstring: 'busy', detail: { Error: { Code: 'DC-99' } } },
    });
    expect(reader.read(envelope('<soap:Fault><faultcode/><detail/></soap:Fault>'))).toEqual({ kind: 'fault', fault: { faultcode: '', detail: '' } });
  });

  it('reads a Fault that is empty, nil or sent twice as node-soap does', () => {
    expect(reader.read(envelope('<soap:Fault/>'))).toEqual({ kind: 'fault', fault: {} });
    expect(reader.read(envelope('<soap:Fault xsi:nil="true"><faultcode>x</faultcode></soap:Fault>'))).toEqual({ kind: 'fault', fault: {} });
    expect(reader.read(envelope('<soap:Fault><faultcode>a</faultcode></soap:Fault><soap:Fault><faultcode>b</faultcode></soap:Fault>'))).toEqual({
      kind: 'fault',
      fault: { 0: { faultcode: 'a' }, 1: { faultcode: 'b' } },
    });
  });
});

describe('SoapAnswerReader: not SOAP', () => {
  it.each([
    ['nothing', ''],
    ['blanks', '  \n '],
    ['JSON', '{"status":"OK","data":[{"SoDinhDanh":'],
    ['plain text', 'upstream timed out'],
    ['an HTML error page', '<html><head><title>500</title></head><body><h1>500</h1></body></html>'],
    ['a document that is not an Envelope', '<a:LookupResponse xmlns:a="urn:a"/>'],
    ['two Envelopes', `${envelope(answer(''))}${envelope(answer(''))}`],
    ['an Envelope without a Body', '<soap:Envelope xmlns:soap="urn:s"><soap:Header/></soap:Envelope>'],
    ['two Bodies', '<soap:Envelope xmlns:soap="urn:s"><soap:Body><x/></soap:Body><soap:Body><x/></soap:Body></soap:Envelope>'],
    ['an empty Body', '<soap:Envelope xmlns:soap="urn:s"><soap:Body xmlns:q="urn:q"> </soap:Body></soap:Envelope>'],
    ['a Body of text only', '<soap:Envelope xmlns:soap="urn:s"><soap:Body>text</soap:Body></soap:Envelope>'],
  ])('%s', (_name, text) => {
    expect(reader.read(text)).toEqual({ kind: 'not-soap' });
  });

  it('reads a Body with an attribute and nothing else as an answer without a result (as node-soap)', () => {
    expect(reader.read('<soap:Envelope xmlns:soap="urn:s"><soap:Body id="1"/></soap:Envelope>')).toEqual({ kind: 'result', result: undefined });
  });
});

describe('SoapAnswerReader: refusals', () => {
  it.each([
    ['a DOCTYPE (no entity expansion, ever)', `<!DOCTYPE a [<!ENTITY x "xx">]>${envelope(answer('<a:Code>&x;</a:Code>'))}`],
    ['an unknown entity', envelope(answer('<a:Code>&nbsp;</a:Code>'))],
    ['a bare ampersand', envelope(answer('<a:Code>fish & chips</a:Code>'))],
    ['a character reference beyond Unicode', envelope(answer('<a:Code>&#x110000;</a:Code>'))],
    ['an unknown entity in an attribute', envelope(answer('<a:Code a="&bogus;">x</a:Code>'))],
    ['an unknown entity in the Header, which is not otherwise read', envelope(answer('<a:Code>x</a:Code>'), '<soap:Header><h a="&bogus;">&bogus;</h></soap:Header>')],
    ['a mismatched closing tag', envelope(answer('<a:Person><a:Name>n</a:Person></a:Name>'))],
    ['a closing tag for a text element with another name', envelope(answer('<a:Code>x</a:Count>'))],
    ['an unclosed element', envelope(answer('<a:Person><a:Name>n</a:Name>')).replace('</soap:Envelope>', '')],
    ['a stray closing tag', `${envelope(answer(''))}</a>`],
    ['text before the document element', `hello ${envelope(answer(''))}`],
    ['text after the document element', `${envelope(answer(''))} trailing`],
    ['CDATA outside the document element', `${envelope(answer(''))}<![CDATA[x]]>`],
    ['an unterminated comment', envelope(answer('<a:Code><!-- </a:Code>'))],
    ['an unterminated start tag', '<soap:Envelope xmlns:soap="urn:s'],
    ['an element without a name', envelope(answer('<>x</>'))],
    ['nesting deeper than 100', envelope(answer(`${'<a:Person>'.repeat(100)}${'</a:Person>'.repeat(100)}`))],
    ['an element named __proto__ (prototype pollution)', envelope(answer('<a:__proto__><polluted>yes</polluted></a:__proto__>'))],
    ['an element named constructor', envelope(answer('<constructor>x</constructor>'))],
    ['an element named prototype, in the Header', envelope(answer(''), '<soap:Header><prototype/></soap:Header>')],
    ['an element named like an attribute key', envelope(answer('<a:Person><@_id>1</@_id></a:Person>'))],
    ['an element named like a text key', envelope(answer('<a:Person><#text>1</#text></a:Person>'))],
  ])('refuses %s: not SOAP', (_name, text) => {
    expect(reader.read(text)).toEqual({ kind: 'not-soap' });
  });

  it('accepts blanks inside closing tags, as a trimmed name compares', () => {
    expect(resultOf('<a:Code>x</a:Code ><a:Person><a:Name>n</a:Name\n></ a:Person>')).toEqual({ Code: 'x', Person: { Name: 'n' } });
  });

  it('reads the next answer cleanly after refusing one halfway through', () => {
    expect(reader.read(envelope(answer('<a:Person><a:Group><a:Row>&bogus;</a:Row></a:Group></a:Person>')))).toEqual({ kind: 'not-soap' });
    expect(resultOf('<a:Code>c</a:Code>')).toEqual({ Code: 'c' });
  });

  it('does not pollute Object.prototype through element or attribute names', () => {
    reader.read(envelope(answer('<a:Code __proto__="x" constructor="y">c</a:Code><toString>t</toString><hasOwnProperty>h</hasOwnProperty>')));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(resultOf('<toString>t</toString><toString>u</toString>')).toEqual({ toString: ['t', 'u'] });
  });
});
