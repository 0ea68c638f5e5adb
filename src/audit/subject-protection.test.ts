import { assertSubjectKey, hashSubjectId, maskSubjectId } from './subject-protection.js';

describe('hashSubjectId', () => {
  it('is HMAC-SHA-256 in hex (RFC 4231 test case 1)', () => {
    expect(hashSubjectId(Buffer.alloc(20, 0x0b), 'Hi There')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('depends on the key and on every character of the id', () => {
    const key = 'k'.repeat(32);
    const hash = hashSubjectId(key, '001099012345');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSubjectId(key, '001099012345')).toBe(hash);
    expect(hashSubjectId('j'.repeat(32), '001099012345')).not.toBe(hash);
    expect(hashSubjectId(key, '001099012346')).not.toBe(hash);
    expect(hashSubjectId(Buffer.from(key), '001099012345')).toBe(hash);
  });

  it('refuses an empty key', () => {
    expect(() => hashSubjectId('', '001099012345')).toThrow(/empty/);
  });
});

describe('assertSubjectKey', () => {
  it('accepts keys of 32 bytes or more and refuses shorter ones', () => {
    expect(() => assertSubjectKey('x'.repeat(32))).not.toThrow();
    expect(() => assertSubjectKey(Buffer.alloc(48))).not.toThrow();
    expect(() => assertSubjectKey('x'.repeat(31))).toThrow(/at least 32 bytes \(got 31\)/);
  });
});

describe('maskSubjectId', () => {
  it.each([
    ['001099012334', '001*******34'],
    ['0123456789', '012*****89'],
    ['123456789', '12*****89'],
    ['12345678', '12****78'],
    ['1234', '1**4'],
    ['123', '***'],
    ['', ''],
  ])('masks %p as %p', (id, masked) => {
    expect(maskSubjectId(id)).toBe(masked);
  });

  it('counts characters, not UTF-16 units, in an id outside the Basic Multilingual Plane', () => {
    expect(maskSubjectId('𝟎𝟎𝟏𝟎𝟗𝟗𝟎𝟏𝟐𝟑𝟑𝟒')).toBe('𝟎𝟎𝟏*******𝟑𝟒');
    expect(maskSubjectId('𝟏𝟐𝟑𝟒')).toBe('𝟏**𝟒');
  });

  it('always hides at least half of the id and keeps its length', () => {
    for (let length = 0; length <= 20; length++) {
      const id = '9'.repeat(length);
      const masked = maskSubjectId(id);
      expect(masked).toHaveLength(length);
      expect(masked.split('*').length - 1).toBeGreaterThanOrEqual(length / 2);
    }
  });
});
