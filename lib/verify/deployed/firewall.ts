/**
 * The deployed WAF web ACL, reduced to items comparable with the map.
 */
import type { FieldToMatch, ManagedRuleGroupStatement, RateBasedStatement, RuleAction, RateBasedStatementCustomKey, ResourceType, Rule, Statement, TextTransformation, WebACL } from '@aws-sdk/client-wafv2';
import { type Item, NOT_SET } from '../items';

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

/**
 * A rate-based statement: its limit and window, what it counts by (the client address, a header the
 * gateway sets) and which requests it counts at all (the scope-down statement of a per-service limit).
 */
export function rateAttributes(rate: RateBasedStatement): Record<string, string> {
  return {
    limit: String(rate.Limit),
    window: `${rate.EvaluationWindowSec ?? DEFAULT_WINDOW_SECONDS} s`,
    aggregate: aggregateValue(rate),
    ...(rate.ScopeDownStatement ? { scopeDown: statementValue(rate.ScopeDownStatement) } : {}),
  };
}

/** `IP`, `FORWARDED_IP x-gateway-client-ip (fallback NO_MATCH)`, `CUSTOM_KEYS header x-gateway-user`. */
function aggregateValue(rate: RateBasedStatement): string {
  switch (rate.AggregateKeyType) {
    case undefined:
      return NOT_SET;
    case 'FORWARDED_IP': {
      const config = rate.ForwardedIPConfig;
      return `FORWARDED_IP ${headerName(config?.HeaderName)} (fallback ${config?.FallbackBehavior ?? NOT_SET})`;
    }
    case 'CUSTOM_KEYS':
      return `CUSTOM_KEYS ${(rate.CustomKeys ?? []).map(customKeyValue).join(' + ') || NOT_SET}`;
    default:
      return rate.AggregateKeyType;
  }
}

function customKeyValue(key: RateBasedStatementCustomKey): string {
  if (key.Header) return `header ${headerName(key.Header.Name)}${transformationsValue(key.Header.TextTransformations)}`;
  // Kinds the gateway never creates: shown whole, so any difference is visible.
  return Object.entries(key).map(([kind, value]) => `${kind} ${JSON.stringify(value)}`).join(' ') || '(empty key)';
}

/** WAF matches header names case-insensitively. */
function headerName(name: string | undefined): string {
  return name === undefined ? NOT_SET : name.toLowerCase();
}

/** Transformations applied before matching, in order; `NONE` alone is shown as nothing. */
function transformationsValue(transformations: readonly TextTransformation[] | undefined): string {
  const types = [...(transformations ?? [])].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((t) => t.Type ?? NOT_SET).filter((t) => t !== 'NONE');
  return types.length === 0 ? '' : ` (${types.join(' then ')})`;
}

/**
 * A statement in words: `uri path STARTS_WITH "/prod/orders/" (URL_DECODE) or ...`. The operands of
 * `or` and `and` are sorted, so their order never counts as drift.
 */
export function statementValue(statement: Statement): string {
  const operand = (s: Statement | undefined) => {
    if (!s) return NOT_SET;
    const text = statementValue(s);
    return s.OrStatement || s.AndStatement ? `(${text})` : text;
  };
  if (statement.OrStatement) return (statement.OrStatement.Statements ?? []).map(operand).sort().join(' or ');
  if (statement.AndStatement) return (statement.AndStatement.Statements ?? []).map(operand).sort().join(' and ');
  if (statement.NotStatement) return `not ${operand(statement.NotStatement.Statement)}`;
  const byteMatch = statement.ByteMatchStatement;
  if (byteMatch) {
    const field = fieldValue(byteMatch.FieldToMatch);
    return `${field} ${byteMatch.PositionalConstraint ?? NOT_SET} "${searchText(byteMatch.SearchString)}"${transformationsValue(byteMatch.TextTransformations)}`;
  }
  return Object.entries(statement).map(([kind, value]) => `${kind} ${JSON.stringify(value)}`).join(' ') || '(empty statement)';
}

function fieldValue(field: FieldToMatch | undefined): string {
  if (field?.SingleHeader) return `header ${headerName(field.SingleHeader.Name)}`;
  if (field?.UriPath) return 'uri path';
  return field ? Object.keys(field).join(' ') || NOT_SET : NOT_SET;
}

/** The API returns a search string as bytes (base64 on the wire); the CDK writes it as text. */
function searchText(value: Uint8Array | string | undefined): string {
  if (value === undefined) return NOT_SET;
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

/**
 * Rate-based rules and managed rule groups: the rule kinds the map describes one to one. Other rules
 * (country and IP blocks) carry no names in the map and are not compared.
 */
export function ruleItems(rules: readonly Rule[]): Item[] {
  const items: Item[] = [];
  for (const rule of rules) {
    const rate = rule.Statement?.RateBasedStatement;
    const managed = rule.Statement?.ManagedRuleGroupStatement;
    if (rate) items.push({ item: rateRuleItem(rule.Name ?? '(unnamed)'), attributes: rateAttributes(rate) });
    if (managed) items.push({ item: managedRuleGroupItem(managed.VendorName ?? '(no vendor)', managed.Name ?? '(unnamed)'), attributes: managedGroupAttributes(managed) });
  }
  return items;
}

/**
 * A managed group's pinned version, its rules' actions grouped by action (`count: A B; block 403 forbidden: C`),
 * and its scope-down: what decides whether ordinary traffic gets through.
 */
export function managedGroupAttributes(group: ManagedRuleGroupStatement): Record<string, string> {
  const byAction = new Map<string, string[]>();
  for (const o of group.RuleActionOverrides ?? []) {
    const action = ruleActionValue(o.ActionToUse);
    byAction.set(action, [...(byAction.get(action) ?? []), o.Name ?? NOT_SET]);
  }
  const overrides = [...byAction.keys()].sort().map((action) => `${action}: ${byAction.get(action)!.sort().join(' ')}`);
  return {
    version: group.Version ?? 'default',
    overrides: overrides.join('; ') || 'none',
    ...(group.ScopeDownStatement ? { scopeDown: statementValue(group.ScopeDownStatement) } : {}),
  };
}

function ruleActionValue(action: RuleAction | undefined): string {
  if (!action) return NOT_SET;
  const response = action.Block?.CustomResponse;
  if (action.Block) return response ? `block ${response.ResponseCode} ${response.CustomResponseBodyKey ?? ''}`.trim() : 'block';
  return Object.entries(action).filter(([, v]) => v !== undefined).map(([k]) => k.toLowerCase()).join('+') || NOT_SET;
}

export function deployedRuleItems(webAcl: WebACL): Item[] {
  return ruleItems(webAcl.Rules ?? []);
}
