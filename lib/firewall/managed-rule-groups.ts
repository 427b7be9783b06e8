/**
 * AWS managed rule groups, each as one rule named after the group, with the map's options: a pinned
 * version, per-rule actions (WAF RuleActionOverrides), excluded rules (rendered as "count" overrides,
 * the current form of WAF's ExcludedRules) and a scope-down.
 *
 * Blocks answer with the gateway's JSON 403: WAF gives a managed group's rules a custom response only
 * one rule at a time (a RuleActionOverride whose block carries a custom response), so every rule the map
 * leaves blocking is listed with that action: the rules named in `BLOCKING_RULES` for the groups the
 * gateway turns on by default, and every rule the map sets to "block". A rule AWS adds to a group later
 * blocks with WAF's plain 403 until it is listed here or in the map. (A label-match rule after the group
 * cannot do it instead: labels are added whatever a rule's action, so it would also block the rules the
 * map set to count, and label names differ from rule names.)
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { MANAGED_RULE_ACTIONS, ResolvedManagedRuleGroup, ResolvedServiceMap } from '../service-map/schema';
import { FORBIDDEN } from './block-responses';
import { pathPrefixScope, serviceScope } from './rate-rules';
import type { RuleTarget } from './target';
import type { RuleSpec } from './web-acl-rules';

export type ManagedRuleAction = (typeof MANAGED_RULE_ACTIONS)[number];

/** The object form of a group, whichever form the map used. */
export type ManagedRuleGroupSpec = Exclude<ResolvedManagedRuleGroup, string>;

// Which groups judge the connection's source address (they cannot read a forwarded-IP header, so on an
// ALB behind the VPC link they never match) is a fact about the groups, kept with their capacities.
export { SOURCE_ADDRESS_RULE_GROUPS } from '../service-map/limits';

const BOT_CONTROL = 'AWSManagedRulesBotControlRuleSet';

/**
 * The rules (all with action Block) of the two groups the gateway turns on by default, as AWS's
 * "Baseline rule groups" page lists them for their latest static versions:
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 * Validation warns about an override of a rule not listed here (rule names are case-sensitive).
 */
export const BLOCKING_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: [
    'NoUserAgent_HEADER', 'UserAgent_BadBots_HEADER',
    'SizeRestrictions_QUERYSTRING', 'SizeRestrictions_Cookie_HEADER', 'SizeRestrictions_BODY', 'SizeRestrictions_URIPATH',
    'EC2MetaDataSSRF_BODY', 'EC2MetaDataSSRF_COOKIE', 'EC2MetaDataSSRF_URIPATH', 'EC2MetaDataSSRF_QUERYARGUMENTS',
    'GenericLFI_QUERYARGUMENTS', 'GenericLFI_URIPATH', 'GenericLFI_BODY',
    'RestrictedExtensions_URIPATH', 'RestrictedExtensions_QUERYARGUMENTS',
    'GenericRFI_QUERYARGUMENTS', 'GenericRFI_BODY', 'GenericRFI_URIPATH',
    'CrossSiteScripting_COOKIE', 'CrossSiteScripting_QUERYARGUMENTS', 'CrossSiteScripting_BODY', 'CrossSiteScripting_URIPATH',
  ],
  AWSManagedRulesKnownBadInputsRuleSet: [
    'JavaDeserializationRCE_HEADER', 'JavaDeserializationRCE_BODY', 'JavaDeserializationRCE_URIPATH', 'JavaDeserializationRCE_QUERYSTRING',
    'Host_localhost_HEADER', 'PROPFIND_METHOD', 'ExploitablePaths_URIPATH',
    'Log4JRCE_HEADER', 'Log4JRCE_QUERYSTRING', 'Log4JRCE_BODY', 'Log4JRCE_URIPATH',
  ],
};

/**
 * What the gateway changes by default so that ordinary API traffic gets through: the Core rule set
 * blocks any body over 8 KB, any query string over 2,048 bytes and any path over 1,024 bytes. These
 * count instead (visible in WAF metrics and logs) unless the map gives them an action of its own; set
 * them to "block" for the strict behaviour.
 */
export const DEFAULT_RULE_ACTIONS: Readonly<Record<string, Readonly<Record<string, ManagedRuleAction>>>> = {
  AWSManagedRulesCommonRuleSet: { SizeRestrictions_BODY: 'count', SizeRestrictions_QUERYSTRING: 'count', SizeRestrictions_URIPATH: 'count' },
};

export function managedRuleGroupSpec(group: ResolvedManagedRuleGroup): ManagedRuleGroupSpec {
  return typeof group === 'string' ? { name: group, vendor: 'AWS', ruleActionOverrides: {}, excludedRules: [] } : group;
}

/**
 * Every rule's action as rendered, by rule name: the defaults above, then excluded rules as "count",
 * then the map's own overrides. Rules that keep the group's action are absent.
 */
export function effectiveRuleActions(spec: ManagedRuleGroupSpec): Record<string, ManagedRuleAction> {
  return {
    ...DEFAULT_RULE_ACTIONS[spec.name],
    ...Object.fromEntries(spec.excludedRules.map((rule) => [rule, 'count' as const])),
    ...spec.ruleActionOverrides,
  };
}

const ACTIONS: Record<ManagedRuleAction, CfnWebACL.RuleActionProperty> = {
  count: { count: {} },
  block: FORBIDDEN,
  allow: { allow: {} },
  challenge: { challenge: {} },
  captcha: { captcha: {} },
};

/** The group's rule; `services` gives the paths its scope-down may name. */
export function managedRuleGroupRule(group: ResolvedManagedRuleGroup, target: RuleTarget, services: ResolvedServiceMap['services']): RuleSpec {
  const spec = managedRuleGroupSpec(group);
  const actions: Record<string, ManagedRuleAction> = {
    ...Object.fromEntries((BLOCKING_RULES[spec.name] ?? []).map((rule) => [rule, 'block' as const])),
    ...effectiveRuleActions(spec),
  };
  const ruleActionOverrides = Object.keys(actions)
    .sort()
    .map((name) => ({ name, actionToUse: ACTIONS[actions[name]] }));
  const scopeDownStatement = spec.scopeDown && scopeDown(spec.scopeDown, target, services);
  return {
    name: spec.name,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: spec.vendor,
        name: spec.name,
        ...(spec.version ? { version: spec.version } : {}),
        ...(ruleActionOverrides.length ? { ruleActionOverrides } : {}),
        ...(scopeDownStatement ? { scopeDownStatement } : {}),
        // Bot Control needs its inspection level; COMMON is the level whose capacity limits.ts lists.
        ...(spec.name === BOT_CONTROL ? { managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }] } : {}),
      },
    },
  };
}

/** The requests of the services listed, or under the path prefixes listed (validation checks both). */
function scopeDown(
  scope: NonNullable<ManagedRuleGroupSpec['scopeDown']>,
  target: RuleTarget,
  services: ResolvedServiceMap['services'],
): CfnWebACL.StatementProperty | undefined {
  const statements = [
    ...(scope.services ?? []).filter((name) => services[name]).map((name) => serviceScope({ service: name, path: services[name].path }, target)),
    ...(scope.pathPrefixes ?? []).map((prefix) => pathPrefixScope(prefix, target)),
  ];
  if (statements.length === 0) return undefined;
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}
