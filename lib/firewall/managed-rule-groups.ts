/**
 * AWS managed rule groups, each as one rule named after the group. Blocks from a group's own rules get
 * WAF's default 403 (a group's rules can only be given a custom response one rule name at a time).
 */
import type { RuleSpec } from './web-acl-rules';

/**
 * Groups that judge the connection's source address (AWS WAF developer guide, "IP reputation rule
 * groups"); they cannot read a forwarded-IP header, so on an ALB behind the VPC link they never match.
 */
export const SOURCE_ADDRESS_RULE_GROUPS: readonly string[] = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'];

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
