/**
 * The deployed WAF web ACL, reduced to items comparable with the map.
 */
import type { ResourceType, WebACL } from '@aws-sdk/client-wafv2';
import type { Item } from '../items';

/** A web ACL as CloudFormation names it: its physical ID is `name|id|scope`. */
export interface WebAclRef {
  readonly name: string;
  readonly id: string;
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

export interface FirewallReader {
  /** The web ACL, or undefined when it does not exist. */
  webAcl(ref: WebAclRef): Promise<WebACL | undefined>;
  /** ARNs of the resources of one type the web ACL protects. */
  associatedResources(webAclArn: string, resourceType: ResourceType): Promise<string[]>;
}

/** Parses the physical ID CloudFormation reports for an `AWS::WAFv2::WebACL`; undefined if it is not one. */
export function parseWebAclPhysicalId(physicalId: string): WebAclRef | undefined {
  const [name, id, scope, extra] = physicalId.split('|');
  if (!name || !id || extra !== undefined || (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT')) return undefined;
  return { name, id, scope };
}

export function rateRuleItem(ruleName: string): string {
  return `waf rule ${ruleName}`;
}

export function managedRuleGroupItem(vendor: string, name: string): string {
  return `waf managed rule group ${vendor}/${name}`;
}

/** WAF's documented default when a rate-based statement leaves EvaluationWindowSec out. */
const DEFAULT_WINDOW_SECONDS = 300;

export function rateAttributes(limit: number | undefined, windowSeconds: number | undefined): Record<string, string> {
  return { limit: String(limit), window: `${windowSeconds ?? DEFAULT_WINDOW_SECONDS} s` };
}

/**
 * Rate-based rules and managed rule groups: the rule kinds the map describes one to one. Other rules
 * (country and IP blocks) carry no names in the map and are not compared.
 */
export function deployedRuleItems(webAcl: WebACL): Item[] {
  const items: Item[] = [];
  for (const rule of webAcl.Rules ?? []) {
    const rate = rule.Statement?.RateBasedStatement;
    const managed = rule.Statement?.ManagedRuleGroupStatement;
    if (rate) items.push({ item: rateRuleItem(rule.Name ?? '(unnamed)'), attributes: rateAttributes(rate.Limit, rate.EvaluationWindowSec) });
    if (managed) items.push({ item: managedRuleGroupItem(managed.VendorName ?? '(no vendor)', managed.Name ?? '(unnamed)'), attributes: {} });
  }
  return items;
}
