import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import { createLogger } from '../observability/logger.js';
import { VersionPoller } from './version-poller.js';

/** A stored version and the state it stands for, as the poller would find them in the store. */
function fakeStore() {
  const store = {
    version: 1,
    state: 'first',
    versionReads: 0,
    failNextRead: false,
    readVersion: async (): Promise<number> => {
      store.versionReads += 1;
      if (store.failNextRead) {
        store.failNextRead = false;
        throw new Error('store unavailable');
      }
      return store.version;
    },
  };
  return store;
}

function capturedLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString()) as { level: string; msg: string });
      done();
    },
  });
  return { logger: createLogger({ level: 'warn', destination }), lines };
}

function pollerOver(store: ReturnType<typeof fakeStore>, logger = capturedLogger().logger) {
  const loaded: string[] = [];
  const reload = jest.fn(async (version: number) => {
    loaded.push(`${store.state}@${version}`);
  });
  const poller = new VersionPoller({ readVersion: () => store.readVersion(), reload, logger, refreshIntervalMs: 1000, failureMessage: 'refresh failed; keeping the last state' });
  return { poller, reload, loaded };
}

describe('VersionPoller', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shares one running poll and one queued poll between concurrent callers', async () => {
    const store = fakeStore();
    const { poller, reload } = pollerOver(store);
    await Promise.all([poller.refresh(), poller.refresh(), poller.refresh(), poller.refresh()]);
    expect(store.versionReads).toBe(2);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(poller.version).toBe(1);
  });

  it('loads a change committed while a poll was under way before the caller who made it goes on', async () => {
    const store = fakeStore();
    const { poller, loaded } = pollerOver(store);
    await poller.refresh();
    // A background poll reads the version, and stalls on the way back...
    let releaseRead!: () => void;
    const readStalls = new Promise<void>((resolve) => (releaseRead = resolve));
    const plainRead = store.readVersion;
    store.readVersion = async () => {
      const version = await plainRead();
      store.readVersion = plainRead;
      await readStalls;
      return version;
    };
    const background = poller.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    // ...while an admin change commits (version 2) and asks for a refresh.
    store.version = 2;
    store.state = 'changed';
    const afterChange = poller.refresh();
    releaseRead();
    await Promise.all([background, afterChange]);
    expect(poller.version).toBe(2);
    expect(loaded).toEqual(['first@1', 'changed@2']);
  });

  it('reads the version on every poll but reloads only when it moved', async () => {
    const store = fakeStore();
    const { poller, loaded } = pollerOver(store);
    await poller.refresh();
    await poller.refresh();
    expect(store.versionReads).toBe(2);
    expect(loaded).toEqual(['first@1']);

    store.version = 2;
    store.state = 'second';
    await poller.refresh();
    expect(loaded).toEqual(['first@1', 'second@2']);
    expect(poller.version).toBe(2);
  });

  it('keeps the last loaded version when a reload fails, and loads it on a later poll', async () => {
    const store = fakeStore();
    const { poller, reload, loaded } = pollerOver(store);
    await poller.refresh();

    store.version = 2;
    store.state = 'second';
    reload.mockRejectedValueOnce(new Error('list query failed'));
    await expect(poller.refresh()).rejects.toThrow('list query failed');
    expect(poller.version).toBe(1);

    await poller.refresh();
    expect(loaded).toEqual(['first@1', 'second@2']);
    expect(poller.version).toBe(2);
  });

  it('polls in the background, warns on a failed poll, keeps the state, and recovers on the next one; stop() ends polling', async () => {
    jest.useFakeTimers();
    const store = fakeStore();
    const { logger, lines } = capturedLogger();
    const { poller, loaded } = pollerOver(store, logger);
    await poller.start();
    expect(loaded).toEqual(['first@1']);

    store.version = 2;
    store.state = 'second';
    store.failNextRead = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'refresh failed; keeping the last state', err: expect.objectContaining({ message: 'store unavailable' }) })]);
    expect(poller.version).toBe(1);
    expect(loaded).toEqual(['first@1']);

    await jest.advanceTimersByTimeAsync(1000);
    expect(loaded).toEqual(['first@1', 'second@2']);
    expect(poller.version).toBe(2);

    poller.stop();
    const readsAtStop = store.versionReads;
    await jest.advanceTimersByTimeAsync(5000);
    expect(store.versionReads).toBe(readsAtStop);
  });

  it('fails start() when the first load fails, so a replica never serves an empty state', async () => {
    const store = fakeStore();
    store.failNextRead = true;
    const { poller, reload } = pollerOver(store);
    await expect(poller.start()).rejects.toThrow('store unavailable');
    expect(reload).not.toHaveBeenCalled();
    expect(poller.version).toBe(-1);
  });
});
