/**
 * The WAF rules a map asks for, as items comparable with the deployed web ACL.
 */
import { rateRuleName, type ResolvedServiceMap } from '../../service-map';
import { managedRuleGroupItem, rateAttributes, rateRuleItem } from '../deployed/firewall';
import type { Item } from '../items';

export function expectedRuleItems(map: ResolvedServiceMap): Item[] {
  const gatewayWide = map.firewall.rateLimits.map((rule) => ({
    item: rateRuleItem(rateRuleName(rule)),
    attributes: rateAttributes(rule.limit, rule.windowSeconds),
  }));
  const perService = Object.entries(map.services).flatMap(([name, service]) =>
    service.rateLimits.map((rule) => ({ item: rateRuleItem(rateRuleName(rule, name)), attributes: rateAttributes(rule.limit, rule.windowSeconds) })),
  );
  const managed = map.firewall.managedRuleGroups.map((group) => ({ item: managedRuleGroupItem('AWS', group), attributes: {} }));
  return [...gatewayWide, ...perService, ...managed];
}
