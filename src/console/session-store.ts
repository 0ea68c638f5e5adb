import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import type { Logger } from '../observability/logger.js';
import { safeDbError } from '../store/safe-db-error.js';
import type { Queryable } from '../store/store.js';

export interface ConsoleSessionStoreOptions {
  /** The gateway's store (PostgreSQL in production, PGlite embedded), migrated to 0014 at least. */
  store: Queryable;
  /**
   * How long the server keeps a session whose cookie carries no expiry (a
   * browser-session cookie): the browser decides when to forget it, but the
   * tokens inside must not outlive a lost browser forever.
   */
  defaultTtlMs?: number;
  /** The clock expiry is decided by; tests move it instead of waiting. */
  now?: () => Date;
  /** Where a failed background prune is reported: the error alone, never a session's content. */
  logger?: Pick<Logger, 'warn'>;
  /**
   * Seals each session's data (AES-256-GCM, bound to its session id) with a
   * key derived from this secret, so a copy of the table (a backup, a read
   * replica, a leaked dump) holds no usable refresh token.
   */
  encryptionSecret?: string;
}

interface SealedSession {
  sealed: 1;
  iv: string;
  data: string;
  tag: string;
}

/** A working day: the console's sessions normally carry their own maxAge, this only bounds the ones that do not. */
export const defaultConsoleSessionTtlMs = 8 * 60 * 60 * 1000;

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store over the gateway's database (table
 * console_sessions), so that any replica serves any signed-in console user.
 *
 * The sessions hold OIDC tokens: nothing here logs a session, and database
 * errors reach express-session reduced by safeDbError (PostgreSQL may quote
 * the offending value in a data exception). Errors go to the callbacks; no
 * method throws.
 */
export class ConsoleSessionStore extends session.Store {
  private readonly db: Queryable;
  private readonly defaultTtlMs: number;
  private readonly now: () => Date;
  private readonly logger: Pick<Logger, 'warn'> | undefined;
  private readonly dataKey: Buffer | undefined;

  constructor(options: ConsoleSessionStoreOptions) {
    super();
    this.dataKey = options.encryptionSecret === undefined ? undefined : Buffer.from(hkdfSync('sha256', options.encryptionSecret, 'lgsp-console-sessions', 'session data v1', 32));
    this.db = options.store;
    this.defaultTtlMs = options.defaultTtlMs ?? defaultConsoleSessionTtlMs;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger;
    if (!(this.defaultTtlMs > 0)) throw new Error('defaultTtlMs must be a positive number of milliseconds');
  }

  /** The session, or nothing when it is unknown or expired (an expired row waits for the prune but is never served). */
  override get(sid: string, callback: (error: unknown, session?: SessionData | null) => void): void {
    settle(async () => {
      const { rows } = await this.db.query<{ data: SessionData | SealedSession }>('SELECT data FROM console_sessions WHERE sid = $1 AND expires_at > $2', [sid, this.now()]);
      return rows[0] ? this.open(sid, rows[0].data) : null;
    }, callback as Callback<SessionData | null>);
  }

  override set(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    settle(async () => {
      // The Session object serializes to its own fields and its cookie's (Cookie#toJSON); its id and req are not enumerable.
      const json = JSON.stringify(this.seal(sid, data));
      await this.db.query(
        `INSERT INTO console_sessions (sid, data, expires_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [sid, json, this.expiryOf(data)],
      );
    }, callback);
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    settle(async () => {
      await this.db.query('DELETE FROM console_sessions WHERE sid = $1', [sid]);
    }, callback);
  }

  /** Extends a live session's expiry without rewriting its data (rolling sessions, `resave: false`). An expired one stays expired. */
  override touch(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    settle(async () => {
      await this.db.query('UPDATE console_sessions SET expires_at = $2 WHERE sid = $1 AND expires_at > $3', [sid, this.expiryOf(data), this.now()]);
    }, callback);
  }

  /** Deletes every expired session; resolves to how many. Rejects with a SafeDbError. */
  async pruneExpired(): Promise<number> {
    try {
      const { rowCount } = await this.db.query('DELETE FROM console_sessions WHERE expires_at <= $1', [this.now()]);
      return rowCount;
    } catch (error) {
      throw safeDbError(error);
    }
  }

  /**
   * Prunes every intervalMs on an unref'ed timer (it never keeps the process
   * alive); a prune still running when the next is due is not doubled.
   * Returns the function that stops it, which resolves once a prune in
   * flight has ended (so the store can be closed after it).
   */
  startPruning(intervalMs: number): () => Promise<void> {
    if (!(intervalMs > 0)) throw new Error('intervalMs must be a positive number of milliseconds');
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      running ??= this.pruneExpired()
        .then(
          () => undefined,
          (error: unknown) => this.logger?.warn({ err: error }, 'console session prune failed'),
        )
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  private seal(sid: string, data: SessionData): SessionData | SealedSession {
    if (!this.dataKey) return data;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.dataKey, iv).setAAD(Buffer.from(sid));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    return { sealed: 1, iv: iv.toString('base64'), data: sealed.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  }

  /** A row sealed with another key (the secret changed), for another session id, or not sealed while a key is set: no session, the user signs in again. */
  private open(sid: string, stored: SessionData | SealedSession): SessionData | null {
    const sealed = (stored as Partial<SealedSession>).sealed === 1 ? (stored as SealedSession) : undefined;
    if (!this.dataKey) return sealed ? null : (stored as SessionData);
    if (!sealed) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.dataKey, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(sid));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8')) as SessionData;
    } catch {
      return null;
    }
  }

  /** The cookie's absolute expiry, else its max age from now, else the default TTL. */
  private expiryOf(data: SessionData): Date {
    const now = this.now().getTime();
    const cookie = data.cookie as { expires?: Date | string | null; maxAge?: number | null } | undefined;
    if (cookie?.expires) {
      const expires = new Date(cookie.expires);
      if (!Number.isNaN(expires.getTime())) return expires;
    }
    if (typeof cookie?.maxAge === 'number' && Number.isFinite(cookie.maxAge)) return new Date(now + cookie.maxAge);
    return new Date(now + this.defaultTtlMs);
  }
}

/** Runs work and hands its outcome to an express-session callback, outside the promise so a throwing callback is not mistaken for a store error. */
function settle<T>(work: () => Promise<T>, callback: Callback<T> | undefined): void {
  Promise.resolve()
    .then(work)
    .then(
      (value) => queueMicrotask(() => callback?.(null, value)),
      (error: unknown) => {
        const safe = safeDbError(error);
        queueMicrotask(() => callback?.(safe));
      },
    );
}
