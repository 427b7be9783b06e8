import { Match } from 'aws-cdk-lib/assertions';
import type { ServiceMap } from '../../lib/service-map/schema';
import { restPathRewrite } from '../../lib/plan/path-rewrite';
import { exampleMap, resourcesOf, synthGateway } from '../support/gateway';

const restMap = (): ServiceMap => ({
  name: 'rshop',
  frontDoor: 'rest',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] } },
  cors: { allowOrigins: ['https://a.example.com'] },
  rest: { stageName: 'live', cacheClusterSizeGb: '1.6', xrayTracing: true },
  usagePlans: {
    free: { rateLimit: 10, burstLimit: 20, quota: { limit: 1000, period: 'DAY' } },
    premium: { rateLimit: 100, burstLimit: 200, quota: { limit: 100000, period: 'MONTH' } },
  },
  apiKeys: { 'mobile-app': { plan: 'premium' }, partner: { plan: 'free' } },
  services: {
    orders: { path: '/v1/orders', container: { image: 'nginx:1.27' }, auth: 'jwt', scopes: ['orders:read'], cache: { ttlSeconds: 60 }, throttle: { rateLimit: 5, burstLimit: 10 } },
    users: { path: '/v1/users', container: { image: 'nginx:1.27' }, auth: 'apiKey', stripPrefix: true, scopes: [] },
    pay: { path: '/pay', url: 'https://pay.example.com/api', auth: 'none' },
  },
});

describe('RestFrontDoor', () => {
  const gw = synthGateway(restMap());
  const orders = gw.serviceTemplate('orders');
  const users = gw.serviceTemplate('users');
  const pay = gw.serviceTemplate('pay');
  const methods = (t: typeof orders) => resourcesOf(t, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties).filter((p) => p.HttpMethod === 'ANY');

  test('a regional REST API, and no HTTP API', () => {
    gw.root.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'rshop', EndpointConfiguration: { Types: ['REGIONAL'] } });
    gw.root.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  test('container services reach the ALB through VPC link V2, targeting the load balancer directly (no NLB)', () => {
    gw.root.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    gw.root.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    for (const m of methods(orders)) {
      expect(m.Integration).toMatchObject({ Type: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', IntegrationHttpMethod: 'ANY' });
      expect(JSON.stringify(m.Integration.ConnectionId)).toMatch(/VpcLink/);
      // The ALB's ARN, as API Gateway's put-integration takes it (not a listener).
      expect(JSON.stringify(m.Integration.IntegrationTarget)).toMatch(/LoadBalancer/);
      expect(JSON.stringify(m.Integration.IntegrationTarget)).not.toMatch(/Listener/);
    }
  });

  test('backends see their own paths, never the stage, and stripPrefix removes the prefix', () => {
    // url services: the integration URI is the backend path.
    expect(methods(pay).map((m) => m.Integration.Uri).sort()).toEqual(['https://pay.example.com/api/pay', 'https://pay.example.com/api/pay/{proxy}']);
    // Container services: the full service path goes over the VPC link (API Gateway may put the stage
    // in front of it); the service's ALB rule rewrites it to the backend's own path.
    const uris = (t: typeof orders) => methods(t).map((m) => JSON.stringify(m.Integration.Uri)).sort();
    expect(uris(orders)).toEqual([expect.stringMatching(/\/v1\/orders"\]\]}$/), expect.stringMatching(/\/v1\/orders\/\{proxy\}"\]\]}$/)]);
    expect(uris(users)).toEqual([expect.stringMatching(/\/v1\/users"\]\]}$/), expect.stringMatching(/\/v1\/users\/\{proxy\}"\]\]}$/)]);
    const rewrite = (t: typeof orders) => resourcesOf(t, 'AWS::ElasticLoadBalancingV2::ListenerRule')[0][1].Properties.Transforms;
    expect(rewrite(orders)).toEqual([{ Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [restPathRewrite('live', '/v1/orders', false)] } }]);
    expect(rewrite(users)).toEqual([{ Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [restPathRewrite('live', '/v1/users', true)] } }]);
  });

  test('the front door owns the path contract: each listener rule renders its backendPathRewrite', () => {
    const rewrite = (t: typeof orders) => resourcesOf(t, 'AWS::ElasticLoadBalancingV2::ListenerRule')[0][1].Properties.Transforms[0].UrlRewriteConfig.Rewrites[0];
    expect(rewrite(orders)).toEqual(gw.gateway.frontDoor.backendPathRewrite(gw.gateway.map.services.orders));
    expect(rewrite(users)).toEqual(gw.gateway.frontDoor.backendPathRewrite(gw.gateway.map.services.users));
    expect(rewrite(orders)).not.toEqual(rewrite(users));
  });

  test('metrics: REST dimensions (ApiName, Stage; Resource and Method for a route)', () => {
    const fd = gw.gateway.frontDoor;
    expect(fd.metricServerErrors().dimensions).toEqual({ ApiName: 'rshop', Stage: 'live' });
    expect(fd.metricServerErrors().metricName).toBe('5XXError');
    expect(fd.metricLatency('GET /v1/orders').dimensions).toEqual({ ApiName: 'rshop', Stage: 'live', Resource: '/v1/orders', Method: 'GET' });
  });

  test('the gateway headers are overwritten, as on the HTTP front door', () => {
    const proxy = methods(orders).find((m) => m.RequestParameters['method.request.path.proxy'])!;
    expect(proxy.Integration.RequestParameters).toEqual({
      'integration.request.header.x-gateway-service': "'ANY /v1/orders/{proxy+}'",
      'integration.request.header.x-gateway-client-ip': 'context.identity.sourceIp',
      'integration.request.header.x-gateway-user': 'context.authorizer.sub',
      'integration.request.header.x-gateway-scopes': 'context.authorizer.scope',
      'integration.request.path.proxy': 'method.request.path.proxy',
    });
    for (const m of methods(pay)) expect(m.Integration.RequestParameters['integration.request.header.x-gateway-user']).toBe("''");
  });

  test('ALB listener rules match the same service header values as with the HTTP front door', () => {
    orders.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-gateway-service', Values: ['ANY /v1/orders', 'ANY /v1/orders/{proxy+}'] } }],
    });
  });

  test('shared path prefixes are created once, in the root stack', () => {
    gw.root.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: 'v1' }, 1);
    orders.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'orders' });
    users.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'users' });
  });

  test('jwt services use the REQUEST authorizer (REST handler of the shared core); apiKey services require a key', () => {
    for (const m of methods(orders)) expect(m).toMatchObject({ AuthorizationType: 'CUSTOM', ApiKeyRequired: false });
    for (const m of methods(users)) expect(m).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    gw.root.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 300 });
    gw.root.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.restHandler', Architectures: ['arm64'] });
    gw.root.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'apigateway.amazonaws.com' });
  });

  test('every method has the request validator, which checks the parameters it declares', () => {
    const validators = resourcesOf(gw.root, 'AWS::ApiGateway::RequestValidator');
    expect(validators).toHaveLength(1);
    expect(validators[0][1].Properties).toMatchObject({ ValidateRequestParameters: true, ValidateRequestBody: false });
    // Methods live in nested stacks: they reference the root stack's validator through a parameter.
    for (const t of [orders, users, pay]) for (const m of methods(t)) expect(JSON.stringify(m.RequestValidatorId)).toMatch(/RestFrontDoorRequestValidator/);
  });

  test('when services need different scopes, the authorizer cache key includes the resource; with the same scopes, the token alone', () => {
    // restMap: only orders is a jwt service, so one scope set: the token alone is the key (see the test above).
    const differing = restMap();
    differing.services.reports = { path: '/reports', url: 'https://reports.example.com', auth: 'jwt', scopes: ['reports:read'] };
    synthGateway(differing).root.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      IdentitySource: 'method.request.header.Authorization,context.resourcePath',
    });
    const same = restMap();
    same.services.reports = { path: '/reports', url: 'https://reports.example.com', auth: 'jwt', scopes: ['orders:read'] };
    synthGateway(same).root.hasResourceProperties('AWS::ApiGateway::Authorizer', { IdentitySource: 'method.request.header.Authorization' });
  });

  test('usage plans with throttles and quotas; API keys bound to their plan, values generated by AWS', () => {
    gw.root.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'rshop-free', Throttle: { RateLimit: 10, BurstLimit: 20 }, Quota: { Limit: 1000, Period: 'DAY' } });
    gw.root.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'rshop-premium', Quota: { Limit: 100000, Period: 'MONTH' } });
    const keys = resourcesOf(gw.root, 'AWS::ApiGateway::ApiKey');
    expect(keys).toHaveLength(2);
    for (const [, key] of keys) expect(key.Properties.Value).toBeUndefined();
    const plans = Object.fromEntries(resourcesOf(gw.root, 'AWS::ApiGateway::UsagePlan').map(([id, p]) => [p.Properties.UsagePlanName, id]));
    const keyIds = Object.fromEntries(keys.map(([id, k]) => [k.Properties.Name, id]));
    const bindings = resourcesOf(gw.root, 'AWS::ApiGateway::UsagePlanKey').map(([, b]) => [b.Properties.KeyId.Ref, b.Properties.UsagePlanId.Ref]);
    expect(bindings.sort()).toEqual([[keyIds['rshop-mobile-app'], plans['rshop-premium']], [keyIds['rshop-partner'], plans['rshop-free']]].sort());
    const outputs = Object.values(gw.root.findOutputs('*')).map((o) => o.Description);
    expect(outputs).toEqual(expect.arrayContaining([expect.stringContaining('aws apigateway get-api-key --api-key <id> --include-value')]));
  });

  test('stage: default and per-method throttles, caching from the map, execution logs off, X-Ray on request', () => {
    gw.root.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'live',
      TracingEnabled: true,
      CacheClusterEnabled: true,
      CacheClusterSize: '1.6',
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, LoggingLevel: 'OFF', DataTraceEnabled: false, CachingEnabled: false }),
        Match.objectLike({ ResourcePath: '/~1v1~1orders~1{proxy+}', HttpMethod: 'ANY', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, CachingEnabled: false }),
        Match.objectLike({ ResourcePath: '/~1v1~1orders~1{proxy+}', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, CachingEnabled: true, CacheTtlInSeconds: 60, CacheDataEncrypted: true }),
      ]),
    });
  });

  test('only GET responses are cached, keyed by the path, the caller and the named query strings', () => {
    // GIVEN orders caches for 60 s and names one query string
    const map = restMap();
    map.services.orders.cache = { ttlSeconds: 60, queryStrings: ['page'] };
    const t = synthGateway(map).serviceTemplate('orders');
    const all = resourcesOf(t, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);

    // THEN ANY (every verb) is never cached: no cache key, and its method setting keeps caching off
    for (const m of all.filter((p) => p.HttpMethod === 'ANY')) expect(m.Integration.CacheKeyParameters).toBeUndefined();
    // AND GET methods carry the cache key: the proxied path, the caller's token, the named query string
    const gets = all.filter((p) => p.HttpMethod === 'GET');
    expect(gets).toHaveLength(2);
    const proxyGet = gets.find((m) => m.RequestParameters['method.request.path.proxy'])!;
    expect(proxyGet.Integration).toMatchObject({ IntegrationHttpMethod: 'GET' });
    expect(proxyGet.Integration.CacheKeyParameters).toEqual(['method.request.path.proxy', 'method.request.header.Authorization', 'method.request.querystring.page']);
    expect(proxyGet.RequestParameters).toMatchObject({ 'method.request.header.Authorization': false, 'method.request.querystring.page': false });
    const exactGet = gets.find((m) => !m.RequestParameters['method.request.path.proxy'])!;
    expect(exactGet.Integration.CacheKeyParameters).toEqual(['method.request.header.Authorization', 'method.request.querystring.page']);
  });

  test('a cache TTL of 0 provisions no cache cluster and no cached method', () => {
    const map = restMap();
    map.services.orders.cache = { ttlSeconds: 0 };
    const built = synthGateway(map);
    built.root.hasResourceProperties('AWS::ApiGateway::Stage', { CacheClusterEnabled: false });
    expect(resourcesOf(built.serviceTemplate('orders'), 'AWS::ApiGateway::Method').map(([, m]) => m.Properties.HttpMethod).sort()).toEqual(['ANY', 'ANY', 'OPTIONS', 'OPTIONS']);
  });

  test('JSON access logs and the account CloudWatch role they need', () => {
    const [, stage] = resourcesOf(gw.root, 'AWS::ApiGateway::Stage')[0];
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toMatchObject({ requestId: '$context.requestId', resourcePath: '$context.resourcePath', apiKeyId: '$context.identity.apiKeyId' });
    gw.root.resourceCountIs('AWS::ApiGateway::Account', 1);
    for (const [, lg] of resourcesOf(gw.root, 'AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(30);
  });

  test('the deployment waits for every service stack, and a new map gives a new deployment', () => {
    const [deploymentId, deployment] = resourcesOf(gw.root, 'AWS::ApiGateway::Deployment')[0];
    const nested = resourcesOf(gw.root, 'AWS::CloudFormation::Stack').map(([id]) => id);
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(nested));
    const changed = restMap();
    changed.services.pay = { ...changed.services.pay, timeoutMs: 5000 };
    const other = resourcesOf(synthGateway(changed).root, 'AWS::ApiGateway::Deployment')[0][0];
    expect(other).not.toBe(deploymentId);
  });

  test('CORS preflights are answered by API Gateway without auth', () => {
    const options = resourcesOf(orders, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties).filter((p) => p.HttpMethod === 'OPTIONS');
    expect(options).toHaveLength(2);
    for (const o of options) {
      expect(o).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } });
      expect(o.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'https://a.example.com'");
    }
  });

  test('API Gateway\'s own errors (401, 403, 429, 5xx) carry the CORS headers, so browsers see them', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      gw.root.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://a.example.com'", 'gatewayresponse.header.Vary': "'Origin'" },
      });
    }
  });

  test('with several origins, no gateway response echoes an origin (that would allow every origin)', () => {
    const map = restMap();
    map.cors = { allowOrigins: ['https://a.example.com', 'https://b.example.com'], exposeHeaders: ['x-request-id'], allowCredentials: true };
    const responses = resourcesOf(synthGateway(map).root, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties.ResponseParameters);
    expect(responses).toHaveLength(2);
    for (const headers of responses) {
      expect(headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBeUndefined();
      expect(headers).toMatchObject({ 'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'", 'gatewayresponse.header.Access-Control-Expose-Headers': "'x-request-id'" });
    }
  });

  test('the record for verify names the REST stage', () => {
    const [, api] = resourcesOf(gw.root, 'AWS::ApiGateway::RestApi')[0] as any;
    expect(api.Metadata['cdk-service-gateway']).toMatchObject({ frontDoor: 'rest', stageName: 'live' });
  });
});

describe('the example map with both front doors', () => {
  for (const frontDoor of ['http', 'rest'] as const) {
    test(`${frontDoor}: every service is routed and protected`, () => {
      const map = exampleMap();
      // A REST stage's web ACL runs before the authorizer, so it has no per-user limit (README, "Firewall").
      if (frontDoor === 'rest') map.firewall = { ...map.firewall, rateLimits: map.firewall?.rateLimits?.filter((r) => r.key !== 'user') };
      const gw = synthGateway({ ...map, frontDoor });
      for (const name of ['live-reading', 'student-api', 'payment']) {
        const t = gw.serviceTemplate(name);
        // Two ANY routes and, since the example sets cors, two OPTIONS preflight routes.
        if (frontDoor === 'http') t.resourceCountIs('AWS::ApiGatewayV2::Route', 4);
        else expect(resourcesOf(t, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'ANY' && m.Properties.AuthorizationType === 'CUSTOM')).toHaveLength(2);
      }
    });
  }
});

describe('REST custom domain', () => {
  test('regional domain with TLS 1.2, base path mapping to the stage, alias records', () => {
    const gw = synthGateway({ ...restMap(), domain: { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', hostedZoneId: 'Z1', zoneName: 'example.com' } });
    gw.root.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2', EndpointConfiguration: { Types: ['REGIONAL'] } });
    gw.root.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    gw.root.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', Name: 'api.example.com.' });
    gw.root.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  });
});

describe('restPathRewrite (the ALB rewrite behind the REST front door)', () => {
  /** What the backend gets for a path arriving at the ALB, applying the rule as the ALB does. */
  const apply = (rule: { Regex: string; Replace: string }, path: string) => {
    const match = new RegExp(rule.Regex).exec(path);
    return match ? rule.Replace.replace(/\$(\d)/g, (_, i) => match[Number(i)] ?? '') : path;
  };

  test.each([
    // stage in front (API Gateway private integrations) or not: the backend gets the same path
    ['/prod/orders', '/orders'],
    ['/orders', '/orders'],
    ['/prod/orders/42', '/orders/42'],
    ['/orders/42?x=1', '/orders/42?x=1'],
    ['/prod/orders?x=1', '/orders?x=1'],
  ])('without stripPrefix: %s reaches the backend as %s', (arriving, expected) => {
    expect(apply(restPathRewrite('prod', '/orders', false), arriving)).toBe(expected);
  });

  test.each([
    ['/prod/orders', '/'],
    ['/orders', '/'],
    ['/prod/orders/42', '/42'],
    ['/orders/42/items', '/42/items'],
    ['/prod/orders?x=1', '/?x=1'],
  ])('with stripPrefix: %s reaches the backend as %s', (arriving, expected) => {
    expect(apply(restPathRewrite('prod', '/orders', true), arriving)).toBe(expected);
  });

  test('a service path that starts with the stage name is not cut', () => {
    const rule = restPathRewrite('v1', '/v1/orders', false);
    expect(apply(rule, '/v1/orders/7')).toBe('/v1/orders/7');
    expect(apply(rule, '/v1/v1/orders/7')).toBe('/v1/orders/7');
  });

  test('regex characters in names are escaped', () => {
    expect(restPathRewrite('prod', '/a.b', false).Regex).toBe('^(?:/prod)?(/a\\.b(?:[/?].*)?)$');
    expect(apply(restPathRewrite('prod', '/a.b', true), '/prod/aXb/1')).toBe('/prod/aXb/1');
  });
});
