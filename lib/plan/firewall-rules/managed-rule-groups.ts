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
import { BLOCKING_RULES, effectiveRuleActions, managedRuleGroupSpec, type ManagedRuleAction, type ManagedRuleGroupSpec } from '../../service-map/managed-rule-groups';
import type { ResolvedManagedRuleGroup, ResolvedServiceMap } from '../../service-map/schema';
import { FORBIDDEN } from './block-responses';
import { pathPrefixScope, serviceScope } from './rate-rules';
import type { RuleTarget } from './target';
import type { RuleSpec } from './web-acl-rules';

const BOT_CONTROL = 'AWSManagedRulesBotControlRuleSet';

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
