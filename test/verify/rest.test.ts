/**
 * The REST front door against the fake endpoint: API Gateway (v1) resources with embedded methods, stage
 * method settings and usage plans, and the web ACL on the stage.
 */
import { encodeRecordedMap } from '../../lib/recorded-map';
import { validateServiceMap, type ServiceMap } from '../../lib/service-map';
import { runVerify } from '../../lib/verify';
import { FakeAws, type FakeAwsState, type Json } from './fake-aws';
import { fakeAwsEnv, rateRule, REGION } from './fixtures';
import { capture, statusOf, tableRow, withEnv } from './helpers';

const STACK = 'shop-gateway';
const REST_ID = 'r3st4p1d0';
const ACL_ARN = `arn:aws:wafv2:${REGION}:123456789012:regional/webacl/shop-waf/acl-1`;
const STAGE_ARN = `arn:aws:apigateway:${REGION}::/restapis/${REST_ID}/stages/prod`;

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
    orders: { path: '/orders', url: 'https://orders.example.com', throttle: { rateLimit: 50, burstLimit: 100 } },
    catalog: { path: '/catalog', url: 'https://catalog.example.com', auth: 'apiKey' },
  },
};

function method(httpMethod: string, authorizationType: string, apiKeyRequired = false): Json {
  return { httpMethod, authorizationType, apiKeyRequired, ...(authorizationType === 'CUSTOM' ? { authorizerId: 'auth1' } : {}) };
}

const cors = { OPTIONS: method('OPTIONS', 'NONE') };

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
          { id: 'root', path: '/', resourceMethods: { ...cors } },
          { id: 'o', parentId: 'root', pathPart: 'orders', path: '/orders', resourceMethods: { ANY: method('ANY', 'CUSTOM'), ...cors } },
          { id: 'op', parentId: 'o', pathPart: '{proxy+}', path: '/orders/{proxy+}', resourceMethods: { ANY: method('ANY', 'CUSTOM'), ...cors } },
          { id: 'c', parentId: 'root', pathPart: 'catalog', path: '/catalog', resourceMethods: { ANY: method('ANY', 'NONE', true), ...cors } },
          { id: 'cp', parentId: 'c', pathPart: '{proxy+}', path: '/catalog/{proxy+}', resourceMethods: { ANY: method('ANY', 'NONE', true), ...cors } },
        ],
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
            methodSettings: {
              '*/*': { metricsEnabled: true, loggingLevel: 'INFO', throttlingRateLimit: 500, throttlingBurstLimit: 1000, cachingEnabled: false },
              '~1orders/ANY': { metricsEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
              '~1orders~1{proxy+}/ANY': { metricsEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
              // Settings of a method the map does not throttle: the stage's values, inherited.
              '~1catalog/ANY': { metricsEnabled: true, throttlingRateLimit: 500, throttlingBurstLimit: 1000 },
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
    webAcls: [
      {
        webAcl: { Name: 'shop-waf', Id: 'acl-1', ARN: ACL_ARN, DefaultAction: { Allow: {} }, Rules: [rateRule('per-ip', 0, 2000, 300)] },
        associations: { API_GATEWAY: [STAGE_ARN] },
      },
    ],
    failures: {},
  };
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

  test('everything matches: methods, stage throttles, usage plans and the stage association', async () => {
    const { code, stdout, stderr } = await verify();

    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    for (const item of [
      'method ANY /orders',
      'method ANY /orders/{proxy+}',
      'method ANY /catalog',
      'method ANY /catalog/{proxy+}',
      'stage prod default throttle',
      'stage prod throttle ANY /orders',
      'stage prod throttle ANY /orders/{proxy+}',
      'usage plan free',
      'authorizer shop-jwt',
      'waf rule per-ip',
      'waf association stage prod',
    ]) {
      expect([item, statusOf(stdout, item)]).toEqual([item, 'ok']);
    }
    expect(tableRow(stdout, 'method ANY /catalog')).toContain('auth=NONE, apiKey=required');
    expect(tableRow(stdout, 'usage plan free')).toContain('rate=10/s, burst=20, quota=1000 per DAY');
    expect(tableRow(stdout, 'authorizer shop-jwt')).toContain('type=REQUEST, cacheTtl=300 s, identitySource=method.request.header.Authorization');
    // Unimplemented REST checks are named, not passed silently.
    expect(stdout).toContain('Not checked: REST front door: integrations, API keys and response caching are not compared yet.');
  });

  test('reads methods embedded in the resources and follows position cursors', async () => {
    await verify();

    const resourceCalls = fake.calls('GetResources');
    expect(resourceCalls).toHaveLength(3);
    expect(resourceCalls.every((c) => c.params.embed === 'methods')).toBe(true);
    expect(resourceCalls[1].params.position).toBeDefined();
    expect(fake.calls('GetUsagePlans')).toHaveLength(2);
    expect(fake.calls('GetAuthorizers')).toHaveLength(1);
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
    const api = fake.state.restApis[REST_ID];
    api.resources[2] = { ...api.resources[2], resourceMethods: { ANY: method('ANY', 'NONE'), ...cors } };
    fake.state.usagePlans[2] = { ...fake.state.usagePlans[2], quota: { limit: 5000, offset: 0, period: 'DAY' } };
    fake.state.usagePlans.push({ id: 'p3', name: 'shop-vip', apiStages: [{ apiId: REST_ID, stage: 'prod' }], throttle: { rateLimit: 100, burstLimit: 200 } });
    fake.state.webAcls[0].associations = { API_GATEWAY: [] };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'method ANY /orders/{proxy+}')).toMatch(/auth=CUSTOM +auth=NONE +drift$/);
    expect(tableRow(stdout, 'usage plan free')).toMatch(/quota=1000 per DAY +quota=5000 per DAY +drift$/);
    expect(statusOf(stdout, 'usage plan vip')).toBe('unexpected');
    expect(statusOf(stdout, 'waf association stage prod')).toBe('missing');
    expect(statusOf(stdout, 'method ANY /orders')).toBe('ok');
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
