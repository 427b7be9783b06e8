/**
 * Facts about AWS managed rule groups that the map's checks and the web ACL rules both read: the rules
 * of the default groups that block, the actions the gateway changes by default, and a group's object
 * form. (Which groups judge the connection's source address is kept with their capacities in limits.ts.)
 */
import type { MANAGED_RULE_ACTIONS, ResolvedManagedRuleGroup } from './schema';

export type ManagedRuleAction = (typeof MANAGED_RULE_ACTIONS)[number];

/** The object form of a group, whichever form the map used. */
export type ManagedRuleGroupSpec = Exclude<ResolvedManagedRuleGroup, string>;

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
