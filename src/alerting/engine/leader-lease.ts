import type { Queryable, Store } from '../../store/store.js';

/** The engine's transaction found the lease no longer ours: it must roll back and write nothing. */
export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`lease ${name} is not held by this replica`);
    this.name = 'LeaseLostError';
  }
}

export interface LeaderLeaseOptions {
  store: Store;
  /** The lease row (alert_leases.name), e.g. `alerting`. */
  name: string;
  /** Who we are (replica id); never reused by another live process. */
  holder: string;
  leaseMs: number;
}

/**
 * A leader lease in one row of alert_leases. Expiry is judged by the
 * database clock only, so replicas with skewed clocks agree on who leads.
 * The token grows by one on every takeover; fence() checks holder and token
 * in the caller's transaction and locks the row, so a replica that lost the
 * lease (paused, partitioned) commits nothing, and a taker waits for an
 * engine transaction in flight to end before its takeover can happen.
 */
export class LeaderLease {
  private readonly store: Store;
  private readonly name: string;
  private readonly holder: string;
  private readonly leaseMs: number;
  private token: number | undefined;
  /** Process-clock bound for `held`: the lease was renewed before this (we count from the request, not the answer). */
  private heldUntil = 0;

  constructor(opts: LeaderLeaseOptions) {
    this.store = opts.store;
    this.name = opts.name;
    this.holder = opts.holder;
    this.leaseMs = opts.leaseMs;
  }

  /** True while we hold it. Not a fence: only the database can say for sure (fence()). */
  get held(): boolean {
    return this.token !== undefined && performance.now() < this.heldUntil;
  }

  /** Renews the lease we hold, or takes it when absent or expired. True when it is ours afterwards. */
  async acquireOrRenew(): Promise<boolean> {
    const askedAt = performance.now();
    // One statement: the row lock makes renew-or-take atomic against another replica doing the same.
    // Renewal keeps the token; a takeover (even of our own expired lease) moves it on, so any transaction
    // fenced with the old token fails.
    const { rows } = await this.store.query<{ token: number | string }>(
      `INSERT INTO alert_leases AS lease (name, holder, token, expires_at)
       VALUES ($1, $2, 1, now() + $3::bigint * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET
         holder = EXCLUDED.holder,
         token = CASE WHEN lease.holder = EXCLUDED.holder AND lease.token = $4::bigint AND lease.expires_at > now()
                      THEN lease.token ELSE lease.token + 1 END,
         expires_at = EXCLUDED.expires_at
       WHERE (lease.holder = EXCLUDED.holder AND lease.token = $4::bigint AND lease.expires_at > now())
          OR lease.expires_at <= now()
       RETURNING token`,
      [this.name, this.holder, this.leaseMs, this.token ?? null],
    );
    if (rows.length === 0) {
      this.token = undefined;
      return false;
    }
    this.token = Number(rows[0]!.token);
    this.heldUntil = askedAt + this.leaseMs;
    return true;
  }

  /**
   * First statement of every engine transaction: locks the lease row while
   * checking it is still ours and unexpired. Throws LeaseLostError (the
   * caller's transaction then rolls back) otherwise.
   */
  async fence(tx: Queryable): Promise<void> {
    if (this.token === undefined) throw new LeaseLostError(this.name);
    const { rows } = await tx.query(
      'SELECT token FROM alert_leases WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now() FOR UPDATE',
      [this.name, this.holder, this.token],
    );
    if (rows.length === 0) {
      this.token = undefined;
      throw new LeaseLostError(this.name);
    }
  }

  /**
   * Gives the lease up at once (graceful shutdown): it is marked expired, not
   * deleted, so the next taker's token still grows past ours.
   */
  async release(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (token === undefined) return;
    await this.store.query('UPDATE alert_leases SET expires_at = now() WHERE name = $1 AND holder = $2 AND token = $3', [this.name, this.holder, token]);
  }
}
