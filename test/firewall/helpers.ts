import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GatewayFirewall } from '../../lib/firewall/gateway-firewall';
import type { FirewallTarget } from '../../lib/plan/firewall-rules/target';
import type { ResolvedServiceMap, ServiceMap } from '../../lib/service-map/schema';
import { validateServiceMap } from '../../lib/plan';

export const JWT = { issuer: 'https://id.example.com/', audience: ['shop'] };
export const CONTAINER = { image: 'public.ecr.aws/nginx/nginx:1.27' };
export const STAGE_ARN = 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod';

/** A small gateway: two container services, JWT auth, the given firewall block and extra top-level fields. */
export function shopMap(firewall: ServiceMap['firewall'], extra: Partial<ServiceMap> = {}): ServiceMap {
  return {
    name: 'shop',
    auth: { jwt: JWT },
    firewall,
    services: {
      orders: { path: '/orders', container: CONTAINER },
      catalog: { path: '/v1/catalog', container: CONTAINER },
    },
    ...extra,
  };
}

/** A `GatewayFirewall` on its own in a fresh stack, the way a REST front door built elsewhere would use it. */
export function synthFirewall(input: ServiceMap, target: FirewallTarget) {
  return synthFirewallOf(validateServiceMap(input).map, target);
}

/** As `synthFirewall`, for a map that skipped validation. */
export function synthFirewallOf(map: ResolvedServiceMap, target: FirewallTarget) {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'FirewallStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const firewall = new GatewayFirewall(stack, 'Firewall', { map, target });
  return { stack, firewall, template: Template.fromStack(stack) };
}

export interface WafRule {
  Name: string;
  Priority: number;
  Statement: Record<string, any>;
  Action?: Record<string, any>;
  OverrideAction?: Record<string, any>;
  VisibilityConfig: Record<string, any>;
}

/** The one web ACL of a template. */
export function webAclOf(template: Template): { logicalId: string; properties: Record<string, any> } {
  const acls = Object.entries(template.findResources('AWS::WAFv2::WebACL'));
  if (acls.length !== 1) throw new Error(`expected one web ACL, found ${acls.length}`);
  return { logicalId: acls[0][0], properties: (acls[0][1] as { Properties: Record<string, any> }).Properties };
}

export function rulesOf(template: Template): WafRule[] {
  return webAclOf(template).properties.Rules;
}

export function ruleOf(template: Template, name: string): WafRule {
  const rule = rulesOf(template).find((r) => r.Name === name);
  if (!rule) throw new Error(`no WAF rule ${name}; rules: ${rulesOf(template).map((r) => r.Name).join(', ')}`);
  return rule;
}
