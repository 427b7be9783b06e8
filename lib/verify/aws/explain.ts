/**
 * Turns whatever stopped verify from reading AWS into one plain sentence an operator can act on.
 */
import { CannotVerifyError } from '../errors';
import { AwsCallError } from './call';
import { MAX_ATTEMPTS } from './clients';

export interface ErrorContext {
  readonly stackName: string;
  /** The region in use, when it could be resolved. */
  readonly region?: string;
  /** The profile passed on the command line, if any. */
  readonly profile?: string;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'WAFAccessDeniedException']);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
]);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

export function explainError(err: unknown, context: ErrorContext): string {
  return redactSecrets(explain(err, context));
}

function explain(err: unknown, context: ErrorContext): string {
  if (err instanceof CannotVerifyError) return err.message;
  const call = err instanceof AwsCallError ? err : undefined;
  const cause = call ? call.cause : err;
  const name = cause instanceof Error ? cause.name : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  const action = call ? call.action : 'reading AWS';

  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    if (context.profile) {
      return `No AWS credentials found for profile "${context.profile}". Check the profile name in ~/.aws/config and ~/.aws/credentials, or sign in (aws sso login --profile ${context.profile}).`;
    }
    return (
      'No AWS credentials found. Pass --profile or set AWS_PROFILE, sign in (aws sso login / aws configure), ' +
      'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    );
  }
  if (/Region is missing/i.test(message)) {
    return 'No AWS region set. Pass --region, set AWS_REGION, or set region for the profile in ~/.aws/config.';
  }
  if (ACCESS_DENIED.has(name)) {
    const action = /not authorized to perform:?\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1] ?? call?.action;
    const what = action ? `to perform ${action}` : 'to read';
    return (
      `Access denied: the credentials in use are not allowed ${what}${call ? ` (${call.target})` : ''}. ` +
      'Grant the read-only permissions listed in the verify README to the role or user.'
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return `AWS rejected the credentials (${name}): they are invalid or expired. Refresh them (for example aws sso login) and retry.`;
  }
  if (name === 'ValidationError' && /does not exist/i.test(message) && call?.action.startsWith('cloudformation:')) {
    const where = context.region ? ` in region ${context.region}` : '';
    return (
      `Stack "${context.stackName}" not found${where}. Check --stack (the deployed stack name), ` +
      '--region, and that the credentials belong to the account the stack was deployed to.'
    );
  }
  const code = networkCode(cause);
  if (code || name === 'TimeoutError') {
    const detail = code ? `${code}: ${message}` : message;
    return `Could not reach the AWS endpoint for ${action} (${detail}). Check the network and proxy, and AWS_ENDPOINT_URL if it is set.`;
  }
  if (THROTTLED.has(name)) {
    return `AWS kept throttling ${action} after ${MAX_ATTEMPTS} attempts. Wait a minute and run verify again.`;
  }
  if (!call) return `Unexpected error: ${name ? `${name}: ` : ''}${message}`;
  return `AWS returned an error for ${action} on ${call.target}: ${name ? `${name}: ` : ''}${message}`;
}

function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  // Node reports a refused dual-stack connection as an AggregateError of one error per address.
  const nested = (err as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(nested) ? nested.map(networkCode).find(Boolean) : undefined;
}

/** Keeps credentials out of anything printed, even if a message ever echoed them. */
export function redactSecrets(text: string): string {
  let out = text.replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '(redacted key id)');
  for (const variable of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID']) {
    const value = process.env[variable];
    if (value && value.length >= 8) out = out.split(value).join('(redacted)');
  }
  return out;
}
