/**
 * The `verify` command: reads, compares, prints, and maps the outcome to an exit code.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { ApiGatewayRestApiReader } from './aws/apigateway';
import { ApiGatewayV2HttpApiReader } from './aws/apigatewayv2';
import { type AwsOptions, clientConfig } from './aws/clients';
import { CloudFormationStackReader } from './aws/cloudformation';
import { explainError } from './aws/explain';
import { Wafv2FirewallReader } from './aws/wafv2';
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

/** Readers backed by the AWS SDK, plus a way to name the region in error messages. */
export function awsSources(options: AwsOptions): VerifySources & { region(): Promise<string | undefined> } {
  const config = clientConfig(options);
  const cloudFormation = new CloudFormationClient(config);
  return {
    stack: new CloudFormationStackReader(cloudFormation),
    httpApi: new ApiGatewayV2HttpApiReader(new ApiGatewayV2Client(config)),
    restApi: new ApiGatewayRestApiReader(new APIGatewayClient(config)),
    firewall: new Wafv2FirewallReader(new WAFV2Client(config)),
    region: async () => {
      try {
        return await cloudFormation.config.region();
      } catch {
        return undefined;
      }
    },
  };
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
