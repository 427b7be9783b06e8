/**
 * Every rule of a gateway's web ACL, in evaluation order, from the map. Pure (types only from the CDK),
 * so validation counts the capacity of exactly these rules before any construct exists.
 *
 * Order: who may call at all (allow list, block list, countries), then rate limits (gateway-wide, then
 * per service by service name), then the managed rule groups in map order.
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { ResolvedServiceMap } from '../../service-map/schema';
import { countryBlockListRule, ipAllowListRule, ipBlockListRule, ipSetSpecs, type IpSetArn } from './ip-and-geo-rules';
import { managedRuleGroupRule } from './managed-rule-groups';
import { rateRule } from './rate-rules';
import type { RuleTarget } from './target';

/** A rule before it gets its place in the web ACL and its metrics. */
export type RuleSpec = Omit<CfnWebACL.RuleProperty, 'priority' | 'visibilityConfig'> & { readonly name: string };

/** CloudWatch metrics and sampled requests on, under the given metric name. */
export function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

export function webAclRules(map: ResolvedServiceMap, target: RuleTarget, ipSetArn: IpSetArn): CfnWebACL.RuleProperty[] {
  const fw = map.firewall;
  const ipSets = ipSetSpecs(fw);
  const serviceNames = Object.keys(map.services).sort();
  const specs: Array<RuleSpec | undefined> = [
    ipAllowListRule(ipSets, target, ipSetArn),
    ipBlockListRule(ipSets, target, ipSetArn),
    countryBlockListRule(fw.blockedCountries, target),
    ...fw.rateLimits.map((rule) => rateRule(rule, target)),
    ...serviceNames.flatMap((service) => map.services[service].rateLimits.map((rule) => rateRule(rule, target, { service, path: map.services[service].path }))),
    ...fw.managedRuleGroups.map((group) => managedRuleGroupRule(group, target, map.services)),
  ];
  return specs
    .filter((spec): spec is RuleSpec => spec !== undefined)
    .map((spec, priority) => ({ ...spec, priority, visibilityConfig: visibility(spec.name) }));
}
