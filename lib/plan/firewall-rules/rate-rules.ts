/**
 * Rate-based rules: what each map key counts by, and how a per-service limit is scoped to its service.
 *
 * WAF does not count a request that lacks the key (no header, or no valid address in it): such requests
 * pass the rule. `ip` is the default because every request that reaches the web ACL has one.
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { GATEWAY_HEADERS, rateRuleName, routeKeys } from '../../service-map/conventions';
import type { ResolvedRateLimit } from '../../service-map/schema';
import { RATE_LIMITED } from './block-responses';
import { forwardedClientIp, type RuleTarget } from './target';
import type { RuleSpec } from './web-acl-rules';

/** The service a per-service limit is scoped to. */
export interface RateRuleScope {
  readonly service: string;
  /** The service's path prefix, e.g. `/orders`. */
  readonly path: string;
}

type Aggregation = Pick<CfnWebACL.RateBasedStatementProperty, 'aggregateKeyType' | 'forwardedIpConfig' | 'customKeys'>;

/** A rate-based rule for a gateway-wide limit, or for one service's limit when `scope` is given. */
export function rateRule(rule: ResolvedRateLimit, target: RuleTarget, scope?: RateRuleScope): RuleSpec {
  const name = rateRuleName(rule, scope?.service);
  return {
    name,
    action: RATE_LIMITED,
    statement: {
      rateBasedStatement: {
        limit: rule.limit,
        evaluationWindowSec: rule.windowSeconds,
        ...aggregation(rule, target, name),
        ...(scope ? { scopeDownStatement: serviceScope(scope, target) } : {}),
      },
    },
  };
}

function aggregation(rule: ResolvedRateLimit, target: RuleTarget, name: string): Aggregation {
  switch (rule.key) {
    case 'ip':
      // ALB: the gateway-overwritten header. NO_MATCH: a request without a valid address in it is not
      // counted (only requests that did not come through the gateway lack it, and those cannot reach the ALB).
      return target.kind === 'alb'
        ? { aggregateKeyType: 'FORWARDED_IP', forwardedIpConfig: forwardedClientIp(target, 'NO_MATCH') }
        : { aggregateKeyType: 'IP' };
    case 'user':
      // On a REST stage WAF runs before the authorizer: no verified subject exists yet (validation says so).
      if (target.kind !== 'alb') throw new Error(`WAF rule ${name}: key "user" needs the HTTP front door; a REST stage's web ACL runs before the authorizer`);
      return headerKey(GATEWAY_HEADERS.user);
    case 'header':
      if (!rule.headerName) throw new Error(`WAF rule ${name}: key "header" needs headerName`);
      return headerKey(rule.headerName);
  }
}

function headerKey(header: string): Aggregation {
  return { aggregateKeyType: 'CUSTOM_KEYS', customKeys: [{ header: { name: header, textTransformations: [{ priority: 0, type: 'NONE' }] } }] };
}

/**
 * The requests of one service. ALB: the gateway-set service header holds the matched route key, one of
 * the service's two. REST stage: the header is set after WAF runs, so the URI path: the service's path
 * exactly, or anything below it.
 */
export function serviceScope(scope: RateRuleScope, target: RuleTarget): CfnWebACL.StatementProperty {
  if (target.kind === 'alb') {
    const header = { singleHeader: { Name: GATEWAY_HEADERS.service } };
    const [exact, proxy] = routeKeys(scope.path);
    return { orStatement: { statements: [byteMatch(header, 'EXACTLY', exact), byteMatch(header, 'EXACTLY', proxy)] } };
  }
  return pathPrefixScope(scope.path, target);
}

/**
 * The requests whose path is `path` or below it, as WAF sees the path: on a REST stage with the stage in
 * front when clients call the execute-api URL; on the ALB, the path the gateway sends (the client's, for
 * services without stripPrefix; validation rejects prefixes inside a stripped service there).
 */
export function pathPrefixScope(path: string, target: RuleTarget): CfnWebACL.StatementProperty {
  const base = `${target.kind === 'alb' ? '' : (target.pathPrefix ?? '')}${path === '/' ? '' : path}`;
  const uriPath = { uriPath: {} };
  // Decoded first: "/orders" spelled "/%6Frders" must not slip past the service's limit.
  return {
    orStatement: {
      statements: [byteMatch(uriPath, 'EXACTLY', base || '/', 'URL_DECODE'), byteMatch(uriPath, 'STARTS_WITH', `${base}/`, 'URL_DECODE')],
    },
  };
}

function byteMatch(
  fieldToMatch: CfnWebACL.FieldToMatchProperty,
  positionalConstraint: 'EXACTLY' | 'STARTS_WITH',
  searchString: string,
  transformation: 'NONE' | 'URL_DECODE' = 'NONE',
): CfnWebACL.StatementProperty {
  return { byteMatchStatement: { fieldToMatch, positionalConstraint, searchString, textTransformations: [{ priority: 0, type: transformation }] } };
}
