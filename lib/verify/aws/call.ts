/** Tags an AWS SDK failure with the IAM action that was being performed, for plain-words error messages. */
export class AwsCallError extends Error {
  constructor(
    /** The IAM action of the call, e.g. `cloudformation:GetTemplate`. */
    public readonly action: string,
    /** What was being read, e.g. `stack "shop"`. */
    public readonly target: string,
    cause: unknown,
  ) {
    super(`${action} on ${target} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AwsCallError';
  }
}

export async function awsCall<T>(action: string, target: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new AwsCallError(action, target, err);
  }
}

/** The SDK error name (`AccessDeniedException`, `ValidationError`, ...), or undefined for non-AWS errors. */
export function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** Runs a read, turning the service's "does not exist" error into undefined: a missing thing is drift, not a failure. */
export async function unlessNotFound<T>(notFoundError: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (errorName(err) === notFoundError) return undefined;
    throw err;
  }
}
