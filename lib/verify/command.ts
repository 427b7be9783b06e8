/**
 * The `verify` command: reads, compares, prints, and maps the outcome to an exit code.
 */
import type { AwsOptions } from './aws/clients';
import { explainError } from './aws/explain';
import { formatReport, hasDrift } from './table';
import { type VerifySources, verifyStack } from './verify';

export const EXIT_CODES = {
  /** Everything deployed matches the map. */
  match: 0,
  /** Something is missing, different or unexpected. */
  drift: 1,
  /** Verify could not read the map or the deployed state. */
  cannotVerify: 2,
} as const;

export interface VerifyCommandOptions extends AwsOptions {
  /** The deployed stack's name. */
  readonly stack: string;
  /**
   * Read the map from this cloud assembly instead of the deployed template.
   *
   * @default the deployed template
   */
  readonly cdkOut?: string;
}

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Readers backed by the AWS SDK, plus a way to name the region in error messages. The SDK clients are
 * loaded here, when verify runs, never when the library is imported (importing the constructs loads no
 * @aws-sdk module).
 */
export function awsSources(options: AwsOptions): VerifySources & { region(): Promise<string | undefined> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./aws/sources') as typeof import('./aws/sources');
  return sdk.awsSources(options);
}

export async function runVerify(
  options: VerifyCommandOptions,
  output: CommandOutput,
  sources: VerifySources & { region?(): Promise<string | undefined> } = awsSources(options),
): Promise<number> {
  try {
    const report = await verifyStack({ stackName: options.stack, cdkOut: options.cdkOut }, sources);
    for (const line of formatReport(report)) output.out(line);
    return hasDrift(report) ? EXIT_CODES.drift : EXIT_CODES.match;
  } catch (err) {
    const region = options.region ?? (await sources.region?.());
    output.err(`cdk-service-gateway verify: cannot verify stack "${options.stack}": ${explainError(err, { stackName: options.stack, region, profile: options.profile })}`);
    return EXIT_CODES.cannotVerify;
  }
}
