/**
 * The REST front door against the fake endpoint: API Gateway (v1) resources with embedded methods, stage method settings,
 * the stage cache, usage plans and API keys, and the web ACL on the stage.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { encodeRecordedMap } from '../../lib/recorded-map';
import { validateServiceMap } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map';
import { runVerify } from '../../lib/verify';
import { ApiGatewayRestApiReader } from '../../lib/verify/aws/apigateway';
import { FakeAws, type FakeAwsState, type Json } from './fake-aws';
import { byteMatch, fakeAwsEnv, rateRule, REGION } from './fixtures';
import { capture, statusOf, tableRow, withEnv } from './helpers';

const STACK = 'shop-gateway';
const REST_ID = 'r3st4p1d0';
const ACL_ARN = `arn:aws:wafv2:${REGION}:123456789012:regional/webacl/shop-waf/acl-1`;
const STAGE_ARN = `arn:aws:apigateway:${REGION}::/restapis/${REST_ID}/stages/prod`;
const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/app/shop-alb0/0123456789abcdef`;
const ALB_DNS = `internal-shop-alb0-1234567890.${REGION}.elb.amazonaws.com`;
/** Key values as API Gateway stores them: verify must never show one. */
const KEY_VALUES = { mobile: 'MobileKeyValue0000000000000000000000000001', admin: 'AdminKeyValue00000000000000000000000000002', other: 'OtherKeyValue00000000000000000000000000003' };

const shopMap: ServiceMap = {
  name: 'shop',
  frontDoor: 'rest',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] } },
  throttle: { rateLimit: 500, burstLimit: 1000 },
  cors: { allowOrigins: ['https://shop.example.com'] },
  firewall: { rateLimits: [{ name: 'per-ip', limit: 2000, windowSeconds: 300 }], managedRuleGroups: [] },
  usagePlans: { free: { rateLimit: 10, burstLimit: 20, quota: { limit: 1000, period: 'DAY' } } },
  apiKeys: { mobile: { plan: 'free' } },
  services: {
    orders: { path: '/orders', url: 'https://orders.example.com', throttle: { rateLimit: 50, burstLimit: 100 }, rateLimits: [{ limit: 100, windowSeconds: 60 }] },
    catalog: { path: '/catalog', url: 'https://catalog.example.com', auth: 'apiKey' },
    cart: { path: '/cart', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, cache: { ttlSeconds: 30 } },
  },
};

interface IntegrationOptions {
  /** A jwt service: the headers carry the authorizer's subject and scopes; otherwise they are blanked. */
  readonly verified: boolean;
  /** The `{proxy+}` method: the proxied path is mapped too. */
  readonly proxy?: boolean;
  readonly vpcLink?: boolean;
  readonly cacheKeys?: string[];
}

/** A method's integration as GetResources with embed=methods returns it. */
function integration(httpMethod: string, uri: string, routeKey: string, o: IntegrationOptions): Json {
  return {
    type: 'HTTP_PROXY',
    httpMethod,
    uri,
    connectionType: o.vpcLink ? 'VPC_LINK' : 'INTERNET',
    ...(o.vpcLink ? { connectionId: 'vl-0a1b2c', integrationTarget: ALB_ARN } : {}),
    requestParameters: {
      'integration.request.header.x-gateway-service': `'${routeKey}'`,
      'integration.request.header.x-gateway-client-ip': 'context.identity.sourceIp',
      'integration.request.header.x-gateway-user': o.verified ? 'context.authorizer.sub' : "''",
      'integration.request.header.x-gateway-scopes': o.verified ? 'context.authorizer.scope' : "''",
      ...(o.proxy ? { 'integration.request.path.proxy': 'method.request.path.proxy' } : {}),
    },
    passthroughBehavior: 'WHEN_NO_MATCH',
    timeoutInMillis: 29000,
    cacheNamespace: 'ns1',
    cacheKeyParameters: o.cacheKeys ?? [],
  };
}

function method(httpMethod: string, authorizationType: string, methodIntegration: Json, apiKeyRequired = false): Json {
  return { httpMethod, authorizationType, apiKeyRequired, ...(authorizationType === 'CUSTOM' ? { authorizerId: 'auth1' } : {}), methodIntegration };
}

/** The preflight's answer for the one allowed origin, as GetMethod reports the MOCK integration's response. */
const preflightResponse = {
  statusCode: '204',
  responseParameters: {
    'method.response.header.Access-Control-Allow-Headers': "'authorization,content-type'",
    'method.response.header.Access-Control-Allow-Methods': "'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'",
    'method.response.header.Access-Control-Max-Age': "'600'",
    'method.response.header.Vary': "'Origin'",
    'method.response.header.Access-Control-Allow-Origin': "'https://shop.example.com'",
  },
  responseTemplates: { 'application/json': '' },
};
const cors = {
  OPTIONS: method('OPTIONS', 'NONE', {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 204}' },
    passthroughBehavior: 'WHEN_NO_MATCH',
    timeoutInMillis: 29000,
    integrationResponses: { '204': preflightResponse },
  }),
};
/** The CORS headers on API Gateway's own 4xx and 5xx answers (GetGatewayResponses lists the customized ones like this). */
const corsGatewayResponses = ['DEFAULT_4XX', 'DEFAULT_5XX'].map((responseType) => ({
  responseType,
  defaultResponse: false,
  responseParameters: { 'gatewayresponse.header.Vary': "'Origin'", 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://shop.example.com'" },
  responseTemplates: {},
}));

/** A per-service limit on the stage: WAF runs before routing, so it matches the decoded path under the stage. */
const ordersPath = { OrStatement: { Statements: [byteMatch({ UriPath: {} }, 'EXACTLY', '/prod/orders', 'URL_DECODE'), byteMatch({ UriPath: {} }, 'STARTS_WITH', '/prod/orders/', 'URL_DECODE')] } };
const IP_KEY = { AggregateKeyType: 'IP' };

function deployedShop(): FakeAwsState {
  const map = validateServiceMap(shopMap).map;
  const template = {
    Resources: {
      ShopApi: {
        Type: 'AWS::ApiGateway::RestApi',
        Metadata: {
          'cdk-service-gateway': { schemaVersion: 1, frontDoor: 'rest', stageName: 'prod', webAclLogicalId: 'ShopAcl', mapEncoding: 'gzip+base64', map: encodeRecordedMap(map) },
        },
      },
      ShopAcl: { Type: 'AWS::WAFv2::WebACL' },
    },
  };
  const orders = (path: string, proxy = false) => integration('ANY', `https://orders.example.com${path}`, `ANY /orders${proxy ? '/{proxy+}' : ''}`, { verified: true, proxy });
  const catalog = (path: string, proxy = false) => integration('ANY', `https://catalog.example.com${path}`, `ANY /catalog${proxy ? '/{proxy+}' : ''}`, { verified: false, proxy });
  const cart = (httpMethod: string, proxy: boolean, cacheKeys?: string[]) =>
    integration(httpMethod, `http://${ALB_DNS}/cart${proxy ? '/{proxy}' : ''}`, `ANY /cart${proxy ? '/{proxy+}' : ''}`, { verified: true, proxy, vpcLink: true, cacheKeys });
  // GetStage reports every field of a setting: a TTL of 300 s even where nothing is cached.
  const cartSettings = { metricsEnabled: true, throttlingRateLimit: 500, throttlingBurstLimit: 1000, cacheTtlInSeconds: 300 };
  return {
    stacks: {
      [STACK]: {
        templateBody: JSON.stringify(template),
        resources: [
          { logicalId: 'ShopApi', physicalId: REST_ID, type: 'AWS::ApiGateway::RestApi' },
          { logicalId: 'ShopAcl', physicalId: 'shop-waf|acl-1|REGIONAL', type: 'AWS::WAFv2::WebACL' },
        ],
      },
    },
    httpApis: {},
    restApis: {
      [REST_ID]: {
        resources: [
          // No service at '/': the root has no methods (and so no preflight).
          { id: 'root', path: '/', resourceMethods: {} },
          { id: 'o', parentId: 'root', pathPart: 'orders', path: '/orders', resourceMethods: { ANY: method('ANY', 'CUSTOM', orders('/orders')), ...cors } },
          { id: 'op', parentId: 'o', pathPart: '{proxy+}', path: '/orders/{proxy+}', resourceMethods: { ANY: method('ANY', 'CUSTOM', orders('/orders/{proxy}', true)), ...cors } },
          { id: 'c', parentId: 'root', pathPart: 'catalog', path: '/catalog', resourceMethods: { ANY: method('ANY', 'NONE', catalog('/catalog'), true), ...cors } },
          {
            id: 'cp',
            parentId: 'c',
            pathPart: '{proxy+}',
            path: '/catalog/{proxy+}',
            resourceMethods: { ANY: method('ANY', 'NONE', catalog('/catalog/{proxy}', true), true), ...cors },
          },
          // A cached container service: GET, the cached method, is keyed by the caller's token (and the path).
          {
            id: 'k',
            parentId: 'root',
            pathPart: 'cart',
            path: '/cart',
            resourceMethods: { ANY: method('ANY', 'CUSTOM', cart('ANY', false)), GET: method('GET', 'CUSTOM', cart('GET', false, ['method.request.header.Authorization'])), ...cors },
          },
          {
            id: 'kp',
            parentId: 'k',
            pathPart: '{proxy+}',
            path: '/cart/{proxy+}',
            resourceMethods: {
              ANY: method('ANY', 'CUSTOM', cart('ANY', true)),
              GET: method('GET', 'CUSTOM', cart('GET', true, ['method.request.path.proxy', 'method.request.header.Authorization'])),
              ...cors,
            },
          },
        ],
        gatewayResponses: corsGatewayResponses,
        // One jwt service, so one scope set: the cache key is the token alone.
        authorizers: [
          {
            id: 'auth1',
            name: 'shop-jwt',
            type: 'REQUEST',
            identitySource: 'method.request.header.Authorization',
            authorizerResultTtlInSeconds: 300,
            authorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:123456789012:function:shop-jwt/invocations`,
          },
        ],
        stages: {
          prod: {
            stageName: 'prod',
            deploymentId: 'dep1',
            // cart caches: the map's default cluster size.
            cacheClusterEnabled: true,
            cacheClusterSize: '0.5',
            cacheClusterStatus: 'AVAILABLE',
            methodSettings: {
              '*/*': { metricsEnabled: true, loggingLevel: 'INFO', throttlingRateLimit: 500, throttlingBurstLimit: 1000, cachingEnabled: false, cacheTtlInSeconds: 300 },
              '~1orders/ANY': { metricsEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100, cachingEnabled: false },
              '~1orders~1{proxy+}/ANY': { metricsEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100, cachingEnabled: false },
              // Settings of a method the map does not throttle: the stage's values, inherited.
              '~1catalog/ANY': { metricsEnabled: true, throttlingRateLimit: 500, throttlingBurstLimit: 1000, cachingEnabled: false, cacheTtlInSeconds: 300 },
              // A cached service has settings for its cache, with the stage's throttle.
              '~1cart/ANY': { ...cartSettings, cachingEnabled: false },
              '~1cart/GET': { ...cartSettings, cachingEnabled: true, cacheTtlInSeconds: 30 },
              '~1cart~1{proxy+}/ANY': { ...cartSettings, cachingEnabled: false },
              '~1cart~1{proxy+}/GET': { ...cartSettings, cachingEnabled: true, cacheTtlInSeconds: 30 },
            },
          },
        },
      },
    },
    usagePlans: [
      { id: 'p0', name: 'another-app', apiStages: [{ apiId: 'other', stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 1 } },
      { id: 'p1', name: 'shop-staging', apiStages: [{ apiId: REST_ID, stage: 'staging' }] },
      { id: 'p2', name: 'shop-free', apiStages: [{ apiId: REST_ID, stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, offset: 0, period: 'DAY' } },
    ],
    // Keys are account-wide: besides the gateway's own, another app's and another gateway's ("shop-admin").
    apiKeys: [
      { id: 'k0', name: 'another-app-key', enabled: true, value: KEY_VALUES.other },
      { id: 'k1', name: 'shop-admin-web', enabled: true, value: KEY_VALUES.admin, description: 'shop-admin gateway: API key "web"' },
      { id: 'k2', name: 'shop-mobile', enabled: true, value: KEY_VALUES.mobile, description: 'shop gateway: API key "mobile"' },
    ],
    usagePlanKeys: { p0: ['k0', 'k1'], p2: ['k2'] },
    webAcls: [
      {
        webAcl: {
          Name: 'shop-waf',
          Id: 'acl-1',
          ARN: ACL_ARN,
          DefaultAction: { Allow: {} },
          // On the stage WAF sees the client's own connection: rate rules count by its address.
          Rules: [rateRule('per-ip', 0, 2000, 300, IP_KEY), rateRule('svc-orders-ip-100-per-60s', 1, 100, 60, IP_KEY, ordersPath)],
        },
        associations: { API_GATEWAY: [STAGE_ARN] },
      },
    ],
    failures: {},
  };
}

/** The methods of a resource of the deployed shop, to change one in a test. */
type DeployedMethod = Json & { methodIntegration: Json & { requestParameters: Record<string, string> } };

function methodsOf(state: FakeAwsState, path: string): Record<string, DeployedMethod> {
  return state.restApis[REST_ID].resources.find((r) => r.path === path)!.resourceMethods as Record<string, DeployedMethod>;
}

describe('verify a REST front door against a fake AWS endpoint', () => {
  let fake: FakeAws;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = new FakeAws(deployedShop());
    restoreEnv = withEnv(fakeAwsEnv(await fake.start()));
  });
  afterAll(async () => {
    restoreEnv();
    await fake.stop();
  });
  beforeEach(() => {
    fake.state = deployedShop();
    fake.requests.length = 0;
  });

  async function verify() {
    const output = capture();
    const code = await runVerify({ stack: STACK }, output);
    return { code, ...output };
  }

  test('everything matches: methods, integrations, stage throttles and cache, usage plans, API keys, WAF rules and the stage association', async () => {
    const { code, stdout, stderr } = await verify();

    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    for (const item of [
      'method ANY /orders',
      'method ANY /orders/{proxy+}',
      'method OPTIONS /orders',
      'integration OPTIONS /cart/{proxy+}',
      'method ANY /catalog',
      'method ANY /catalog/{proxy+}',
      'stage prod default throttle',
      'stage prod throttle ANY /orders',
      'stage prod throttle ANY /orders/{proxy+}',
      'method GET /cart',
      'integration ANY /orders',
      'integration parameters ANY /orders/{proxy+}',
      'integration ANY /catalog',
      'integration ANY /cart/{proxy+}',
      'integration GET /cart',
      'integration GET /cart/{proxy+}',
      'integration parameters GET /cart/{proxy+}',
      'stage prod throttle GET /cart',
      'stage prod cache cluster',
      'stage prod default cache',
      'stage prod cache ANY /orders',
      'stage prod cache ANY /cart',
      'stage prod cache GET /cart',
      'stage prod cache GET /cart/{proxy+}',
      'usage plan shop-free',
      'api key shop-mobile',
      'authorizer shop-jwt',
      'waf rule per-ip',
      'waf rule svc-orders-ip-100-per-60s',
      'waf association stage prod',
    ]) {
      expect([item, statusOf(stdout, item)]).toEqual([item, 'ok']);
    }
    expect(stdout).toContain('66 items: 66 ok, 0 drift, 0 missing, 0 unexpected');
    // CORS: the preflights' answer (the one origin sent as a static header) and API Gateway's own 4xx/5xx answers.
    expect(tableRow(stdout, 'preflight OPTIONS /cart/{proxy+}')).toContain("header.access-control-allow-origin='https://shop.example.com'");
    expect(statusOf(stdout, 'preflight OPTIONS /cart/{proxy+}')).toBe('ok');
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(tableRow(stdout, `gateway response ${type} cors`)).toMatch(/header\.access-control-allow-origin='https:\/\/shop\.example\.com', header\.vary='Origin' +ok$/);
    }
    // The ALB's address is not in the map: only the path it is sent is compared.
    expect(tableRow(stdout, 'integration ANY /cart/{proxy+}')).toContain('type=HTTP_PROXY, connection=VPC_LINK, method=ANY, uri=http://(ALB)/cart/{proxy}, timeout=29000 ms  ');
    expect(tableRow(stdout, 'integration GET /cart/{proxy+}')).toContain('cacheKeys=method.request.header.Authorization method.request.path.proxy  ');
    expect(tableRow(stdout, 'integration parameters ANY /catalog')).toContain(
      "header.x-gateway-client-ip=context.identity.sourceIp, header.x-gateway-scopes='', header.x-gateway-service='ANY /catalog', header.x-gateway-user=''  ",
    );
    expect(tableRow(stdout, 'waf rule svc-orders-ip-100-per-60s')).toContain(
      'aggregate=IP, scopeDown=uri path EXACTLY "/prod/orders" (URL_DECODE) or uri path STARTS_WITH "/prod/orders/" (URL_DECODE)  ',
    );
    expect(tableRow(stdout, 'method ANY /catalog')).toContain('auth=NONE, apiKey=required');
    expect(tableRow(stdout, 'usage plan shop-free')).toContain('rate=10/s, burst=20, quota=1000 per DAY');
    expect(tableRow(stdout, 'authorizer shop-jwt')).toContain('type=REQUEST, cacheTtl=300 s, identitySource=method.request.header.Authorization');
    // Only cart caches, and only its GETs; a TTL AWS reports where nothing is cached does not count.
    expect(tableRow(stdout, 'stage prod cache cluster')).toMatch(/^stage prod cache cluster +cluster=on, size=0\.5 GB +cluster=on, size=0\.5 GB +ok$/);
    expect(tableRow(stdout, 'stage prod default cache')).toMatch(/ +caching=off +caching=off +ok$/);
    expect(tableRow(stdout, 'stage prod cache GET /cart/{proxy+}')).toMatch(/ +caching=on, ttl=30 s +caching=on, ttl=30 s +ok$/);
    expect(tableRow(stdout, 'stage prod cache ANY /cart')).toMatch(/ +caching=off +caching=off +ok$/);
    // Keys by their names in API Gateway; other apps' and other gateways' keys are left out.
    expect(tableRow(stdout, 'api key shop-mobile')).toMatch(/^api key shop-mobile +state=enabled, plan=shop-free +state=enabled, plan=shop-free +ok$/);
    expect(tableRow(stdout, 'api key shop-admin-web')).toBeUndefined();
    expect(tableRow(stdout, 'api key another-app-key')).toBeUndefined();
    expect(stdout.filter((l) => l.startsWith('Not checked'))).toEqual([]);
  });

  test('reads methods embedded in the resources and follows position cursors', async () => {
    await verify();

    const resourceCalls = fake.calls('GetResources');
    expect(resourceCalls).toHaveLength(4);
    expect(resourceCalls.every((c) => c.params.embed === 'methods')).toBe(true);
    expect(resourceCalls[1].params.position).toBeDefined();
    expect(fake.calls('GetUsagePlans')).toHaveLength(2);
    expect(fake.calls('GetAuthorizers')).toHaveLength(1);
    // Three keys in the account, two a page; values never asked for. Only the stage's plan is asked for its keys.
    const keyCalls = fake.calls('GetApiKeys');
    expect(keyCalls).toHaveLength(2);
    expect(keyCalls[1].params.position).toBeDefined();
    expect(keyCalls.map((c) => c.params.includeValues)).toEqual(['false', 'false']);
    expect(fake.calls('GetUsagePlanKeys').map((c) => c.params.usagePlanId)).toEqual(['p2']);
    expect(fake.calls('ListResourcesForWebACL')[0].params.ResourceType).toBe('API_GATEWAY');
  });

  test('authorizers are read past the first page: the gateway\'s one matches, the others are unexpected', async () => {
    const api = fake.state.restApis[REST_ID];
    const other = (n: number): Json => ({ id: `o${n}`, name: `other-${n}`, type: 'TOKEN', identitySource: 'method.request.header.X-Key', authorizerResultTtlInSeconds: 0 });
    api.authorizers = [other(1), other(2), ...api.authorizers];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    const calls = fake.calls('GetAuthorizers');
    expect(calls).toHaveLength(2);
    expect(calls[1].params.position).toBeDefined();
    expect(statusOf(stdout, 'authorizer shop-jwt')).toBe('ok');
    expect(tableRow(stdout, 'authorizer other-1')).toMatch(/type=TOKEN, cacheTtl=0 s, identitySource=method.request.header.X-Key +unexpected$/);
  });

  test('a REST authorizer with a different cache TTL and identity source is drift', async () => {
    fake.state.restApis[REST_ID].authorizers[0] = {
      ...fake.state.restApis[REST_ID].authorizers[0],
      authorizerResultTtlInSeconds: 3600,
      identitySource: 'method.request.header.X-Token',
    };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'authorizer shop-jwt')).toMatch(
      /^authorizer shop-jwt +cacheTtl=300 s, identitySource=method\.request\.header\.Authorization +cacheTtl=3600 s, identitySource=method\.request\.header\.X-Token +drift$/,
    );
  });

  test('when services need different scopes, a REST authorizer not keyed by resource path is drift', async () => {
    // GIVEN a map with a second jwt service needing another scope, deployed with the old authorizer
    const template = JSON.parse(fake.state.stacks[STACK].templateBody);
    const scoped = validateServiceMap({ ...shopMap, services: { ...shopMap.services, admin: { path: '/admin', url: 'https://admin.example.com', scopes: ['shop:admin'] } } }).map;
    template.Resources.ShopApi.Metadata['cdk-service-gateway'].map = encodeRecordedMap(scoped);
    fake.state.stacks[STACK].templateBody = JSON.stringify(template);

    // WHEN
    const { code, stdout } = await verify();

    // THEN a cached allow for /orders would open /admin: the row says what the cache key lacks
    expect(code).toBe(1);
    expect(tableRow(stdout, 'authorizer shop-jwt')).toMatch(
      /^authorizer shop-jwt +identitySource=context\.resourcePath method\.request\.header\.Authorization +identitySource=method\.request\.header\.Authorization +drift$/,
    );
  });

  test('an opened method, a changed quota, an extra plan and a lost association are reported', async () => {
    const opened = methodsOf(fake.state, '/orders/{proxy+}');
    opened.ANY = { ...opened.ANY, authorizationType: 'NONE', authorizerId: undefined };
    fake.state.usagePlans[2] = { ...fake.state.usagePlans[2], quota: { limit: 5000, offset: 0, period: 'DAY' } };
    fake.state.usagePlans.push({ id: 'p3', name: 'shop-vip', apiStages: [{ apiId: REST_ID, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 200 } });
    fake.state.webAcls[0].associations = { API_GATEWAY: [] };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'method ANY /orders/{proxy+}')).toMatch(/auth=CUSTOM +auth=NONE +drift$/);
    expect(tableRow(stdout, 'usage plan shop-free')).toMatch(/quota=1000 per DAY +quota=5000 per DAY +drift$/);
    expect(statusOf(stdout, 'usage plan shop-vip')).toBe('unexpected');
    expect(statusOf(stdout, 'waf association stage prod')).toBe('missing');
    expect(statusOf(stdout, 'method ANY /orders')).toBe('ok');
  });

  test('usage plans are matched by their names in API Gateway: the map\'s plan renamed to its bare key is missing, and the renamed one unexpected', async () => {
    fake.state.usagePlans[2] = { ...fake.state.usagePlans[2], name: 'free' };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(statusOf(stdout, 'usage plan shop-free')).toBe('missing');
    expect(statusOf(stdout, 'usage plan free')).toBe('unexpected');
  });

  test('a changed per-method throttle is drift; the default throttle is read from */*', async () => {
    const settings = fake.state.restApis[REST_ID].stages.prod.methodSettings as Record<string, Json>;
    settings['~1orders~1{proxy+}/ANY'] = { throttlingRateLimit: 5, throttlingBurstLimit: 100 };
    settings['*/*'] = { throttlingRateLimit: 500, throttlingBurstLimit: 50 };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage prod throttle ANY /orders/{proxy+}')).toMatch(/rate=50\/s +rate=5\/s +drift$/);
    expect(tableRow(stdout, 'stage prod default throttle')).toMatch(/burst=1000 +burst=50 +drift$/);
  });

  test('a cache cluster turned off is drift: cached GETs would reach the backend every time', async () => {
    // AWS may go on reporting the size of a cluster it deleted; only the cluster counts then.
    fake.state.restApis[REST_ID].stages.prod.cacheClusterEnabled = false;

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage prod cache cluster')).toMatch(/^stage prod cache cluster +cluster=on, size=0\.5 GB +cluster=off, size=\(not set\) +drift$/);
    expect(statusOf(stdout, 'stage prod cache GET /cart')).toBe('ok');
  });

  test('a cache cluster of another size than the map\'s is drift', async () => {
    fake.state.restApis[REST_ID].stages.prod.cacheClusterSize = '6.1';

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage prod cache cluster')).toMatch(/^stage prod cache cluster +size=0\.5 GB +size=6\.1 GB +drift$/);
  });

  test('a cached GET whose caching was turned off, or whose TTL changed, is drift', async () => {
    const settings = fake.state.restApis[REST_ID].stages.prod.methodSettings as Record<string, Json>;
    settings['~1cart/GET'] = { ...settings['~1cart/GET'], cachingEnabled: false };
    settings['~1cart~1{proxy+}/GET'] = { ...settings['~1cart~1{proxy+}/GET'], cacheTtlInSeconds: 3600 };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage prod cache GET /cart')).toMatch(/^stage prod cache GET \/cart +caching=on, ttl=30 s +caching=off, ttl=\(not set\) +drift$/);
    expect(tableRow(stdout, 'stage prod cache GET /cart/{proxy+}')).toMatch(/^stage prod cache GET \/cart\/\{proxy\+\} +ttl=30 s +ttl=3600 s +drift$/);
    // The throttles of the same settings did not change.
    expect(statusOf(stdout, 'stage prod throttle GET /cart')).toBe('ok');
    expect(statusOf(stdout, 'stage prod cache cluster')).toBe('ok');
  });

  test('caching turned on where the map does not cache is reported: responses would be cached without a per-caller key', async () => {
    // GIVEN caching on cart's ANY (it has a setting), on catalog's ANY (no setting of the map's) and as the stage default
    const settings = fake.state.restApis[REST_ID].stages.prod.methodSettings as Record<string, Json>;
    settings['~1cart/ANY'] = { ...settings['~1cart/ANY'], cachingEnabled: true };
    settings['~1catalog/ANY'] = { ...settings['~1catalog/ANY'], cachingEnabled: true };
    settings['*/*'] = { ...settings['*/*'], cachingEnabled: true };

    // WHEN
    const { code, stdout } = await verify();

    // THEN
    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage prod cache ANY /cart')).toMatch(/^stage prod cache ANY \/cart +caching=off, ttl=\(not set\) +caching=on, ttl=300 s +drift$/);
    expect(tableRow(stdout, 'stage prod cache ANY /catalog')).toMatch(/^stage prod cache ANY \/catalog +- +caching=on, ttl=300 s +unexpected$/);
    expect(tableRow(stdout, 'stage prod default cache')).toMatch(/ +caching=on, ttl=300 s +drift$/);
    // A setting the map does not make, that caches nothing, is not reported.
    expect(tableRow(stdout, 'stage prod cache ANY /catalog/{proxy+}')).toBeUndefined();
  });

  test('an API key that is gone is missing', async () => {
    fake.state.apiKeys = fake.state.apiKeys.filter((k) => k.name !== 'shop-mobile');
    fake.state.usagePlanKeys.p2 = [];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'api key shop-mobile')).toMatch(/^api key shop-mobile +state=enabled, plan=shop-free +- +missing$/);
    expect(statusOf(stdout, 'usage plan shop-free')).toBe('ok');
  });

  test('a key the map does not have is unexpected when it can call the stage, whatever its name', async () => {
    // GIVEN two more keys bound to the stage's plan, and one of another app's that is not
    fake.state.apiKeys.push(
      { id: 'k3', name: 'shop-legacy', enabled: true, value: 'LegacyKeyValue000000000000000000000000004' },
      { id: 'k4', name: 'tester', enabled: false, value: 'TesterKeyValue000000000000000000000000005' },
      { id: 'k5', name: 'another-app-key-2', enabled: true, value: 'OtherKeyValue00000000000000000000000000006' },
    );
    fake.state.usagePlanKeys.p2.push('k3', 'k4');
    fake.state.usagePlanKeys.p0.push('k5');

    // WHEN
    const { code, stdout } = await verify();

    // THEN
    expect(code).toBe(1);
    expect(tableRow(stdout, 'api key shop-legacy')).toMatch(/^api key shop-legacy +- +state=enabled, plan=shop-free +unexpected$/);
    expect(tableRow(stdout, 'api key tester')).toMatch(/^api key tester +- +state=disabled, plan=shop-free +unexpected$/);
    expect(tableRow(stdout, 'api key another-app-key-2')).toBeUndefined();
    expect(statusOf(stdout, 'api key shop-mobile')).toBe('ok');
  });

  test('a disabled key, or one no longer bound to its usage plan, is drift', async () => {
    fake.state.apiKeys = fake.state.apiKeys.map((k) => (k.name === 'shop-mobile' ? { ...k, enabled: false } : k));
    fake.state.usagePlanKeys.p2 = [];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'api key shop-mobile')).toMatch(/^api key shop-mobile +state=enabled, plan=shop-free +state=disabled, plan=\(not set\) +drift$/);
  });

  test('API key values never reach the output, in sync or not, nor what the reader keeps', async () => {
    // GIVEN the stage's plan lists its keys, and GetUsagePlanKeys sends their values unasked
    fake.state.apiKeys.push({ id: 'k3', name: 'shop-legacy', enabled: true, value: 'LegacyKeyValue000000000000000000000000004' });
    fake.state.usagePlanKeys.p2.push('k3');
    // Failures name the keys whose value leaked, so that a failing test does not print the values either.
    const leaked = (text: string) => fake.state.apiKeys.filter((k) => text.includes(k.value as string)).map((k) => k.name);
    expect(leaked(JSON.stringify(fake.state.apiKeys))).toHaveLength(4);

    // WHEN verify runs (the extra key is unexpected, so its row shows what is deployed) and the reader reads the API
    const { code, stdout, stderr } = await verify();
    const state = await new ApiGatewayRestApiReader(new APIGatewayClient({})).readApi(REST_ID, 'prod');

    // THEN keys are named, never shown by value
    expect(code).toBe(1);
    expect(statusOf(stdout, 'api key shop-legacy')).toBe('unexpected');
    expect(state?.apiKeys.map((k) => k.name)).toContain('shop-legacy');
    expect(leaked([...stdout, ...stderr].join('\n'))).toEqual([]);
    expect(leaked(JSON.stringify(state))).toEqual([]);
  });

  test('a container integration that no longer sets x-gateway-user is drift: the backend would take the caller for anonymous', async () => {
    delete methodsOf(fake.state, '/cart').ANY.methodIntegration.requestParameters['integration.request.header.x-gateway-user'];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'integration parameters ANY /cart')).toMatch(
      /^integration parameters ANY \/cart +header\.x-gateway-user=context\.authorizer\.sub +header\.x-gateway-user=\(not set\) +drift$/,
    );
    expect(statusOf(stdout, 'integration ANY /cart')).toBe('ok');
    expect(statusOf(stdout, 'integration parameters GET /cart')).toBe('ok');
  });

  test('a url integration whose URI points at another backend is drift', async () => {
    methodsOf(fake.state, '/orders/{proxy+}').ANY.methodIntegration.uri = 'https://orders-legacy.example.net/orders/{proxy}';

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'integration ANY /orders/{proxy+}')).toMatch(
      /^integration ANY \/orders\/\{proxy\+\} +uri=https:\/\/orders\.example\.com\/orders\/\{proxy\} +uri=https:\/\/orders-legacy\.example\.net\/orders\/\{proxy\} +drift$/,
    );
    expect(statusOf(stdout, 'integration ANY /orders')).toBe('ok');
  });

  test('a cached GET whose cache key lost the Authorization header is drift: one caller\'s response would reach another', async () => {
    methodsOf(fake.state, '/cart/{proxy+}').GET.methodIntegration.cacheKeyParameters = ['method.request.path.proxy'];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'integration GET /cart/{proxy+}')).toMatch(
      /^integration GET \/cart\/\{proxy\+\} +cacheKeys=method\.request\.header\.Authorization method\.request\.path\.proxy +cacheKeys=method\.request\.path\.proxy +drift$/,
    );
  });

  test('an ANY method with cache keys, or a container integration sent over the internet, is drift', async () => {
    const cart = methodsOf(fake.state, '/cart');
    cart.ANY.methodIntegration.cacheKeyParameters = ['method.request.header.Authorization'];
    cart.GET.methodIntegration = { ...cart.GET.methodIntegration, connectionType: 'INTERNET', connectionId: undefined };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'integration ANY /cart')).toMatch(/ +cacheKeys=\(not set\) +cacheKeys=method\.request\.header\.Authorization +drift$/);
    // Over the internet the host is compared too: the map's stand-in for the ALB is not a host.
    expect(tableRow(stdout, 'integration GET /cart')).toMatch(
      /^integration GET \/cart +connection=VPC_LINK, uri=http:\/\/\(ALB\)\/cart +connection=INTERNET, uri=http:\/\/internal-shop-alb0-\S+\/cart +drift$/,
    );
  });

  test('a per-service WAF rule whose scope-down no longer decodes the path is drift: "/%6Frders" would slip past the limit', async () => {
    const plainPath = { OrStatement: { Statements: [byteMatch({ UriPath: {} }, 'EXACTLY', '/prod/orders'), byteMatch({ UriPath: {} }, 'STARTS_WITH', '/prod/orders/')] } };
    fake.state.webAcls[0].webAcl.Rules = [rateRule('per-ip', 0, 2000, 300, IP_KEY), rateRule('svc-orders-ip-100-per-60s', 1, 100, 60, IP_KEY, plainPath)];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    const row = tableRow(stdout, 'waf rule svc-orders-ip-100-per-60s')!;
    expect(row).toMatch(/^waf rule svc-orders-ip-100-per-60s +scopeDown=\S.* +scopeDown=\S.* +drift$/);
    expect(row).toContain('scopeDown=uri path EXACTLY "/prod/orders" (URL_DECODE) or uri path STARTS_WITH "/prod/orders/" (URL_DECODE)  ');
    expect(row).toContain('scopeDown=uri path EXACTLY "/prod/orders" or uri path STARTS_WITH "/prod/orders/"  ');
    expect(row).not.toMatch(/limit=|aggregate=/);
  });

  test('with cors, each preflight OPTIONS method is in the plan: one behind an authorizer is drift, a missing one is missing', async () => {
    const orders = methodsOf(fake.state, '/orders');
    orders.OPTIONS = { ...orders.OPTIONS, authorizationType: 'CUSTOM' };
    delete methodsOf(fake.state, '/catalog/{proxy+}').OPTIONS;

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'method OPTIONS /orders')).toMatch(/auth=NONE.*auth=CUSTOM.* drift$/);
    expect(statusOf(stdout, 'method OPTIONS /catalog/{proxy+}')).toBe('missing');
    expect(statusOf(stdout, 'integration OPTIONS /catalog/{proxy+}')).toBe('missing');
    expect(statusOf(stdout, 'method OPTIONS /orders/{proxy+}')).toBe('ok');
    expect(statusOf(stdout, 'integration OPTIONS /orders/{proxy+}')).toBe('ok');
  });

  test('OPTIONS methods only count when the map has no CORS', async () => {
    const template = JSON.parse(fake.state.stacks[STACK].templateBody);
    const noCors = validateServiceMap({ ...shopMap, cors: undefined }).map;
    template.Resources.ShopApi.Metadata['cdk-service-gateway'].map = encodeRecordedMap(noCors);
    fake.state.stacks[STACK].templateBody = JSON.stringify(template);

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(statusOf(stdout, 'method OPTIONS /orders')).toBe('unexpected');
  });
});
