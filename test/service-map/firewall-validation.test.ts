import { validateServiceMap } from '../../lib/plan';
import { problemsOf } from '../support/problems';

const jwt = { issuer: 'https://id.example.com/', audience: ['shop'] };
const orders = { path: '/orders', container: { image: 'nginx:1.27' } };
const payment = { path: '/payment', url: 'https://payment.example.com' };
const map = (firewall: Record<string, unknown>, extra: Record<string, unknown> = {}, services: Record<string, unknown> = { orders }) => ({
  name: 'shop',
  auth: { jwt },
  firewall: { managedRuleGroups: [], ...firewall },
  services,
  ...extra,
});

describe('firewall validation: what the web ACL can see where it sits', () => {
  test('"user" limits need the HTTP front door: a REST stage inspects requests before the authorizer', () => {
    const problems = problemsOf(map({ rateLimits: [{ limit: 100, key: 'user' }] }, { frontDoor: 'rest' }, { orders: { ...orders, rateLimits: [{ limit: 10, key: 'user' }] } }));
    expect(problems).toEqual([
      expect.stringMatching(/^firewall\.rateLimits\[0\]\.key: "user" needs the HTTP front door: on the REST front door WAF inspects a request before the authorizer runs/),
      expect.stringMatching(/^services\.orders\.rateLimits\[0\]\.key: "user" needs the HTTP front door/),
    ]);
    expect(problemsOf(map({ rateLimits: [{ limit: 100, key: 'user' }] }))).toEqual([]);
    // Nothing is built when the firewall is off.
    expect(problemsOf(map({ enabled: false, rateLimits: [{ limit: 100, key: 'user' }] }, { frontDoor: 'rest' }))).toEqual([]);
  });

  test('a "url" service cannot have WAF limits on the HTTP front door (its requests never pass the ALB); it can on REST', () => {
    const services = { orders, payment: { ...payment, rateLimits: [{ limit: 100 }] } };
    expect(problemsOf(map({}, {}, services))).toEqual([
      expect.stringMatching(/^services\.payment\.rateLimits: WAF cannot limit a "url" service on the HTTP front door: the web ACL sits on the internal ALB/),
    ]);
    expect(problemsOf(map({}, { frontDoor: 'rest' }, services))).toEqual([]);
  });

  test('HTTP front door with url services: a warning says no WAF rule applies to them', () => {
    const { warnings } = validateServiceMap(map({}, {}, { orders, payment }));
    expect(warnings).toEqual([{ id: 'cdk-service-gateway:url-bypasses-firewall', message: expect.stringMatching(/^firewall: on the HTTP front door .* requests to "url" services \(payment\) never pass it, so no WAF rule applies to them/) }]);
    expect(validateServiceMap(map({}, { frontDoor: 'rest' }, { orders, payment })).warnings).toEqual([]);
    expect(validateServiceMap(map({ enabled: false }, {}, { orders, payment })).warnings).toEqual([]);
    expect(validateServiceMap(map({})).warnings).toEqual([]);
  });

  test('source-address managed groups are rejected on the HTTP front door, where the source is always the VPC link', () => {
    const groups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'];
    expect(problemsOf(map({ managedRuleGroups: groups }))).toEqual([
      expect.stringMatching(/^firewall\.managedRuleGroups\[1\]: "AWSManagedRulesAmazonIpReputationList" judges the connection's source address, which on the HTTP front door is always the VPC link's/),
      expect.stringMatching(/^firewall\.managedRuleGroups\[2\]: "AWSManagedRulesAnonymousIpList" judges/),
    ]);
    expect(problemsOf(map({ managedRuleGroups: groups }, { frontDoor: 'rest' }))).toEqual([]);
  });
});

describe('firewall validation: rules WAF would reject', () => {
  test('two rules that end up with one WAF rule name, explicit or derived', () => {
    const problems = problemsOf(
      map(
        { rateLimits: [{ limit: 100, windowSeconds: 60 }, { limit: 100, windowSeconds: 60, key: 'ip' }, { name: 'svc-orders-per-ip', limit: 10 }] },
        {},
        { orders: { ...orders, rateLimits: [{ name: 'per-ip', limit: 10 }] } },
      ),
    );
    expect(problems).toEqual([
      'firewall.rateLimits[1]: its WAF rule name "ip-100-per-60s" is also the name of firewall.rateLimits[0]; give one of them a different "name"',
      'services.orders.rateLimits[0]: its WAF rule name "svc-orders-per-ip" is also the name of firewall.rateLimits[2]; give one of them a different "name"',
    ]);
  });

  test('the same limit on two services is two rules, one per service', () => {
    const rule = { limit: 100, windowSeconds: 60 };
    expect(problemsOf(map({}, {}, { orders: { ...orders, rateLimits: [rule] }, users: { path: '/users', container: { image: 'x' }, rateLimits: [rule] } }))).toEqual([]);
  });

  test('a managed rule group listed twice', () => {
    expect(problemsOf(map({ managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesCommonRuleSet'] }))).toEqual([
      'firewall.managedRuleGroups[2]: "AWSManagedRulesCommonRuleSet" is listed twice',
    ]);
  });

  test('/0 CIDRs (WAF IP sets take every prefix length but /0)', () => {
    expect(problemsOf(map({ blockedIpCidrs: ['0.0.0.0/0'], allowedIpCidrs: ['::/0', '10.0.0.0/8'] }))).toEqual([
      'firewall.blockedIpCidrs[0]: "0.0.0.0/0" spans every address; AWS WAF IP sets accept any prefix length but /0',
      'firewall.allowedIpCidrs[0]: "::/0" spans every address; AWS WAF IP sets accept any prefix length but /0',
    ]);
  });
});

describe('firewall validation: capacity', () => {
  // 1,950 WCU of managed groups, then rate rules of 2 (ip) and 32 (user) WCU.
  const groups = [
    'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesWindowsRuleSet',
    'AWSManagedRulesUnixRuleSet', 'AWSManagedRulesPHPRuleSet', 'AWSManagedRulesWordPressRuleSet', 'AWSManagedRulesAdminProtectionRuleSet', 'AWSManagedRulesBotControlRuleSet',
  ];
  const rateLimits = (user: number, ip: number) => [
    ...Array.from({ length: user }, (_, i) => ({ name: `u${i}`, limit: 100, key: 'user' })),
    ...Array.from({ length: ip }, (_, i) => ({ name: `i${i}`, limit: 100 })),
  ];

  test('exactly 5,000 WCU passes; 5,001 is rejected with the count', () => {
    expect(problemsOf(map({ managedRuleGroups: groups, rateLimits: rateLimits(95, 5) }))).toEqual([]);
    expect(problemsOf(map({ managedRuleGroups: groups, rateLimits: rateLimits(95, 5), blockedCountries: ['KP'] }))).toEqual([
      'firewall: the web ACL needs 5001 WCU, above the WAF maximum of 5000; remove managed rule groups or rate rules',
    ]);
  });

  test('a disabled firewall has no capacity to check', () => {
    expect(problemsOf(map({ enabled: false, managedRuleGroups: groups, rateLimits: rateLimits(150, 0) }))).toEqual([]);
  });
});
