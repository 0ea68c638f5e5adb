import { createSeededRandom } from './seeded-random.js';

describe('seeded random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const random = createSeededRandom(7);
    const seen = new Set<number>();
    for (let index = 0; index < 2000; index += 1) {
      const value = random.int(3, 6);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(6);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('never picks a zero-weight entry and makes digit strings of the asked length', () => {
    const random = createSeededRandom(1);
    for (let index = 0; index < 500; index += 1) expect(random.weighted([['a', 1], ['never', 0], ['b', 3]])).not.toBe('never');
    expect(random.digits(9)).toMatch(/^\d{9}$/);
  });
});
