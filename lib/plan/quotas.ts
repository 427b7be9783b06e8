/**
 * The AWS quotas a gateway uses, counted from the plan, against their limits. Validation warns or fails
 * on the same counts (placement.ts, firewall.ts); this is the table a person checks before deploying.
 */
import { QUOTAS, WAF_WCU_MAX } from '../service-map/limits';
import { httpRouteCount, integrationCount, peakTargets, restResourceCount, securityGroupPorts, type GatewayPlacement } from './placement';
import type { ResolvedServiceMap } from '../service-map/schema';
import type { FirewallPlan } from './firewall';

export interface QuotaUse {
  /** The quota's name in Service Quotas (or the AWS documentation), and what it counts. */
  readonly quota: string;
  /** Which resource it is counted on: `HTTP API`, `ALB 0`, `web ACL`, ... */
  readonly scope: string;
  readonly used: number;
  readonly limit: number;
  /** `adjustable`: raise it in Service Quotas; `hard`: AWS cannot raise it. */
  readonly kind: 'adjustable' | 'hard';
}

export function planQuotas(map: ResolvedServiceMap, placement: GatewayPlacement, firewall: FirewallPlan | undefined): QuotaUse[] {
  const services = placement.services;
  const quotas: QuotaUse[] = [];
  if (map.frontDoor === 'http') {
    quotas.push({ quota: 'Routes per API', scope: 'HTTP API', used: httpRouteCount(services), limit: QUOTAS.httpApiRoutes, kind: 'adjustable' });
    quotas.push({ quota: 'Integrations per API', scope: 'HTTP API', used: integrationCount(services), limit: QUOTAS.httpApiIntegrations, kind: 'hard' });
  } else {
    quotas.push({ quota: 'Resources per API', scope: 'REST API', used: restResourceCount(services), limit: QUOTAS.restApiResources, kind: 'adjustable' });
  }
  quotas.push({ quota: 'VPC links per account and Region', scope: 'account', used: 1, limit: QUOTAS.vpcLinks, kind: 'adjustable' });
  for (let alb = 0; alb < placement.loadBalancerCount; alb++) {
    const onAlb = services.filter((s) => s.loadBalancer === alb).length;
    quotas.push({ quota: 'Target groups per Application Load Balancer', scope: `ALB ${alb}`, used: onAlb, limit: QUOTAS.albTargetGroups, kind: 'hard' });
    quotas.push({ quota: 'Rules per Application Load Balancer (default rules excluded)', scope: `ALB ${alb}`, used: onAlb, limit: QUOTAS.albRules, kind: 'adjustable' });
    quotas.push({
      quota: 'Inbound or outbound rules per security group',
      scope: `ALB ${alb}`,
      used: securityGroupPorts(services, alb).size,
      limit: QUOTAS.securityGroupRules,
      kind: 'adjustable',
    });
    // Targets at the peak: every service at maxTasks while ECS deploys it (the targets-quota warnings count the same).
    const targets = services.filter((s) => s.loadBalancer === alb && s.kind === 'container').map(peakTargets);
    quotas.push({ quota: 'Targets per Application Load Balancer (peak, while deploying)', scope: `ALB ${alb}`, used: targets.reduce((n, t) => n + t, 0), limit: QUOTAS.albTargets, kind: 'adjustable' });
    quotas.push({ quota: 'Targets per Target Group (largest, peak while deploying)', scope: `ALB ${alb}`, used: Math.max(0, ...targets), limit: QUOTAS.targetGroupTargets, kind: 'adjustable' });
  }
  if (firewall) quotas.push({ quota: 'Maximum web ACL capacity units', scope: 'web ACL', used: firewall.capacity.wcu, limit: WAF_WCU_MAX, kind: 'hard' });
  return quotas;
}
