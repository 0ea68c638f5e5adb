import { ConnectorSlot, ConnectorUnavailableError } from './connector-slot.js';

function generation(name: string) {
  const closed: string[] = [];
  return { closed, generation: { client: { name }, close: () => closed.push(name) } };
}

describe('ConnectorSlot', () => {
  it('lets a call in flight finish on the client it began with, and closes that client only when the call releases it', () => {
    const slot = new ConnectorSlot('test');
    const first = generation('first');
    slot.replace(first.generation);
    slot.setAvailability({ kind: 'available' });
    const inFlight = slot.acquire();
    const second = generation('second');
    slot.replace(second.generation);

    expect(inFlight.client).toEqual({ name: 'first' });
    expect(slot.acquire().client).toEqual({ name: 'second' });
    expect(first.closed).toEqual([]);
    inFlight.release();
    inFlight.release(); // twice is harmless
    expect(first.closed).toEqual(['first']);
    expect(second.closed).toEqual([]);
  });

  it('closes a replaced client at once when nothing uses it', () => {
    const slot = new ConnectorSlot('test');
    const first = generation('first');
    slot.replace(first.generation);
    slot.replace(undefined);
    expect(first.closed).toEqual(['first']);
  });

  it('closes a replaced client after the linger time even if a lease is never released', async () => {
    const slot = new ConnectorSlot('test', 20);
    const first = generation('first');
    slot.replace(first.generation);
    slot.setAvailability({ kind: 'available' });
    slot.acquire();
    slot.replace(generation('second').generation);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(first.closed).toEqual(['first']);
  });

  it('refuses new calls when switched off or under maintenance, saying which', () => {
    const slot = new ConnectorSlot('test');
    slot.replace(generation('first').generation);
    slot.setAvailability({ kind: 'maintenance', message: 'upstream moves tonight', retryAfterSeconds: 600 });
    expect(() => slot.acquire()).toThrow(ConnectorUnavailableError);
    try {
      slot.acquire();
    } catch (error) {
      expect((error as ConnectorUnavailableError).availability).toEqual({ kind: 'maintenance', message: 'upstream moves tonight', retryAfterSeconds: 600 });
    }
    slot.setAvailability({ kind: 'available' });
    slot.replace(undefined);
    // Available but without a client (it could not be built): as good as switched off.
    expect(slot.availability()).toEqual({ kind: 'disabled' });
  });
});
