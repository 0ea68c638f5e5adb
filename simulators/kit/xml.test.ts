import { renderXmlElement } from './xml.js';

describe('renderXmlElement', () => {
  it('writes empty elements for empty strings, leaves out undefined members and escapes text', () => {
    const xml = renderXmlElement(
      'Root',
      { Present: 'a < b & c', Empty: '', Missing: undefined, Nested: { Leaf: 'x' }, Repeated: ['1', '2'] },
      { prefix: 'ns1', rootAttributes: { 'xmlns:ns1': 'urn:x' } },
    );
    expect(xml).toBe(
      [
        '<ns1:Root xmlns:ns1="urn:x">',
        '  <ns1:Present>a &lt; b &amp; c</ns1:Present>',
        '  <ns1:Empty/>',
        '  <ns1:Nested>',
        '    <ns1:Leaf>x</ns1:Leaf>',
        '  </ns1:Nested>',
        '  <ns1:Repeated>1</ns1:Repeated>',
        '  <ns1:Repeated>2</ns1:Repeated>',
        '</ns1:Root>',
      ].join('\n'),
    );
  });
});
