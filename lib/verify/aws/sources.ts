/**
 * The AWS SDK side of verify: one client per service, all with the same settings. Only `awsSources` in
 * command.ts loads this file, when verify runs.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { VerifySources } from '../verify';
import { ApiGatewayRestApiReader } from './apigateway';
import { ApiGatewayV2HttpApiReader } from './apigatewayv2';
import { type AwsOptions, clientConfig } from './clients';
import { CloudFormationStackReader } from './cloudformation';
import { Wafv2FirewallReader } from './wafv2';

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
