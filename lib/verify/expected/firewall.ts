/**
 * The WAF rules a map asks for, as items comparable with the deployed web ACL: the rules the construct
 * builds (`webAclRules`, with the rate rules of `rate-rules.ts`), reduced the way the deployed ones are.
 */
import type { Rule } from '@aws-sdk/client-wafv2';
import type { RuleTarget } from '../../firewall/target';
import { webAclRules } from '../../firewall/web-acl-rules';
import type { ResolvedServiceMap } from '../../service-map';
import { restWafPathPrefix } from '../../service-map/conventions';
import { ruleItems } from '../deployed/firewall';
import type { Item } from '../items';
import type { RecordedGateway } from '../record/gateway-record';

/**
 * What the web ACL protects, as ServiceGateway describes it to the rule builders (`createFirewall`): the
 * ALBs (HTTP front door), or the REST stage, with the same path prefix (`restWafPathPrefix`).
 */
export function firewallRuleTarget(map: ResolvedServiceMap, frontDoor: RecordedGateway['frontDoor']): RuleTarget {
  if (frontDoor === 'http') return { kind: 'alb' };
  return { kind: 'restStage', pathPrefix: restWafPathPrefix(map) };
}

export function expectedRuleItems(map: ResolvedServiceMap, target: RuleTarget): Item[] {
  return ruleItems(webAclRules(map, target).map((rule) => asWafApiShape(rule) as Rule));
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
