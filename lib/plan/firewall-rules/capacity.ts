/**
 * Web ACL capacity (WCU) of rules as built, statement by statement, from the published figures in
 * `limits.ts`. A statement kind without a figure here throws, so no rule can be built uncounted.
 */
import type { IResolvable } from 'aws-cdk-lib';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { MANAGED_RULE_GROUPS, WAF_CUSTOM_KEY_WCU, WAF_MATCH_WCU, WAF_RATE_RULE_WCU, WAF_WCU_INCLUDED, WAF_WCU_MAX } from '../../service-map/limits';
import { checkQuota, type QuotaCheck } from '../quota-check';

type Statement = CfnWebACL.StatementProperty;

function plain<T>(value: T | IResolvable, what: string): T {
  if (value !== null && typeof value === 'object' && typeof (value as Partial<IResolvable>).resolve === 'function') {
    throw new Error(`WAF capacity: ${what} is a token; its capacity cannot be counted at synth`);
  }
  return value as T;
}

function list<T>(value: ReadonlyArray<T | IResolvable> | IResolvable | undefined, what: string): T[] {
  return (plain(value ?? [], what) as ReadonlyArray<T | IResolvable>).map((v) => plain(v, what));
}

function byteMatchCapacity(s: CfnWebACL.ByteMatchStatementProperty): number {
  const field = plain(s.fieldToMatch, 'fieldToMatch');
  const counted = ['singleHeader', 'uriPath'];
  const inspected = Object.keys(field).filter((k) => (field as Record<string, unknown>)[k] !== undefined);
  if (inspected.some((k) => !counted.includes(k))) throw new Error(`WAF capacity: no figure for a string match on ${inspected.join(', ')}`);
  const base = ['CONTAINS', 'CONTAINS_WORD'].includes(s.positionalConstraint) ? WAF_MATCH_WCU.byteMatchContains : WAF_MATCH_WCU.byteMatch;
  const transformations = list<CfnWebACL.TextTransformationProperty>(s.textTransformations, 'textTransformations').filter((t) => t.type !== 'NONE');
  return base + transformations.length * WAF_MATCH_WCU.textTransformation;
}

export function statementCapacity(statement: Statement | IResolvable): number {
  const s = plain(statement, 'statement');
  if (s.byteMatchStatement) return byteMatchCapacity(plain(s.byteMatchStatement, 'byteMatchStatement'));
  if (s.ipSetReferenceStatement) {
    const forwarded = plain(plain(s.ipSetReferenceStatement, 'ipSetReferenceStatement').ipSetForwardedIpConfig ?? {}, 'ipSetForwardedIpConfig');
    return WAF_MATCH_WCU.ipSet + ((forwarded as CfnWebACL.IPSetForwardedIPConfigurationProperty).position === 'ANY' ? WAF_MATCH_WCU.ipSetAnyPosition : 0);
  }
  if (s.geoMatchStatement) return WAF_MATCH_WCU.geoMatch;
  if (s.notStatement) return statementCapacity(plain(s.notStatement, 'notStatement').statement);
  if (s.orStatement) return sum(list<Statement>(plain(s.orStatement, 'orStatement').statements, 'statements').map(statementCapacity));
  if (s.andStatement) return sum(list<Statement>(plain(s.andStatement, 'andStatement').statements, 'statements').map(statementCapacity));
  if (s.rateBasedStatement) {
    const rate = plain(s.rateBasedStatement, 'rateBasedStatement');
    const customKeys = list(rate.customKeys, 'customKeys').length;
    return WAF_RATE_RULE_WCU + customKeys * WAF_CUSTOM_KEY_WCU + (rate.scopeDownStatement ? statementCapacity(rate.scopeDownStatement) : 0);
  }
  if (s.managedRuleGroupStatement) {
    const { vendorName, name, scopeDownStatement } = plain(s.managedRuleGroupStatement, 'managedRuleGroupStatement');
    const group = vendorName === 'AWS' ? MANAGED_RULE_GROUPS.find((g) => g.name === name) : undefined;
    if (!group) throw new Error(`WAF capacity: no published capacity for the managed rule group ${vendorName}/${name}`);
    // Rule action overrides cost nothing; a scope-down costs what its statement costs.
    return group.wcu + (scopeDownStatement ? statementCapacity(scopeDownStatement) : 0);
  }
  throw new Error(`WAF capacity: no figure for a statement of kind ${Object.keys(s).join(', ')}`);
}

export function webAclCapacity(rules: ReadonlyArray<Pick<CfnWebACL.RuleProperty, 'statement'>>): number {
  return sum(rules.map((r) => statementCapacity(r.statement)));
}

/** The web ACL's capacity against the WAF maximum (hard; AWS WAF developer guide, "AWS WAF quotas"). */
export function webAclCapacityQuota(wcu: number): QuotaCheck {
  return checkQuota(
    { quota: 'Maximum web ACL capacity units', scope: 'web ACL', used: wcu, limit: WAF_WCU_MAX, kind: 'hard' },
    { problem: (u) => `firewall: the web ACL needs ${u.used} WCU, above the WAF maximum of ${u.limit}; remove managed rule groups or rate rules` },
  );
}

/** The capacity verdict: a problem above the maximum, a warning above the capacity included in the base price. */
export function capacityFindings(wcu: number): { readonly problem?: string; readonly warning?: string } {
  const max = webAclCapacityQuota(wcu);
  if (max.problems.length > 0) return { problem: max.problems[0] };
  if (wcu > WAF_WCU_INCLUDED) {
    return {
      warning: `firewall: the web ACL needs ${wcu} WCU; above ${WAF_WCU_INCLUDED} WCU AWS WAF charges extra per request (quota "${max.quota}"; remove managed rule groups or rate rules to stay within ${WAF_WCU_INCLUDED})`,
    };
  }
  return {};
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
