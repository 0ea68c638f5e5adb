import { UpstreamError } from '../upstream-errors.js';

/** The UpstreamError a transport call fails with; the test fails if it succeeds or throws anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the call to fail');
}
