/**
 * The web ACL of the gateway: where it sits, every rule in evaluation order with its capacity (WCU),
 * and the capacity verdict. The rules are exactly those the firewall construct builds (`webAclRules`),
 * counted by `statementCapacity`; the verdict is worked out here once, for validation, the construct and
 * the `plan` command. Pure: the CDK is only a type in the rule builders.
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { capacityFindings, statementCapacity } from './firewall-rules/capacity';
import { ipSetSpecs, type IpSetArn, type IpSetKey, type IpSetSpec } from './firewall-rules/ip-and-geo-rules';
import type { RuleTarget } from './firewall-rules/target';
import { webAclRules } from './firewall-rules/web-acl-rules';
import { rateRuleName, restWafPathPrefix } from '../service-map/conventions';
import { WAF_WCU_INCLUDED, WAF_WCU_MAX } from '../service-map/limits';
import type { ResolvedServiceMap } from '../service-map/schema';

export interface FirewallRulePlan {
  /** Evaluation order: WAF evaluates lower numbers first. */
  readonly priority: number;
  readonly name: string;
  /** What the rule does to a matching request, as its action says: `block`, `allow` or `count`; or `managed` (a managed rule group: its own rules decide). */
  readonly action: 'block' | 'allow' | 'count' | 'managed';
  /** Web ACL capacity units the rule uses. */
  readonly wcu: number;
  /** Per-service rate limits: the service the rule is scoped to. */
  readonly service?: string;
}

export interface FirewallPlan {
  /** Name of the web ACL, also its metric name. */
  readonly webAclName: string;
  /** On every internal ALB (HTTP front door: HTTP APIs cannot carry a web ACL), or on the REST stage. */
  readonly target: RuleTarget;
  readonly rules: readonly FirewallRulePlan[];
  /** The rules as the construct renders them, IP set ARNs as placeholders (`ip-set/<key>`; see `withIpSetArns`). */
  readonly ruleProperties: readonly CfnWebACL.RuleProperty[];
  /** The IP sets the address lists need, IPv4 and IPv6 apart; none for an empty list or family. */
  readonly ipSets: readonly IpSetSpec[];
  /**
   * KB of a request body the web ACL inspects: on a REST stage the map's `bodyInspectionLimitKb` (16 by
   * default, AWS's default and the most without extra charge; up to 64); on an ALB always 8. Body rules see
   * only this much: AWS's managed rules match what is there (their own oversize handling), and the Core rule
   * set's SizeRestrictions_BODY flags any body over 8 KB.
   * https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
   */
  readonly bodyInspectionLimitKb: number;
  readonly capacity: {
    readonly wcu: number;
    /** WCU included in the base price (above it AWS WAF charges per request). */
    readonly included: number;
    /** The WAF maximum per web ACL. */
    readonly max: number;
    /** Above the maximum: the map cannot be deployed. */
    readonly problem?: string;
    /** Above the included capacity: an extra charge. */
    readonly warning?: string;
  };
}

/**
 * What the web ACL protects, as the rule builders need to know it: the ALBs (HTTP front door), or the
 * REST stage, whose URI paths carry the stage name unless clients call a custom domain.
 */
export function firewallRuleTarget(map: ResolvedServiceMap): RuleTarget {
  if (map.frontDoor === 'http') return { kind: 'alb' };
  return { kind: 'restStage', pathPrefix: restWafPathPrefix(map) };
}

/** The web ACL of a map whose firewall is enabled and whose rules are well formed (validation checks both first). */
export function planFirewall(map: ResolvedServiceMap): FirewallPlan {
  const target = firewallRuleTarget(map);
  const ruleProperties = webAclRules(map, target, placeholderArn);
  const serviceOfRule = new Map(
    Object.entries(map.services).flatMap(([service, svc]) => svc.rateLimits.map((rule) => [rateRuleName(rule, service), service] as const)),
  );
  const rules = ruleProperties.map((rule): FirewallRulePlan => ({
    priority: rule.priority,
    name: rule.name,
    action: ruleAction(rule),
    wcu: statementCapacity(rule.statement),
    service: serviceOfRule.get(rule.name),
  }));
  const wcu = rules.reduce((n, r) => n + r.wcu, 0);
  return {
    webAclName: `${map.name}-gateway`,
    target,
    rules,
    ruleProperties,
    ipSets: ipSetSpecs(map.firewall),
    bodyInspectionLimitKb: target.kind === 'alb' ? 8 : (map.firewall.bodyInspectionLimitKb ?? 16),
    capacity: { wcu, included: WAF_WCU_INCLUDED, max: WAF_WCU_MAX, ...capacityFindings(wcu) },
  };
}

/** Web ACL capacity (WCU) of the map's rules, as `planFirewall` counts them. */
export function estimateWebAclCapacity(map: ResolvedServiceMap): number {
  return planFirewall(map).capacity.wcu;
}

function ruleAction(rule: CfnWebACL.RuleProperty): FirewallRulePlan['action'] {
  if (rule.overrideAction) return 'managed';
  const action = (rule.action ?? {}) as Record<string, unknown>;
  if (action.allow) return 'allow';
  if (action.count) return 'count';
  return 'block';
}

const PLACEHOLDER_PREFIX = 'ip-set/';
const placeholderArn: IpSetArn = (key) => `${PLACEHOLDER_PREFIX}${key}`;

/**
 * The planned rules with each IP set reference pointing at the real set (`arnOf`, a token in the
 * construct). Only the `arn` of an `ipSetReferenceStatement` is read as a placeholder: a map string that
 * happens to look like one (a path, a header value) is never touched.
 */
export function withIpSetArns(rules: readonly CfnWebACL.RuleProperty[], arnOf: IpSetArn): CfnWebACL.RuleProperty[] {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === 'ipSetReferenceStatement' && typeof v === 'object' && v !== null) {
          const { arn, ...rest } = v as { arn: string };
          if (!arn.startsWith(PLACEHOLDER_PREFIX)) throw new Error(`withIpSetArns: ${arn} is not a planned IP set`);
          return [k, { arn: arnOf(arn.slice(PLACEHOLDER_PREFIX.length) as IpSetKey), ...(visit(rest) as object) }];
        }
        return [k, visit(v)];
      }),
    );
  };
  return rules.map((rule) => visit(rule) as CfnWebACL.RuleProperty);
}
