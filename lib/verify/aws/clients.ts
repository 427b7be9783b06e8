/**
 * Client settings shared by every AWS client verify creates. Credentials, region and endpoints come from
 * the SDK's standard resolution (`AWS_PROFILE`, `AWS_REGION`, `~/.aws/config`, `AWS_ENDPOINT_URL*`), so the
 * tool behaves like the AWS CLI; only what the user passed on the command line is set explicitly.
 */
export interface AwsOptions {
  /**
   * Region of the stack.
   *
   * @default the SDK's resolution: AWS_REGION, then the profile's region
   */
  readonly region?: string;
  /**
   * Named profile from the shared config and credentials files.
   *
   * @default the SDK's resolution: AWS_PROFILE, then "default"
   */
  readonly profile?: string;
}

/** Throttled calls are retried with backoff; five attempts ride out a burst without hiding an outage. */
export const MAX_ATTEMPTS = 5;

export function clientConfig(options: AwsOptions) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    retryMode: 'standard',
    maxAttempts: MAX_ATTEMPTS,
  } as const;
}
