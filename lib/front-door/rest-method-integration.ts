/**
 * A REST method's integration as CloudFormation takes it: the plan's part (`restProxyIntegration`) with
 * the VPC link and the ALB it reaches.
 */
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { InternalLoadBalancer } from '../backends/internal-load-balancer';
import { restProxyIntegration, type RestIntegrationOptions } from '../plan/rest-integration';

export interface RestMethodIntegrationOptions extends RestIntegrationOptions {
  /** Container services: their ALB. */
  readonly loadBalancer?: InternalLoadBalancer;
  readonly vpcLinkId: string;
}

export function restIntegration(o: RestMethodIntegrationOptions): apigw.CfnMethod.IntegrationProperty {
  const alb = o.loadBalancer;
  const integration = restProxyIntegration({ ...o, loadBalancerDnsName: alb?.loadBalancer.loadBalancerDnsName });
  if (o.placement.kind === 'url') return integration;
  return {
    ...integration,
    connectionId: o.vpcLinkId,
    // VPC link V2 private integration: the ALB itself, no NLB in between.
    integrationTarget: alb!.loadBalancer.loadBalancerArn,
  };
}
