/**
 * The WAF rules of the gateway plan, as items comparable with the deployed web ACL: the rules the
 * construct builds, reduced the way the deployed ones are.
 */
import type { Rule } from '@aws-sdk/client-wafv2';
import type { FirewallPlan } from '../../plan';
import { ruleItems } from '../deployed/firewall';
import type { Item } from '../items';

export function expectedRuleItems(firewall: FirewallPlan): Item[] {
  return ruleItems(firewall.ruleProperties.map((rule) => asWafApiShape(rule) as Rule));
}

/** The WAF API's spelling of the few members that are not the CDK's name with a capital first letter. */
const API_MEMBER_NAMES: Readonly<Record<string, string>> = { forwardedIpConfig: 'ForwardedIPConfig' };

/** CDK rule properties (camelCase) in the WAF API's PascalCase, so one reduction serves both sides. */
export function asWafApiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asWafApiShape);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [API_MEMBER_NAMES[key] ?? `${key[0].toUpperCase()}${key.slice(1)}`, asWafApiShape(v)]),
  );
}
