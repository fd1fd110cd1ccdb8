import { DispatchError } from '@dispatch/platform';

/** The DispatchError `run` throws; fails the test when it returns or throws anything else. */
export function refusal(run: () => unknown): DispatchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DispatchError);
    return error as DispatchError;
  }
  throw new Error('expected a refusal');
}

/** The DispatchError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function asyncRefusal(promise: Promise<unknown>): Promise<DispatchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DispatchError);
    return error as DispatchError;
  }
  throw new Error('expected a refusal');
}
