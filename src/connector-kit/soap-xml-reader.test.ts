import { readXml, XmlReadError } from './soap-xml-reader.js';

describe('readXml', () => {
  it('reads elements by local name, text trimmed, repeats as arrays, attributes and mixed text beside', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
      <s:Envelope xmlns:s="urn:s" xmlns:a="urn:a"><s:Body>
        <a:List count="2" a:kind='x > y'>
          <a:Item>  one </a:Item>
          <a:Item/>
          <a:Note lang="vi">chú thích</a:Note>
          <!-- ignored -->
          <a:Empty></a:Empty>
        </a:List>
      </s:Body></s:Envelope>`;
    expect(readXml(xml)).toEqual({
      Envelope: {
        Body: {
          List: { Item: ['one', ''], Note: { '@_lang': 'vi', '#text': 'chú thích' }, Empty: '', '@_count': '2', '@_kind': 'x > y' },
        },
      },
    });
  });

  it('decodes the XML entities and character references, in text and attributes, and joins CDATA', () => {
    expect(readXml('<a t="&quot;q&quot;">&lt;b&gt; &amp; &apos;c&apos; &#273;&#x1EA1; <![CDATA[ <raw> & ]]></a>')).toEqual({
      a: { '@_t': '"q"', '#text': "<b> & 'c' đạ<raw> &" },
    });
  });

  it.each([
    ['a DOCTYPE (no entity expansion, ever)', '<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['a mismatched closing tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['a stray closing tag', '</a>'],
    ['text outside the document element', 'hello <a/>'],
    ['JSON', '{"status":"OK","data":[{"SoDinhDanh":'],
    ['nothing', '   '],
    ['an unterminated comment', '<a><!-- </a>'],
    ['nesting deeper than 100', `${'<a>'.repeat(102)}${'</a>'.repeat(102)}`],
    ['an element named __proto__ (prototype pollution)', '<a><__proto__><polluted>yes</polluted></__proto__></a>'],
    ['an element named constructor', '<a><constructor>x</constructor></a>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => readXml(xml)).toThrow(XmlReadError);
  });
});
