import { entityTagOf, ifNoneMatchMatches } from './entity-tag.js';

describe('entityTagOf', () => {
  it('is a strong tag, equal for equal text and different for different text', () => {
    const tag = entityTagOf('{"items":[]}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(entityTagOf('{"items":[]}')).toBe(tag);
    expect(entityTagOf('{"items":[1]}')).not.toBe(tag);
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = entityTagOf('x');
  it.each([
    [tag, true],
    ['*', true],
    [`"a", ${tag}`, true],
    [`W/${tag}`, true],
    ['"a", "b"', false],
    ['', false],
    [tag.slice(1, -1), false],
  ])('%j → %s', (header, matches) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(matches);
  });

  it('is false without the header', () => {
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });
});
