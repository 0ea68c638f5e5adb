import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps items oldest first until it is full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.newest()).toBeUndefined();
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.newest()).toBe(2);
    expect(ring.size).toBe(2);
  });

  it('drops the oldest once full, never growing past its capacity', () => {
    const ring = new RingBuffer<number>(3);
    for (let item = 1; item <= 8; item += 1) ring.push(item);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([6, 7, 8]);
    expect(ring.newest()).toBe(8);
    ring.push(9);
    expect(ring.toArray()).toEqual([7, 8, 9]);
    expect(ring.newest()).toBe(9);
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });
});
