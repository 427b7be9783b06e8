/**
 * The AWS quotas a gateway uses, against their limits: the table a person checks before deploying. The
 * counts are the ones validation judged (placement's `quotas`, the web ACL's capacity): each quota is
 * defined once, with its warning or problem (lib/plan/quota-check.ts).
 */
import { webAclCapacityQuota } from './firewall-rules/capacity';
import { QUOTAS } from '../service-map/limits';
import type { GatewayPlacement } from './placement';
import { checkQuota, quotaUse, type QuotaUse } from './quota-check';
import type { FirewallPlan } from './firewall';

export type { QuotaUse } from './quota-check';

/** The order of an ALB's rows in the table: what it holds, then what it reaches, then its targets. */
const ALB_ROWS = [
  'Target groups per Application Load Balancer',
  'Rules per Application Load Balancer',
  'Inbound or outbound rules per security group',
  'Targets per Application Load Balancer',
  'Targets per Target Group per Region',
];

/** The API's quotas, the VPC link's, each ALB's, and the web ACL's capacity when the firewall is on. */
export function planQuotas(placement: GatewayPlacement, firewall: FirewallPlan | undefined): QuotaUse[] {
  const uses = placement.quotas.map(quotaUse);
  const onAlb = (alb: number) => uses.filter((q) => q.scope === `ALB ${alb}`).sort((a, b) => ALB_ROWS.indexOf(a.quota) - ALB_ROWS.indexOf(b.quota));
  // One VPC link per gateway: a gateway alone never passes the quota, which counts every VPC link in the account and Region.
  const vpcLinks = checkQuota({ quota: 'VPC links per account and Region', scope: 'account', used: 1, limit: QUOTAS.vpcLinks, kind: 'adjustable' });
  return [
    ...uses.filter((q) => !q.scope.startsWith('ALB ')),
    quotaUse(vpcLinks),
    ...Array.from({ length: placement.loadBalancerCount }, (_, alb) => onAlb(alb)).flat(),
    ...(firewall ? [quotaUse(webAclCapacityQuota(firewall.capacity.wcu))] : []),
  ];
}
