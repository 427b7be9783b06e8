/**
 * What the web ACL protects, and so what WAF sees of a request, above all the client's address:
 *
 * - On an internal ALB (HTTP front door: HTTP APIs cannot carry a web ACL) every request arrives from the
 *   VPC link, so the connection's source address is the link's. The client's address is the header the
 *   gateway overwrites with `$context.identity.sourceIp` on every integration request, which a client
 *   cannot set. `X-Forwarded-For` is never used: its first entry is whatever the client sent.
 * - On the REST stage WAF inspects the client's own connection, before API Gateway routes the request
 *   and before the authorizer runs.
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { GATEWAY_HEADERS } from '../../service-map/conventions';

/** The internal ALBs of the HTTP front door. */
export interface AlbTarget {
  readonly kind: 'alb';
  /** Every internal ALB of the gateway: each gets the web ACL. */
  readonly loadBalancerArns: readonly string[];
}

/** The stage of the REST front door. */
export interface RestStageTarget {
  readonly kind: 'restStage';
  /** `arn:<partition>:apigateway:<region>::/restapis/<api-id>/stages/<stage>` */
  readonly stageArn: string;
  /**
   * What precedes a service's path in the URI path WAF inspects: `/<stage>` for requests to the
   * execute-api URL, nothing for requests to a custom domain (base path mapping without a base path).
   *
   * @default '' - clients call a custom domain
   */
  readonly pathPrefix?: string;
}

export type FirewallTarget = AlbTarget | RestStageTarget;

/** What the rule builders need to know of the target. */
export type RuleTarget = Pick<AlbTarget, 'kind'> | Pick<RestStageTarget, 'kind' | 'pathPrefix'>;

/** The match result WAF assigns when the client-address header holds no valid address. */
export type Fallback = 'MATCH' | 'NO_MATCH';

/** Rate-based and geo statements: the gateway's client-address header on the ALB; the connection on a REST stage. */
export function forwardedClientIp(target: RuleTarget, fallback: Fallback): CfnWebACL.ForwardedIPConfigurationProperty | undefined {
  return target.kind === 'alb' ? { headerName: GATEWAY_HEADERS.clientIp, fallbackBehavior: fallback } : undefined;
}

/** IP set statements: as `forwardedClientIp`. */
export function forwardedClientIpForIpSet(target: RuleTarget, fallback: Fallback): CfnWebACL.IPSetForwardedIPConfigurationProperty | undefined {
  // The gateway writes exactly one address, so FIRST; position ANY would cost 4 more WCU for nothing.
  return target.kind === 'alb' ? { headerName: GATEWAY_HEADERS.clientIp, fallbackBehavior: fallback, position: 'FIRST' } : undefined;
}
