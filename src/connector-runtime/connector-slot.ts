/**
 * The client a connector's calls use right now, replaceable at run time
 * (issue 13: an administrator changes the base URL, settings or credentials,
 * or switches the connector off, and no replica restarts).
 *
 * A call takes a lease on the current generation and keeps that client
 * until it releases it, so a call in flight finishes on the client it began
 * with; new calls take the new one. A replaced generation is closed (its
 * connection pools and login sessions dropped) once its last lease is
 * released, or after `lingerMs` if a lease is never released.
 */

export interface ClientGeneration {
  client: unknown;
  /** Releases the generation's connections; called once, when nothing uses it any more. */
  close(): void;
}

/** Why new calls are not taken: switched off, or under maintenance with a message for callers. */
export type ConnectorAvailability =
  | { kind: 'available' }
  | { kind: 'disabled' }
  | { kind: 'maintenance'; message: string; retryAfterSeconds: number };

export interface ClientLease {
  readonly client: unknown;
  release(): void;
}

/** What the pipeline and the outbox need of a connector at call time. */
export interface ConnectorHandle {
  readonly connectorId: string;
  availability(): ConnectorAvailability;
  /** The current client, leased until released; throws ConnectorUnavailableError when there is none. */
  acquire(): ClientLease;
}

export class ConnectorUnavailableError extends Error {
  constructor(
    readonly connectorId: string,
    readonly availability: Exclude<ConnectorAvailability, { kind: 'available' }>,
  ) {
    super(`connector ${connectorId} is ${availability.kind}`);
    this.name = 'ConnectorUnavailableError';
  }
}

interface LiveGeneration {
  generation: ClientGeneration;
  leases: number;
  retired: boolean;
  closed: boolean;
  lingerTimer?: NodeJS.Timeout;
}

export class ConnectorSlot implements ConnectorHandle {
  private live: LiveGeneration | undefined;
  private state: ConnectorAvailability = { kind: 'disabled' };

  constructor(
    readonly connectorId: string,
    private readonly lingerMs = 5 * 60_000,
  ) {}

  availability(): ConnectorAvailability {
    if (this.state.kind === 'available' && !this.live) return { kind: 'disabled' };
    return this.state;
  }

  acquire(): ClientLease {
    const availability = this.availability();
    if (availability.kind !== 'available') throw new ConnectorUnavailableError(this.connectorId, availability);
    const live = this.live!;
    live.leases += 1;
    let released = false;
    return {
      client: live.generation.client,
      release: () => {
        if (released) return;
        released = true;
        live.leases -= 1;
        if (live.retired && live.leases === 0) this.close(live);
      },
    };
  }

  /** True when a client generation is installed (the connector may be in maintenance meanwhile). */
  get hasClient(): boolean {
    return this.live !== undefined;
  }

  /** Installs a new generation (or none) for new calls; the old one closes when its calls are done. */
  replace(generation: ClientGeneration | undefined): void {
    const old = this.live;
    this.live = generation ? { generation, leases: 0, retired: false, closed: false } : undefined;
    if (old) this.retire(old);
  }

  setAvailability(state: ConnectorAvailability): void {
    this.state = state;
  }

  /** Leases currently held on the current generation (for tests and the admin view). */
  get inFlight(): number {
    return this.live?.leases ?? 0;
  }

  /** At shutdown: everything closes now, leases or not. */
  closeAll(): void {
    const old = this.live;
    this.live = undefined;
    if (old) this.close(old);
  }

  private retire(live: LiveGeneration): void {
    live.retired = true;
    if (live.leases === 0) {
      this.close(live);
      return;
    }
    // A call that never releases (a bug) must not keep a stale pool open forever.
    live.lingerTimer = setTimeout(() => this.close(live), this.lingerMs);
    live.lingerTimer.unref();
  }

  private close(live: LiveGeneration): void {
    if (live.closed) return;
    live.closed = true;
    clearTimeout(live.lingerTimer);
    try {
      live.generation.close();
    } catch {
      // Closing a pool cannot fail in a way the caller could act on.
    }
  }
}
