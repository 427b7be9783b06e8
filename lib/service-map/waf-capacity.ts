/**
 * Web ACL capacity (WCU) estimate from published figures: what the firewall construct will create,
 * summed, so validation can warn above the included capacity and fail above the maximum.
 */
import { MANAGED_RULE_GROUPS, WAF_CUSTOM_KEY_WCU, WAF_RATE_RULE_WCU } from './limits';
import type { ResolvedRateLimit, ResolvedServiceMap } from './schema';

/** WCU of one rate-based rule: base, plus custom keys, plus its scope-down statement. */
export function rateRuleCapacity(rule: ResolvedRateLimit, scopedDown: boolean): number {
  const customKeys = rule.key === 'ip' ? 0 : 1;
  // Scope-down: an OR of two exact byte matches (the service's two route keys / path prefix), 2 WCU each.
  const scopeDown = scopedDown ? 4 : 0;
  return WAF_RATE_RULE_WCU + customKeys * WAF_CUSTOM_KEY_WCU + scopeDown;
}

export function managedRuleGroupCapacity(name: string): number {
  return MANAGED_RULE_GROUPS.find((g) => g.name === name)?.wcu ?? 0;
}

export function estimateWebAclCapacity(map: ResolvedServiceMap): number {
  const fw = map.firewall;
  let wcu = fw.managedRuleGroups.reduce((sum, g) => sum + managedRuleGroupCapacity(g), 0);
  wcu += fw.rateLimits.reduce((sum, r) => sum + rateRuleCapacity(r, false), 0);
  for (const svc of Object.values(map.services)) wcu += svc.rateLimits.reduce((sum, r) => sum + rateRuleCapacity(r, true), 0);
  if (fw.blockedCountries.length > 0) wcu += 1;
  // IP set references: 1 WCU each; IPv4 and IPv6 need separate sets.
  for (const list of [fw.blockedIpCidrs, fw.allowedIpCidrs]) {
    if (list.some((c) => !c.includes(':'))) wcu += 1;
    if (list.some((c) => c.includes(':'))) wcu += 1;
  }
  return wcu;
}
