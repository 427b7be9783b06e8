/**
 * Every warning the library gives, by rule. A warning's id is `cdk-service-gateway:<rule>`: it names what the
 * warning is about, never its position, so acknowledging one (the map's `acknowledgeWarnings`, or CDK's own
 * `Annotations.of(scope).acknowledgeWarning(id)`) never hides a different warning after the map changes.
 * Pure TypeScript, no CDK import.
 */

/** Rule name -> what the warning is about (listed in the README and the `acknowledgeWarnings` docs). */
export const WARNING_RULES = {
  'url-bypasses-firewall': 'on the HTTP front door, requests to "url" services never pass the web ACL on the ALBs',
  'native-authorizer-ignores-jwks-uri': 'the native JWT authorizer reads keys through OIDC discovery, not auth.jwt.jwksUri',
  'native-authorizer-rsa-only': 'the native JWT authorizer verifies RSA signatures only',
  'native-authorizer-any-scope': 'the native JWT authorizer admits a token with any one of a route\'s scopes',
  'usage-plans-unused': 'usage plans exist but no service uses auth "apiKey"',
  'alb-count-follows-services': 'the ALB count is derived from the service count (network.loadBalancers not pinned)',
  'alb-count-about-to-grow': 'a few more container services will add an ALB and move services to it',
  'target-group-targets-quota': 'a service at maxTasks, while ECS deploys it, needs more targets than a target group allows by default',
  'alb-targets-quota': 'the services on one ALB, at maxTasks while ECS deploys them, need more targets than an ALB allows by default',
  'security-group-rules-quota': 'an ALB needs more security-group rules than the default quota',
  'alb-rules-quota': 'an ALB needs more listener rules than the default quota (one per container service, and one for CORS preflights)',
  'rest-api-resources-quota': 'the REST API needs more resources than the default quota',
  'http-api-routes-quota': 'the HTTP API needs more routes than the default quota',
  'managed-rule-name-unknown': 'a managed rule group override or exclusion names a rule the gateway does not know (AWS may have added it)',
  'waf-capacity': 'the web ACL needs more WCU than AWS WAF includes in the base price',
  'target-group-name-vpc': 'a FargateBackend\'s target group name was planned for another VPC than its cluster\'s',
  'network-ignored-with-vpc-prop': 'network.maxAzs, natGateways or availabilityZones describe a new VPC, but the vpc (or cluster) prop gives the VPC',
} as const;

export type WarningRule = keyof typeof WARNING_RULES;

/** The prefix of every warning id (`cdk-service-gateway:url-bypasses-firewall`). */
export const WARNING_ID_PREFIX = 'cdk-service-gateway:';

/** A warning: synth goes on, but the map deserves a look. */
export interface MapWarning {
  /** Stable id named after the rule, e.g. `cdk-service-gateway:url-bypasses-firewall`. */
  readonly id: string;
  readonly message: string;
}

export function warningId(rule: WarningRule): string {
  return `${WARNING_ID_PREFIX}${rule}`;
}

export function mapWarning(rule: WarningRule, message: string): MapWarning {
  return { id: warningId(rule), message };
}

/** Every id a map may acknowledge. */
export const WARNING_IDS: readonly string[] = Object.keys(WARNING_RULES).map((r) => warningId(r as WarningRule));
