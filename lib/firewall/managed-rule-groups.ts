/**
 * AWS managed rule groups, each as one rule named after the group. Blocks from a group's own rules get
 * WAF's default 403 (a group's rules can only be given a custom response one rule name at a time).
 */
import type { RuleSpec } from './web-acl-rules';

// Which groups judge the source address is a fact about the groups, kept with their capacities.
export { SOURCE_ADDRESS_RULE_GROUPS } from '../service-map/limits';

const BOT_CONTROL = 'AWSManagedRulesBotControlRuleSet';

export function managedRuleGroupRule(name: string): RuleSpec {
  return {
    name,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        // Bot Control needs its inspection level; COMMON is the level whose capacity limits.ts lists.
        ...(name === BOT_CONTROL ? { managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }] } : {}),
      },
    },
  };
}
