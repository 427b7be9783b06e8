import { planGateway, withIpSetArns, type GatewayPlan } from '../../lib/plan';
import { restIntegrationUri } from '../../lib/plan/gateway-plan';
import type { ServiceMap } from '../../lib/service-map';
import { everyFeatureRest } from '../support/every-feature';
import { exampleMap } from '../support/gateway';

function planOf(map: unknown): GatewayPlan {
  const { problems, plan } = planGateway(map);
  expect(problems).toEqual([]);
  return plan!;
}

const jwt = { issuer: 'https://id.example.com/', audience: ['api'] };
const image = 'public.ecr.aws/nginx/nginx:1.27';

describe('the gateway plan (HTTP front door)', () => {
  const plan = planOf({
    name: 'shop',
    auth: { jwt, default: 'jwt', authorizer: 'native' },
    throttle: { rateLimit: 50, burstLimit: 100 },
    firewall: { rateLimits: [{ name: 'per-ip', limit: 2000, key: 'ip' }], managedRuleGroups: [] },
    services: {
      orders: { path: '/orders', container: { image, port: 8080 }, scopes: ['orders:read'], throttle: { rateLimit: 10, burstLimit: 20 }, rateLimits: [{ limit: 100 }] },
      status: { path: '/status', url: 'https://status.example.com/v1', auth: 'none', stripPrefix: true },
    },
  } satisfies ServiceMap);
  const service = (name: string) => plan.services.find((s) => s.name === name)!;

  test('routes carry their auth, scopes and own throttle; the stage default is the gateway throttle', () => {
    expect(plan.stageName).toBe('$default');
    expect(plan.stageThrottle).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(service('orders').routes.map((r) => [r.key, r.authorizationType, r.authorizationScopes, r.throttle])).toEqual([
      ['ANY /orders', 'JWT', ['orders:read'], { rateLimit: 10, burstLimit: 20 }],
      ['ANY /orders/{proxy+}', 'JWT', ['orders:read'], { rateLimit: 10, burstLimit: 20 }],
    ]);
    expect(service('status').routes.map((r) => [r.key, r.authorizationType, r.throttle])).toEqual([
      ['ANY /status', 'NONE', undefined],
      ['ANY /status/{proxy+}', 'NONE', undefined],
    ]);
  });

  test('integrations set every gateway header and the path the backend sees', () => {
    const [exact, proxy] = service('orders').routes.map((r) => r.integration);
    expect(exact).toMatchObject({ id: 'Alb0VerifiedFullIntegration', connectionType: 'VPC_LINK', target: 'ALB 0', timeoutMs: 29000 });
    expect(exact.requestParameters).toEqual({
      'overwrite:header.x-gateway-service': '$context.routeKey',
      'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp',
      'overwrite:header.x-gateway-user': '$context.authorizer.claims.sub',
      'overwrite:header.x-gateway-scopes': '$context.authorizer.claims.scope',
      'overwrite:path': '$request.path',
    });
    expect(proxy.id).toBe(exact.id);
    // The shared integration's ALB and description; a url service's own integration is described by its name and URL.
    expect(exact).toMatchObject({ loadBalancer: 0, description: 'ALB 0, verified callers, path full, timeout 29000 ms' });
    expect(service('status').routes.map((r) => [r.integration.id, r.integration.loadBalancer, r.integration.description])).toEqual([
      ['IntegrationExact', undefined, 'status: https://status.example.com/v1'],
      ['Integration', undefined, 'status: https://status.example.com/v1'],
    ]);
    const [urlExact, urlProxy] = service('status').routes.map((r) => r.integration);
    expect(urlExact.requestParameters['overwrite:path']).toBe('/v1');
    expect(urlProxy.requestParameters['overwrite:path']).toBe('/v1/${request.path.proxy}');
    expect(urlExact.requestParameters['remove:header.x-gateway-user']).toBe("''");
  });

  test('a container service has its ALB, listener priority, target group, nested stack and alarms', () => {
    const orders = service('orders');
    expect(orders.loadBalancer).toEqual({ index: 0, priority: expect.any(Number), targetGroupName: expect.stringMatching(/^shop-orders-[0-9a-z]{7}$/), port: 8080, vpc: 'new VPC', healthCheck: expect.objectContaining({ path: expect.any(String) }), routeKeys: ['ANY /orders', 'ANY /orders/{proxy+}'] });
    expect(orders.loadBalancer!.priority).toBeGreaterThanOrEqual(1);
    expect(orders.loadBalancer!.priority).toBeLessThanOrEqual(50000);
    expect(orders.nestedStack.id).toBe(`ServiceGroup${String(orders.nestedStack.group).padStart(2, '0')}`);
    expect(orders.alarms).toMatchObject({ p99LatencyMs: plan.alarms.p99LatencyMs, minTasks: 2 });
    expect(service('status')).toMatchObject({ kind: 'url', url: 'https://status.example.com/v1' });
    expect(service('status').loadBalancer).toBeUndefined();
    expect(service('status').alarms).toMatchObject({ p99LatencyMs: plan.alarms.p99LatencyMs, error5xxPercent: plan.alarms.error5xxPercent });
  });

  test('the target group name says the VPC it was made for: the map\'s network.vpcId, or a VPC the gateway creates', () => {
    const inVpc = planOf({ name: 'shop', network: { vpcId: 'vpc-0123456789abcdef0' }, services: { orders: { path: '/orders', container: { image, port: 8080 } } } });
    expect(inVpc.services[0].loadBalancer).toMatchObject({ vpc: 'vpc-0123456789abcdef0' });
    // The name follows the VPC: the same service in another VPC gets another name.
    expect(inVpc.services[0].loadBalancer!.targetGroupName).not.toBe(service('orders').loadBalancer!.targetGroupName);
  });

  test('the firewall sits on the ALBs, rules in evaluation order with their WCU and service', () => {
    expect(plan.firewall!.target).toEqual({ kind: 'alb' });
    expect(plan.firewall!.rules).toEqual([
      // A forwarded-IP rate rule costs 2; scoped to a service, 2 more per header match.
      { priority: 0, name: 'per-ip', action: 'block', wcu: 2, service: undefined },
      { priority: 1, name: 'svc-orders-ip-100-per-300s', action: 'block', wcu: 6, service: 'orders' },
    ]);
    expect(plan.firewall!.capacity).toEqual({ wcu: 8, included: 1500, max: 5000 });
    expect(service('orders').firewallRules).toEqual(['svc-orders-ip-100-per-300s']);
  });

  test('the HTTP front door has no REST part (no usage plans, keys or response cache)', () => {
    expect(plan.rest).toBeUndefined();
  });

  test('the native authorizer: API Gateway checks scopes on the route, so identity is the token alone', () => {
    expect(plan.authorizer).toMatchObject({ name: 'shop-jwt', kind: 'native', type: 'JWT', identitySource: ['$request.header.Authorization'] });
  });

  test('quotas are counted against their limits', () => {
    const quota = (name: string, scope: string) => plan.quotas.find((q) => q.quota === name && q.scope === scope);
    expect(quota('Routes per API', 'HTTP API')).toEqual({ quota: 'Routes per API', scope: 'HTTP API', used: 4, limit: 300, kind: 'adjustable' });
    // One shared integration per path mapping for orders (both full), two own for the stripped url service.
    expect(quota('Integrations per API', 'HTTP API')).toMatchObject({ used: 3, limit: 300, kind: 'hard' });
    expect(quota('Target groups per Application Load Balancer', 'ALB 0')).toMatchObject({ used: 1, limit: 100 });
    expect(quota('Maximum web ACL capacity units', 'web ACL')).toMatchObject({ used: 8, limit: 5000 });
  });
});

describe('the gateway plan (REST front door, every feature)', () => {
  const plan = planOf(everyFeatureRest);
  const service = (name: string) => plan.services.find((s) => s.name === name)!;

  test('with cors, an OPTIONS method beside each ANY method, answered by API Gateway (MOCK), never behind an authorizer or a key', () => {
    const orders = service('orders');
    expect(orders.preflightRoutes.map((r) => [r.key, r.exactRoute, r.authorizationType, r.apiKeyRequired, r.integration.type])).toEqual([
      ['OPTIONS /v2/orders', true, 'NONE', false, 'MOCK'],
      ['OPTIONS /v2/orders/{proxy+}', false, 'NONE', false, 'MOCK'],
    ]);
    // Every service gets them, API-key services too; without cors, none.
    expect(plan.services.every((s) => s.preflightRoutes.length === s.routes.filter((r) => r.method === 'ANY').length)).toBe(true);
    expect(planOf({ ...everyFeatureRest, cors: undefined }).services.flatMap((s) => s.preflightRoutes)).toEqual([]);
  });

  test('a cached service gets GET methods; every method with settings repeats the throttle and says its cache', () => {
    expect(service('orders').routes.map((r) => [r.key, r.authorizationType, r.apiKeyRequired, r.throttle, r.cache])).toEqual([
      ['ANY /v2/orders', 'CUSTOM', false, { rateLimit: 1000, burstLimit: 2000 }, { cachingEnabled: false }],
      ['ANY /v2/orders/{proxy+}', 'CUSTOM', false, { rateLimit: 1000, burstLimit: 2000 }, { cachingEnabled: false }],
      ['GET /v2/orders', 'CUSTOM', false, { rateLimit: 1000, burstLimit: 2000 }, { cachingEnabled: true, cacheTtlInSeconds: 30, cacheDataEncrypted: true }],
      ['GET /v2/orders/{proxy+}', 'CUSTOM', false, { rateLimit: 1000, burstLimit: 2000 }, { cachingEnabled: true, cacheTtlInSeconds: 30, cacheDataEncrypted: true }],
    ]);
    // No own throttle and no cache: no method settings, the stage default applies.
    expect(service('users').routes.map((r) => [r.key, r.apiKeyRequired, r.throttle])).toEqual([
      ['ANY /v2/users', true, undefined],
      ['ANY /v2/users/{proxy+}', true, undefined],
    ]);
  });

  test('REST integrations name the backend URI; the stage never reaches a backend', () => {
    const legacy = service('legacy').routes.map((r) => r.integration);
    expect(legacy.map((i) => [i.connectionType, i.uri])).toEqual([
      ['INTERNET', 'https://legacy.example.com/api/'],
      ['INTERNET', 'https://legacy.example.com/api/{proxy}'],
    ]);
    const get = service('orders').routes[3].integration;
    expect(get).toMatchObject({ connectionType: 'VPC_LINK', uri: 'http://(ALB)/v2/orders/{proxy}', target: `ALB ${service('orders').loadBalancer!.index}` });
    expect(get.cacheKeyParameters).toEqual(['method.request.path.proxy', 'method.request.header.Authorization']);
  });

  test('each method declares what it needs: the proxied path (required) and the other cache keys (optional)', () => {
    expect(service('orders').routes.map((r) => [r.key, r.methodRequestParameters])).toEqual([
      ['ANY /v2/orders', {}],
      ['ANY /v2/orders/{proxy+}', { 'method.request.path.proxy': true }],
      ['GET /v2/orders', { 'method.request.header.Authorization': false }],
      ['GET /v2/orders/{proxy+}', { 'method.request.path.proxy': true, 'method.request.header.Authorization': false }],
    ]);
    expect(service('users').routes[1].methodRequestParameters).toEqual({ 'method.request.path.proxy': true });
  });

  test("a container method's planned URI gets the ALB's DNS name in place of the planned host; a URL stays as planned", () => {
    const orders = service('orders');
    expect(orders.routes[1].integration.loadBalancer).toBe(orders.loadBalancer!.index);
    expect(restIntegrationUri(orders.routes[1].integration, 'internal-alb.example')).toBe('http://internal-alb.example/v2/orders/{proxy}');
    expect(() => restIntegrationUri(orders.routes[1].integration, undefined)).toThrow(/ALB \d: a container integration needs its ALB's DNS name/);
    const legacy = service('legacy').routes[1].integration;
    expect(legacy.loadBalancer).toBeUndefined();
    expect(restIntegrationUri(legacy, undefined)).toBe('https://legacy.example.com/api/{proxy}');
  });

  test('the firewall sits on the stage; with a custom domain, WAF sees paths without the stage', () => {
    expect(plan.stageName).toBe('v1');
    expect(plan.firewall!.target).toEqual({ kind: 'restStage', pathPrefix: '' });
    expect(plan.firewall!.rules.map((r) => r.name)).toEqual([
      'IpAllowList', 'IpBlockList', 'CountryBlockList', 'per-ip', 'per-key', 'svc-orders-ip-100-per-60s', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAmazonIpReputationList',
    ]);
    expect(plan.firewall!.rules.map((r) => r.priority)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(plan.firewall!.rules.find((r) => r.name === 'AWSManagedRulesCommonRuleSet')).toMatchObject({ action: 'managed', wcu: 700 });
  });

  test('REST: a cache cluster because a service caches, nothing cached by default, usage plans and keys as API Gateway names them', () => {
    expect(plan.rest).toEqual({
      cacheCluster: { cacheClusterEnabled: true, cacheClusterSize: '0.5' },
      defaultCache: { cachingEnabled: false, cacheDataEncrypted: true },
      usagePlans: [{ name: 'free', usagePlanName: 'full-free', description: 'full gateway: usage plan "free"', throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: 'DAY' } }],
      apiKeys: [{ key: 'app', name: 'full-app', description: 'full gateway: API key "app"', enabled: true, plan: 'free', usagePlanName: 'full-free' }],
    });
    // No service caches: no cache cluster (it is billed by the hour).
    const uncached = planOf({ ...everyFeatureRest, services: { ...everyFeatureRest.services, orders: { ...everyFeatureRest.services.orders, cache: undefined } } });
    expect(uncached.rest!.cacheCluster).toEqual({ cacheClusterEnabled: false, cacheClusterSize: undefined });
  });

  test('the Lambda authorizer on REST: a REQUEST authorizer with its cache TTL', () => {
    expect(plan.authorizer).toMatchObject({ kind: 'lambda', type: 'REQUEST', resultTtlSeconds: 60, routeScopes: { 'ANY /v2/orders': ['orders:read'] } });
    expect(plan.quotas.find((q) => q.quota === 'Resources per API')).toMatchObject({ used: 7, limit: 300 });
  });
});

describe('planGateway', () => {
  test('is deterministic: the order services are written in changes nothing', () => {
    const map = exampleMap();
    const reversed = { ...map, services: Object.fromEntries(Object.entries(map.services).reverse()) };
    expect(JSON.stringify(planOf(reversed))).toEqual(JSON.stringify({ ...planOf(map), map: planOf(reversed).map }));
    expect(planOf(reversed).services.map((s) => s.name)).toEqual(Object.keys(map.services).sort());
  });

  test('problems and warnings come out of the same pass, and a bad map has no plan', () => {
    const result = planGateway({ name: 'x', services: { a: { path: '/a', container: { image, cpu: 300 } } }, firewall: { managedRuleGroups: ['AWSManagedRulesCommonRuleSet'] } });
    expect(result.plan).toBeUndefined();
    expect(result.problems).toEqual([expect.stringMatching(/^services\.a\.container\.cpu: 300 is not a Fargate CPU size/)]);
  });

  test('capacity: a warning above the included WCU, a problem above the maximum, counted once', () => {
    const groups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesWindowsRuleSet', 'AWSManagedRulesPHPRuleSet'];
    const { plan, warnings } = planGateway({ name: 'x', services: { a: { path: '/a', container: { image } } }, firewall: { managedRuleGroups: groups } });
    // The groups' 1,600 WCU and the default per-address rate rule's 2.
    expect(plan!.firewall!.capacity.wcu).toBe(1602);
    expect(warnings).toEqual([{ id: 'cdk-service-gateway:waf-capacity', message: plan!.firewall!.capacity.warning }]);
    expect(plan!.warnings).toEqual(warnings);
  });
});

describe('the plan carries what the map checks of other issues decide (cors, health checks, identity providers, target quotas)', () => {
  const plan = planOf({
    name: 'shop',
    cors: { allowOrigins: ['https://app.example.com'] },
    auth: { jwt: { issuer: ['https://a.example.com/', 'https://b.example.com/'], audience: ['api'], subjectClaims: ['sub', 'oid'] }, default: 'jwt' },
    services: {
      orders: { path: '/orders', container: { image, port: 8080, healthCheck: { intervalSeconds: 15 } }, scaling: { maxTasks: 600 } },
      status: { path: '/status', url: 'https://status.example.com/v1', auth: 'none' },
    },
  } satisfies ServiceMap);
  const service = (name: string) => plan.services.find((s) => s.name === name)!;

  test('cors: each service has two OPTIONS routes without an authorizer, to its ALB\'s anonymous full-path integration; the route quota counts them', () => {
    expect(service('orders').preflightRoutes.map((r) => [r.key, r.authorizationType, r.integration.id, r.integration.target])).toEqual([
      ['OPTIONS /orders', 'NONE', 'Alb0AnonymousFullIntegration', 'ALB 0'],
      ['OPTIONS /orders/{proxy+}', 'NONE', 'Alb0AnonymousFullIntegration', 'ALB 0'],
    ]);
    expect(service('status').preflightRoutes.map((r) => r.integration.target)).toEqual(['ALB 0', 'ALB 0']);
    expect(plan.quotas.find((q) => q.quota === 'Routes per API')!.used).toBe(8);
  });

  test('a container\'s target group health check, defaults filled', () => {
    expect(service('orders').loadBalancer!.healthCheck).toMatchObject({ path: expect.stringMatching(/^\//), intervalSeconds: 15 });
  });

  test('the Lambda authorizer gets every issuer and the claim settings; no jwksUri means discovery', () => {
    expect(plan.authorizer).toMatchObject({ kind: 'lambda', issuers: ['https://a.example.com/', 'https://b.example.com/'] });
    expect(plan.authorizer!.jwksUri).toBeUndefined();
    expect(plan.authorizer!.settings).toMatchObject({ issuer: ['https://a.example.com/', 'https://b.example.com/'], subjectClaims: ['sub', 'oid'] });
  });

  test('warnings carry their rule ids; targets at the peak are in the quota table', () => {
    expect(plan.warnings.map((w) => w.id)).toEqual(expect.arrayContaining(['cdk-service-gateway:target-group-targets-quota', 'cdk-service-gateway:alb-targets-quota']));
    expect(plan.quotas.find((q) => q.quota.startsWith('Targets per Target Group'))).toMatchObject({ scope: 'ALB 0', used: 1200, limit: 1000 });
  });
});

describe('the firewall plan is what the web ACL construct renders', () => {
  const lists = {
    name: 'lists',
    firewall: {
      allowedIpCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      blockedIpCidrs: ['198.51.100.7/32'],
      managedRuleGroups: [{ name: 'AWSManagedRulesCommonRuleSet', scopeDown: { pathPrefixes: ['/ip-set/allowed-ipv4'] } }],
    },
    services: { shop: { path: '/ip-set/allowed-ipv4', container: { image, port: 8080 } } },
  } satisfies ServiceMap;

  test('IP sets per list and address family, and how much of a body WAF inspects on each target', () => {
    const http = planOf(lists).firewall!;
    expect(http.ipSets.map((s) => [s.key, s.ipAddressVersion, s.addresses])).toEqual([
      ['allowed-ipv4', 'IPV4', ['203.0.113.0/24']],
      ['allowed-ipv6', 'IPV6', ['2001:db8::/32']],
      ['blocked-ipv4', 'IPV4', ['198.51.100.7/32']],
    ]);
    expect(http.bodyInspectionLimitKb).toBe(8);
    expect(planOf({ ...lists, frontDoor: 'rest' }).firewall!.bodyInspectionLimitKb).toBe(16);
    expect(planOf({ ...lists, frontDoor: 'rest', firewall: { ...lists.firewall, bodyInspectionLimitKb: 48 } }).firewall!.bodyInspectionLimitKb).toBe(48);
  });

  test('withIpSetArns points each IP set reference at its set and leaves map strings that look like a placeholder alone', () => {
    const planned = planOf(lists).firewall!;
    const rendered = JSON.stringify(withIpSetArns(planned.ruleProperties, (key) => `arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/${key}/id`));
    expect(rendered.match(/"arn":"[^"]*"/g)).toEqual([
      '"arn":"arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/allowed-ipv4/id"',
      '"arn":"arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/allowed-ipv6/id"',
      '"arn":"arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/blocked-ipv4/id"',
    ]);
    // The service path and the scope-down prefix are the same text as a placeholder, and stay as written.
    expect(rendered).toContain('"searchString":"/ip-set/allowed-ipv4"');
    expect(withIpSetArns(planned.ruleProperties, (key) => `ip-set/${key}`)).toEqual(planned.ruleProperties);
  });
});

describe('alarm thresholds in the plan (what GatewayMonitoring and ServiceAlarms render)', () => {
  const plan = planOf({
    name: 'shop',
    alarms: { apiP99LatencyMs: 700, api5xxPercent: 2 },
    services: {
      web: { path: '/web', container: { image }, scaling: { minTasks: 3, maxTasks: 6 }, alarms: { p99LatencyMs: 300, cpuPercent: 70 } },
      status: { path: '/status', url: 'https://status.example.com', alarms: { error5xxPercent: 10 } },
    },
  } satisfies ServiceMap);
  const service = (name: string) => plan.services.find((s) => s.name === name)!;

  test('the gateway\'s: the integration p99 falls back to the API p99; no 4xx alarm unless the map sets one', () => {
    expect(plan.alarms).toMatchObject({ p99LatencyMs: 700, integrationP99LatencyMs: 700, error5xxPercent: 2 });
    expect(plan.alarms.error4xxPercent).toBeUndefined();
  });

  test('a service\'s own thresholds win, the gateway\'s fill the rest; tasks below the service\'s minimum page', () => {
    expect(service('web').alarms).toEqual({ p99LatencyMs: 300, error5xxPercent: 2, cpuPercent: 70, memoryPercent: 85, minTasks: 3 });
    expect(service('status').alarms).toMatchObject({ p99LatencyMs: 700, error5xxPercent: 10 });
  });
});
