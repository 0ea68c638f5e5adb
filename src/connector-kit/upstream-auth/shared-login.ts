import { UpstreamError } from '../upstream-errors.js';

/**
 * One login at a time, shared by every call that needs it, each waiting only
 * as long as its own deadline allows.
 *
 * A burst of calls after expiry must not stampede the token endpoint, so they
 * share one login. That login has its own timeout and is never cancelled by
 * a caller: one caller giving up (its signal fired) leaves with a `timeout`
 * UpstreamError at once, exactly like any other attempt cut at its deadline,
 * while the login goes on for the others. Its result is kept (`keep`) when it
 * arrives, even when every caller has already left, so the next call finds it.
 */
export class SharedLogin<T> {
  private pending: Promise<T> | undefined;

  constructor(
    private readonly logIn: () => Promise<T>,
    private readonly keep: (result: T) => void,
  ) {}

  /** The running login, or a new one; settles when it does or when `signal` fires, whichever comes first. */
  join(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(leftAtDeadline(signal));
    this.pending ??= this.logIn()
      .then((result) => {
        this.keep(result);
        return result;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return signal ? untilAborted(this.pending, signal) : this.pending;
  }
}

function untilAborted<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const leave = () => reject(leftAtDeadline(signal));
    signal.addEventListener('abort', leave, { once: true });
    // Both handlers stay attached after the caller left, so a login failing later is never an unhandled rejection.
    shared.then(
      (result) => {
        signal.removeEventListener('abort', leave);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', leave);
        reject(error);
      },
    );
  });
}

function leftAtDeadline(signal: AbortSignal): UpstreamError {
  return new UpstreamError('timeout', 'upstream login not finished by the call deadline', { cause: signal.reason });
}
