import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import { webAclCapacity, webAclRules } from '../../lib/firewall';
import { estimateWebAclCapacity, planGateway, validateServiceMap, type GatewayPlan } from '../../lib/plan';
import { ServiceGateway } from '../../lib/service-gateway';
import { ServiceMapError } from '../../lib/service-map';
import type { ServiceMap } from '../../lib/service-map/schema';
import { synthGateway } from '../support/gateway';
import { CONTAINER, shopMap, synthFirewallOf } from './helpers';

const capacityWarnings = (gw: ReturnType<typeof synthGateway>) =>
  Annotations.fromStack(gw.stack).findWarning('*', Match.stringLikeRegexp('the web ACL needs')).map((w) => String(w.entry.data));

function planOf(input: ServiceMap): GatewayPlan {
  const { problems, plan } = planGateway(input);
  expect(problems).toEqual([]);
  return plan!;
}

/** Builds the gateway construct only (no synth): a bad map fails here, before anything is created. */
function synthGatewayOf(map: ServiceMap): ServiceGateway {
  return new ServiceGateway(new Stack(new App(), 'S'), 'Gateway', { serviceMap: map });
}

/** 1,500 WCU of managed groups: 700 + 200 + 200 + 200 + 200. */
const GROUPS_1500 = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesWindowsRuleSet'];
/** Every managed group the HTTP front door takes: 1,950 WCU. */
const GROUPS_1950 = [...GROUPS_1500, 'AWSManagedRulesUnixRuleSet', 'AWSManagedRulesPHPRuleSet', 'AWSManagedRulesWordPressRuleSet', 'AWSManagedRulesAdminProtectionRuleSet', 'AWSManagedRulesBotControlRuleSet'];

/** 5,000 WCU on the HTTP front door: 1,950 + 95 user rules (32 each) + 5 ip rules (2 each). */
function map5000(extraFirewall: NonNullable<ServiceMap['firewall']> = {}): ServiceMap {
  const rateLimits = [
    ...Array.from({ length: 95 }, (_, i) => ({ name: `user-${i}`, limit: 100 + i, key: 'user' as const })),
    ...Array.from({ length: 5 }, (_, i) => ({ name: `ip-${i}`, limit: 1000 + i })),
  ];
  return shopMap({ managedRuleGroups: GROUPS_1950, rateLimits, ...extraFirewall });
}

describe('web ACL capacity (decided in the plan)', () => {
  const capacityOf = (input: ServiceMap) => planOf(input).firewall!.capacity;

  test('each rule costs its published WCU; the plan counts exactly the rules the construct builds', () => {
    const input = shopMap(
      {
        allowedIpCidrs: ['203.0.113.0/24', '2001:db8::/32'],
        blockedIpCidrs: ['198.51.100.0/24'],
        blockedCountries: ['KP'],
        rateLimits: [{ name: 'per-ip', limit: 2000 }, { name: 'per-user', limit: 100, key: 'user' }, { limit: 50, key: 'header', headerName: 'x-api-key' }],
        managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'],
      },
      { services: { orders: { path: '/orders', container: CONTAINER, rateLimits: [{ limit: 100 }] } } },
    );
    const expected =
      2 + // allow list: NOT (IPv4 set OR IPv6 set), 1 each
      1 + // block list: one IPv4 set
      1 + // country block list
      2 + // per-ip: rate rule on the forwarded client address, no custom key
      (2 + 30) + // per-user: one custom key (x-gateway-user)
      (2 + 30) + // x-api-key: one custom key
      (2 + 2 + 2) + // orders: rate rule, scoped by two exact header matches
      700 + // AWSManagedRulesCommonRuleSet
      200; // AWSManagedRulesKnownBadInputsRuleSet
    expect(capacityOf(input).wcu).toBe(expected);
    expect(estimateWebAclCapacity(validateServiceMap(input).map)).toBe(expected);
    // The rules as the construct builds them, with its IP set ARNs instead of the plan's placeholders.
    const { map } = validateServiceMap(input);
    expect(webAclCapacity(webAclRules(map, { kind: 'alb' }, (key) => `arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/${key}/id`))).toBe(expected);
  });

  test('on the REST stage a per-service limit costs its URL-decoded path matches: 2 + 2 × (2 + 10)', () => {
    const input: ServiceMap = { ...shopMap({ rateLimits: [], managedRuleGroups: [] }, { services: { orders: { path: '/orders', container: CONTAINER, rateLimits: [{ limit: 100 }] } } }), frontDoor: 'rest' };
    expect(capacityOf(input).wcu).toBe(26);
  });

  test('at 1,500 WCU (included in the base price) there is no warning; at 1,501 a warning names the capacity', () => {
    expect(capacityOf(shopMap({ managedRuleGroups: GROUPS_1500, rateLimits: [] }))).toEqual({ wcu: 1500, included: 1500, max: 5000 });
    const at1501 = planOf(shopMap({ managedRuleGroups: GROUPS_1500, rateLimits: [], blockedCountries: ['KP'] }));
    expect(at1501.firewall!.capacity.wcu).toBe(1501);
    expect(at1501.warnings).toEqual([
      { id: 'cdk-service-gateway:waf-capacity', message: expect.stringMatching(/^firewall: the web ACL needs 1501 WCU; above 1500 WCU AWS WAF charges extra per request \(quota "Maximum web ACL capacity units"/) },
    ]);
  });

  test('5,000 WCU (the WAF maximum) plans; 5,001 is a problem, with no plan', () => {
    expect(capacityOf(map5000()).wcu).toBe(5000);
    const over = planGateway(map5000({ blockedCountries: ['KP'] }));
    expect(over.plan).toBeUndefined();
    expect(over.problems).toEqual(['firewall: the web ACL needs 5001 WCU, above the WAF maximum of 5000; remove managed rule groups or rate rules']);
    expect(() => synthGatewayOf(map5000({ blockedCountries: ['KP'] }))).toThrow(ServiceMapError);
  });
});

describe('web ACL capacity (rendered)', () => {
  test('the gateway renders the plan\'s verdict: the firewall\'s capacity, and the warning once, under its own id', () => {
    const gw = synthGateway(shopMap({ managedRuleGroups: GROUPS_1500, rateLimits: [], blockedCountries: ['KP'] }));
    expect(gw.gateway.firewall!.capacity).toBe(gw.gateway.plan.firewall!.capacity.wcu);
    // Once (the gateway leaves it to the firewall), with the firewall's stable id.
    expect(capacityWarnings(gw)).toEqual([`${gw.gateway.plan.firewall!.capacity.warning} [ack: cdk-service-gateway:waf-capacity]`]);
  });

  test('GatewayFirewall on its own refuses a web ACL above the maximum', () => {
    const { map } = validateServiceMap(map5000());
    const over = { ...map, firewall: { ...map.firewall, blockedCountries: ['KP'] } };
    expect(() => synthFirewallOf(over, { kind: 'alb', loadBalancerArns: [] })).toThrow(/the web ACL needs 5001 WCU, above the WAF maximum of 5000/);
  });
});
