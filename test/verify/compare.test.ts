/**
 * The comparison itself, over in-memory deployed state: what the map implies for each kind of service,
 * authorizer and firewall setting.
 */
import type { HttpApiState } from '../../lib/verify';
import { verifyStack, type VerifyReport } from '../../lib/verify';
import { validateServiceMap } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map';
import { managedRule, redact } from './fixtures';
import { memorySources } from './in-memory';

const API = 'api123';

function templateFor(input: ServiceMap, extra: Record<string, unknown> = {}): string {
  const map = redact(validateServiceMap(input).map);
  return JSON.stringify({
    Resources: {
      Api: { Type: 'AWS::ApiGatewayV2::Api', Metadata: { 'cdk-service-gateway': { schemaVersion: 1, frontDoor: 'http', stageName: '$default', map, ...extra } } },
    },
  });
}

const resources = [{ logicalId: 'Api', physicalId: API, type: 'AWS::ApiGatewayV2::Api' }];

function rowsOf(report: VerifyReport) {
  return Object.fromEntries(report.gateways[0].rows.map((r) => [r.item, r]));
}

const nativeMap: ServiceMap = {
  name: 'shop',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop-api', 'admin'] }, authorizer: 'native' },
  firewall: { enabled: false },
  services: {
    orders: { path: '/orders', url: 'https://orders.example.com', scopes: ['orders:write', 'orders:read'], timeoutMs: 30000 },
    health: { path: '/health', url: 'https://health.example.com', auth: 'none', timeoutMs: 5000 },
  },
};

/** What every integration sets: the service (route key), the client address and the path. */
const commonParameters = {
  'overwrite:header.x-gateway-service': '$context.routeKey',
  'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp',
  'overwrite:path': '$request.path',
};

function nativeState(): HttpApiState {
  return {
    routes: [
      { RouteKey: 'ANY /orders', AuthorizationType: 'JWT', AuthorizationScopes: ['orders:read', 'orders:write'], Target: 'integrations/i1', AuthorizerId: 'a1' },
      { RouteKey: 'ANY /orders/{proxy+}', AuthorizationType: 'JWT', AuthorizationScopes: ['orders:read', 'orders:write'], Target: 'integrations/i1', AuthorizerId: 'a1' },
      { RouteKey: 'ANY /health', AuthorizationType: 'NONE', Target: 'integrations/i2' },
      { RouteKey: 'ANY /health/{proxy+}', AuthorizationType: 'NONE', Target: 'integrations/i2' },
    ],
    integrations: [
      {
        IntegrationId: 'i1',
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://orders.example.com',
        TimeoutInMillis: 30000,
        // The native authorizer puts the token's claims under claims.
        RequestParameters: {
          ...commonParameters,
          'overwrite:header.x-gateway-user': '$context.authorizer.claims.sub',
          'overwrite:header.x-gateway-scopes': '$context.authorizer.claims.scope',
        },
      },
      {
        IntegrationId: 'i2',
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://health.example.com',
        TimeoutInMillis: 5000,
        RequestParameters: { ...commonParameters, 'remove:header.x-gateway-user': "''", 'remove:header.x-gateway-scopes': "''" },
      },
    ],
    authorizers: [
      {
        AuthorizerId: 'a1',
        Name: 'shop-jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://id.example.com/', Audience: ['admin', 'shop-api'] },
      },
    ],
    stage: { StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 } },
  };
}

describe('verifyStack with a native JWT authorizer and url services', () => {
  test('matches JWT routes with their scopes, anonymous routes, and the JWT authorizer', async () => {
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: nativeState() } });

    const report = await verifyStack({ stackName: 's' }, sources);

    const rows = rowsOf(report);
    expect(report.gateways[0].rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(rows['route ANY /orders'].expected).toBe('auth=JWT, scopes=orders:read orders:write, integration=HTTP_PROXY https://orders.example.com, timeout=30000 ms');
    expect(rows['route ANY /health'].expected).toBe('auth=NONE, integration=HTTP_PROXY https://health.example.com, timeout=5000 ms');
    expect(rows['authorizer shop-jwt'].expected).toBe('type=JWT, issuer=https://id.example.com/, audience=admin shop-api, identitySource=$request.header.Authorization');
    expect(rows['integration parameters ANY /health'].expected).toContain('header.x-gateway-scopes=remove, header.x-gateway-service=overwrite $context.routeKey, header.x-gateway-user=remove');
    // firewall.enabled is false: the web ACL is neither expected nor read.
    expect(Object.keys(rows).some((k) => k.startsWith('waf'))).toBe(false);
    expect(sources.calls).toEqual([`http:${API}`]);
  });

  test('a removed scope, a changed timeout and a changed audience are drift naming only what changed', async () => {
    const state = nativeState();
    (state.routes as any)[0] = { ...state.routes[0], AuthorizationScopes: ['orders:read'] };
    (state.integrations as any)[1] = { ...state.integrations[1], TimeoutInMillis: 29000 };
    (state.authorizers as any)[0] = { ...state.authorizers[0], JwtConfiguration: { Issuer: 'https://id.example.com/', Audience: ['shop-api'] } };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['route ANY /orders']).toEqual({ item: 'route ANY /orders', expected: 'scopes=orders:read orders:write', deployed: 'scopes=orders:read', status: 'drift' });
    expect(rows['route ANY /orders/{proxy+}'].status).toBe('ok');
    expect(rows['route ANY /health']).toEqual({ item: 'route ANY /health', expected: 'timeout=5000 ms', deployed: 'timeout=29000 ms', status: 'drift' });
    expect(rows['authorizer shop-jwt']).toMatchObject({ expected: 'audience=admin shop-api', deployed: 'audience=shop-api', status: 'drift' });
  });

  test('a route opened to anonymous callers is drift', async () => {
    const state = nativeState();
    (state.routes as any)[1] = { RouteKey: 'ANY /orders/{proxy+}', AuthorizationType: 'NONE', Target: 'integrations/i1' };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['route ANY /orders/{proxy+}']).toMatchObject({
      expected: 'auth=JWT, scopes=orders:read orders:write',
      deployed: 'auth=NONE, scopes=(not set)',
      status: 'drift',
    });
  });

  test('a native authorizer reading the token from another header is drift', async () => {
    const state = nativeState();
    (state.authorizers as any)[0] = { ...state.authorizers[0], IdentitySource: ['$request.header.X-Token'] };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['authorizer shop-jwt']).toMatchObject({
      expected: 'identitySource=$request.header.Authorization',
      deployed: 'identitySource=$request.header.X-Token',
      status: 'drift',
    });
  });

  test('an anonymous route whose integration stops removing client-sent identity headers is drift', async () => {
    const state = nativeState();
    (state.integrations as any)[1] = { ...state.integrations[1], RequestParameters: commonParameters };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['integration parameters ANY /health']).toMatchObject({
      expected: 'header.x-gateway-scopes=remove, header.x-gateway-user=remove',
      deployed: 'header.x-gateway-scopes=(not set), header.x-gateway-user=(not set)',
      status: 'drift',
    });
    expect(rows['integration parameters ANY /orders'].status).toBe('ok');
  });

  test('the only JWT authorizer is matched whatever it is named', async () => {
    const state = nativeState();
    (state.authorizers as any)[0] = { ...state.authorizers[0], Name: 'ShopGatewayAuthorizerA1B2' };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['authorizer shop-jwt'].status).toBe('ok');
    expect(Object.keys(rows).filter((k) => k.startsWith('authorizer'))).toEqual(['authorizer shop-jwt']);
  });

  test('a route pointing at a VPC link where the map has a url is drift; a dangling target is reported', async () => {
    const state = nativeState();
    (state.integrations as any)[0] = { IntegrationId: 'i1', IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', IntegrationUri: 'arn:listener' };
    (state.routes as any)[2] = { ...state.routes[2], Target: 'integrations/gone' };
    const sources = memorySources({ templateBody: templateFor(nativeMap), resources, httpApis: { [API]: state } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['route ANY /orders']).toMatchObject({
      expected: 'integration=HTTP_PROXY https://orders.example.com, timeout=30000 ms',
      deployed: 'integration=HTTP_PROXY over VPC_LINK, timeout=(not set)',
      status: 'drift',
    });
    expect(rows['route ANY /health'].deployed).toContain('integration=(integration gone does not exist)');
  });
});

describe('verifyStack with a Lambda authorizer', () => {
  const lambdaMap: ServiceMap = {
    name: 'lib',
    auth: { jwt: { issuer: 'https://id.example.com/', audience: ['lib'] }, cacheTtlSeconds: 60 },
    throttle: { rateLimit: 50, burstLimit: 100 },
    firewall: { enabled: false },
    services: { books: { path: '/books', container: { image: 'nginx' }, scopes: ['books:read'], throttle: { rateLimit: 5, burstLimit: 10 } } },
  };
  const state = (): HttpApiState => ({
    routes: ['ANY /books', 'ANY /books/{proxy+}'].map((k) => ({ RouteKey: k, AuthorizationType: 'CUSTOM', Target: 'integrations/alb' })),
    integrations: [
      {
        IntegrationId: 'alb',
        IntegrationType: 'HTTP_PROXY',
        ConnectionType: 'VPC_LINK',
        TimeoutInMillis: 30000,
        RequestParameters: { ...commonParameters, 'overwrite:header.x-gateway-user': '$context.authorizer.sub', 'overwrite:header.x-gateway-scopes': '$context.authorizer.scope' },
      },
    ],
    // One jwt service, so one scope set: the token alone is the cache key.
    authorizers: [
      {
        AuthorizerId: 'x',
        Name: 'lib-jwt',
        AuthorizerType: 'REQUEST',
        AuthorizerResultTtlInSeconds: 60,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
      },
    ],
    stage: {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        'ANY /books': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        'ANY /books/{proxy+}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        // Route settings without a throttle (metrics only) are not throttles.
        'ANY /other': { DetailedMetricsEnabled: true },
      },
    },
  });

  test('CUSTOM routes carry no scopes (the Lambda checks them) and everything matches', async () => {
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources, httpApis: { [API]: state() } });

    const report = await verifyStack({ stackName: 's' }, sources);

    expect(report.gateways[0].rows.map((r) => [r.item, r.status])).toEqual([
      ['route ANY /books', 'ok'],
      ['route ANY /books/{proxy+}', 'ok'],
      ['integration parameters ANY /books', 'ok'],
      ['integration parameters ANY /books/{proxy+}', 'ok'],
      ['authorizer lib-jwt', 'ok'],
      ['stage $default default throttle', 'ok'],
      ['stage $default throttle ANY /books', 'ok'],
      ['stage $default throttle ANY /books/{proxy+}', 'ok'],
    ]);
  });

  test('a changed cache TTL, a second authorizer and a throttle on a route the map does not throttle', async () => {
    const s = state();
    (s.authorizers as any) = [{ ...s.authorizers[0], AuthorizerResultTtlInSeconds: 0 }, { Name: 'legacy', AuthorizerType: 'REQUEST', AuthorizerResultTtlInSeconds: 300 }];
    (s.stage!.RouteSettings as any)['ANY /other'] = { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 };
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources, httpApis: { [API]: s } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['authorizer lib-jwt']).toMatchObject({ expected: 'cacheTtl=60 s', deployed: 'cacheTtl=0 s', status: 'drift' });
    expect(rows['authorizer legacy'].status).toBe('unexpected');
    expect(rows['stage $default throttle ANY /other']).toMatchObject({ expected: '-', deployed: 'rate=1/s, burst=1', status: 'unexpected' });
  });

  test('a Lambda authorizer on payload format 1.0 without simple responses is drift', async () => {
    const s = state();
    (s.authorizers as any)[0] = { ...s.authorizers[0], AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: undefined };
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources, httpApis: { [API]: s } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['authorizer lib-jwt']).toMatchObject({ expected: 'payloadFormat=2.0, simpleResponses=true', deployed: 'payloadFormat=1.0, simpleResponses=false', status: 'drift' });
  });

  test('a deleted stage leaves every stage throttle missing', async () => {
    const s = { ...state(), stage: undefined };
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources, httpApis: { [API]: s } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['stage $default default throttle'].status).toBe('missing');
    expect(rows['stage $default throttle ANY /books'].status).toBe('missing');
  });

  test('an API deleted outside CloudFormation is one missing row', async () => {
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources, httpApis: {} });

    const report = await verifyStack({ stackName: 's' }, sources);

    expect(report.gateways[0].rows).toEqual([{ item: `api ${API}`, expected: 'HTTP API', deployed: 'does not exist', status: 'missing' }]);
  });

  test('an API resource missing from the stack is reported without calling API Gateway', async () => {
    const sources = memorySources({ templateBody: templateFor(lambdaMap), resources: [] });

    const report = await verifyStack({ stackName: 's' }, sources);

    expect(report.gateways[0].rows).toEqual([{ item: 'api Api', expected: 'AWS::ApiGatewayV2::Api', deployed: 'not in the deployed stack', status: 'missing' }]);
    expect(sources.calls).toEqual([]);
  });
});

describe('verifyStack firewall', () => {
  const fwMap: ServiceMap = {
    name: 'fw',
    firewall: { rateLimits: [{ limit: 1000 }], managedRuleGroups: ['AWSManagedRulesCommonRuleSet'] },
    // A container service: on the HTTP front door only requests through the ALB pass the web ACL.
    services: { a: { path: '/a', container: { image: 'nginx:1.27' }, auth: 'none', rateLimits: [{ name: 'burst', limit: 100, windowSeconds: 60 }] } },
  };
  const http: HttpApiState = {
    routes: ['ANY /a', 'ANY /a/{proxy+}'].map((k) => ({ RouteKey: k, AuthorizationType: 'NONE', Target: 'integrations/i' })),
    integrations: [{ IntegrationId: 'i', IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://a.example.com', TimeoutInMillis: 30000 }],
    authorizers: [],
    stage: { DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 } },
  };
  const aclArn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/fw/id1';
  const albs = ['alb-0', 'alb-1'].map((a) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/${a}/1`);
  const stackResources = [
    ...resources,
    { logicalId: 'Acl', physicalId: 'fw|id1|REGIONAL', type: 'AWS::WAFv2::WebACL' },
    { logicalId: 'Alb0', physicalId: albs[0], type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    { logicalId: 'Alb1', physicalId: albs[1], type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
  ];
  // As the SDK returns them: search strings as bytes.
  const clientIp = { AggregateKeyType: 'FORWARDED_IP' as const, ForwardedIPConfig: { HeaderName: 'X-Gateway-Client-IP', FallbackBehavior: 'NO_MATCH' as const } };
  const serviceIs = (routeKey: string) => ({
    ByteMatchStatement: {
      FieldToMatch: { SingleHeader: { Name: 'x-gateway-service' } },
      PositionalConstraint: 'EXACTLY' as const,
      SearchString: new TextEncoder().encode(routeKey),
      TextTransformations: [{ Priority: 0, Type: 'NONE' as const }],
    },
  });
  const webAcl = {
    Name: 'fw',
    Id: 'id1',
    ARN: aclArn,
    // Present on every web ACL the API returns; not compared.
    DefaultAction: { Allow: {} },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'fw' },
    Rules: [
      // Left out EvaluationWindowSec means WAF's default of 300 s.
      { Name: 'ip-1000-per-300s', Priority: 0, Statement: { RateBasedStatement: { Limit: 1000, ...clientIp } }, VisibilityConfig: undefined as any },
      {
        Name: 'svc-a-burst',
        Priority: 1,
        Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60, ...clientIp, ScopeDownStatement: { OrStatement: { Statements: [serviceIs('ANY /a/{proxy+}'), serviceIs('ANY /a')] } } } },
        VisibilityConfig: undefined as any,
      },
      { Name: 'common', Priority: 2, Statement: managedRule('AWSManagedRulesCommonRuleSet', 2).Statement as any, VisibilityConfig: undefined as any },
      { Name: 'geo', Priority: 3, Statement: { GeoMatchStatement: { CountryCodes: ['XX' as any] } }, VisibilityConfig: undefined as any },
    ],
  };

  test('rate rules by derived name, managed groups and every ALB association match; other rule kinds are not compared', async () => {
    // The fixture spells the client-address header in capitals and lists the or-operands backwards: WAF
    // reads header names in any case, and the order of an or is not its meaning.
    const sources = memorySources({
      templateBody: templateFor(fwMap, { webAclLogicalId: 'Acl' }),
      resources: stackResources,
      httpApis: { [API]: http },
      webAcls: [webAcl],
      associations: { [aclArn]: { APPLICATION_LOAD_BALANCER: [...albs, 'arn:other-stack-alb'] } },
    });

    const report = await verifyStack({ stackName: 's' }, sources);

    const waf = report.gateways[0].rows.filter((r) => r.item.startsWith('waf'));
    expect(waf.map((r) => [r.item, r.status])).toEqual([
      ['waf web ACL fw', 'ok'],
      ['waf rule ip-1000-per-300s', 'ok'],
      ['waf rule svc-a-burst', 'ok'],
      ['waf managed rule group AWS/AWSManagedRulesCommonRuleSet', 'ok'],
      ['waf association ALB Alb0', 'ok'],
      ['waf association ALB Alb1', 'ok'],
    ]);
    expect(waf.find((r) => r.item === 'waf rule svc-a-burst')!.deployed).toBe(
      'limit=100, window=60 s, aggregate=FORWARDED_IP x-gateway-client-ip (fallback NO_MATCH), ' +
        'scopeDown=header x-gateway-service EXACTLY "ANY /a" or header x-gateway-service EXACTLY "ANY /a/{proxy+}"',
    );
  });

  test('a managed group\'s rule actions are compared: a size rule set back to block in the console is drift', async () => {
    const common = managedRule('AWSManagedRulesCommonRuleSet', 2).Statement as any;
    const overrides = common.ManagedRuleGroupStatement.RuleActionOverrides.map((o: any) =>
      o.Name === 'SizeRestrictions_BODY' ? { Name: o.Name, ActionToUse: { Block: {} } } : o,
    );
    const changed = { ...webAcl.Rules[2], Statement: { ManagedRuleGroupStatement: { ...common.ManagedRuleGroupStatement, RuleActionOverrides: overrides } } };
    const sources = memorySources({
      templateBody: templateFor(fwMap, { webAclLogicalId: 'Acl' }),
      resources: stackResources,
      httpApis: { [API]: http },
      webAcls: [{ ...webAcl, Rules: [webAcl.Rules[0], webAcl.Rules[1], changed, webAcl.Rules[3]] }],
      associations: { [aclArn]: { APPLICATION_LOAD_BALANCER: albs } },
    });

    const row = rowsOf(await verifyStack({ stackName: 's' }, sources))['waf managed rule group AWS/AWSManagedRulesCommonRuleSet'];

    expect(row.status).toBe('drift');
    expect(row.expected).toMatch(/^overrides=block 403 forbidden: CrossSiteScripting_BODY .*; count: SizeRestrictions_BODY SizeRestrictions_QUERYSTRING SizeRestrictions_URIPATH/);
    expect(row.deployed).toMatch(/^overrides=block: SizeRestrictions_BODY; block 403 forbidden: .*; count: SizeRestrictions_QUERYSTRING SizeRestrictions_URIPATH/);
  });

  test('an ALB left out of the association, a missing managed group and an extra rate rule are reported', async () => {
    const extra = { Name: 'temp', Priority: 9, Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' as const } }, VisibilityConfig: undefined as any };
    const sources = memorySources({
      templateBody: templateFor(fwMap, { webAclLogicalId: 'Acl' }),
      resources: stackResources,
      httpApis: { [API]: http },
      webAcls: [{ ...webAcl, Rules: [webAcl.Rules[0], webAcl.Rules[1], extra] }],
      associations: { [aclArn]: { APPLICATION_LOAD_BALANCER: [albs[0]] } },
    });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['waf association ALB Alb0'].status).toBe('ok');
    expect(rows['waf association ALB Alb1'].status).toBe('missing');
    expect(rows['waf managed rule group AWS/AWSManagedRulesCommonRuleSet'].status).toBe('missing');
    expect(rows['waf rule temp']).toMatchObject({ deployed: 'limit=10, window=60 s, aggregate=IP', status: 'unexpected' });
  });

  test('a firewall the map enables but the template does not record is missing', async () => {
    const sources = memorySources({ templateBody: templateFor(fwMap), resources: stackResources, httpApis: { [API]: http } });

    const rows = rowsOf(await verifyStack({ stackName: 's' }, sources));

    expect(rows['waf web ACL']).toMatchObject({ deployed: 'not recorded in the template', status: 'missing' });
    expect(sources.calls).toEqual([`http:${API}`]);
  });
});

describe('reading the record', () => {
  const map: ServiceMap = { name: 'r', firewall: { enabled: false }, services: { a: { path: '/a', url: 'https://a.example.com' } } };

  test.each([
    [{ schemaVersion: 2 }, /schemaVersion 2; this verify reads schemaVersion 1/],
    [{ frontDoor: 'rest' }, /says frontDoor "rest" but the resource is AWS::ApiGatewayV2::Api/],
    [{ mapEncoding: 'gzip+base64', map: 'not gzip' }, /map is not valid gzip\+base64 JSON/],
    [{ map: { name: 'r', services: { a: { path: 'no-slash', url: 'https://a.example.com' } } } }, /map\.services\.a\.path: "no-slash" is not a valid service path/],
    [{ stageName: 7 }, /is not a gateway record: stageName/],
  ])('%j is refused with a clear message', async (override, message) => {
    const sources = memorySources({ templateBody: templateFor(map, override), resources });

    await expect(verifyStack({ stackName: 's' }, sources)).rejects.toThrow(message);
  });

  test('each gateway of a stack is verified', async () => {
    const body = JSON.parse(templateFor(map));
    const second = validateServiceMap({ ...map, name: 'r2' }).map;
    body.Resources.Api2 = { Type: 'AWS::ApiGatewayV2::Api', Metadata: { 'cdk-service-gateway': { schemaVersion: 1, frontDoor: 'http', stageName: '$default', map: second } } };
    const sources = memorySources({ templateBody: JSON.stringify(body), resources: [...resources, { logicalId: 'Api2', physicalId: 'api2', type: 'AWS::ApiGatewayV2::Api' }] });

    const report = await verifyStack({ stackName: 's' }, sources);

    expect(report.gateways.map((g) => [g.gatewayName, g.apiId])).toEqual([
      ['r', API],
      ['r2', 'api2'],
    ]);
  });
});
