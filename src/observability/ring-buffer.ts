/** A fixed number of the newest items: pushing onto a full buffer drops the oldest, so memory never grows with uptime. */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  /** Where the next push goes once the buffer is full (the oldest item's slot). */
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  newest(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.items[(this.next + this.items.length - 1) % this.items.length];
  }
}
