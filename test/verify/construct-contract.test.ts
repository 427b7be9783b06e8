/**
 * The contract with the constructs, end to end: synthesize a real ServiceGateway, "deploy" exactly what
 * was synthesized into the fake AWS endpoint, and verify from the cloud assembly. Anything but an
 * all-ok table means verify and the constructs disagree about what the map implies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceMap } from '../../lib/service-map';
import { runVerify } from '../../lib/verify';
import { FakeAws } from './fake-aws';
import { fakeAwsEnv } from './fixtures';
import { capture, statusOf, tableRow, withEnv } from './helpers';
import { synthDirectory } from '../support/assembly';
import { deployAssembly, simulatedApiKeyValue } from './simulated-deployment';

const API_ID = 'synthapi01';

/** The row of an item that must be ok: checked here so a failure names the item. */
function okRow(stdout: readonly string[], item: string): string {
  expect([item, statusOf(stdout, item)]).toEqual([item, 'ok']);
  return tableRow(stdout, item)!;
}

describe('verify agrees with what ServiceGateway synthesizes', () => {
  let fake: FakeAws;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = new FakeAws({ stacks: {}, httpApis: {}, restApis: {}, usagePlans: [], apiKeys: [], usagePlanKeys: {}, webAcls: [], failures: {} });
    restoreEnv = withEnv(fakeAwsEnv(await fake.start()));
  });
  afterAll(async () => {
    restoreEnv();
    await fake.stop();
  });

  async function verifyDeployed(map: ServiceMap) {
    const outdir = synthDirectory(map);
    fake.state = deployAssembly(outdir, 'Gw', API_ID);
    const output = capture();
    const code = await runVerify({ stack: 'Gw', cdkOut: outdir }, output);
    return { code, ...output };
  }

  test('the school example with the Lambda authorizer, containers and a url service', async () => {
    const map = JSON.parse(readFileSync(join(__dirname, '../../examples/school.json'), 'utf8'));

    const { code, stdout, stderr } = await verifyDeployed(map);

    expect(stderr).toEqual([]);
    expect(stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toContain('36 items: 36 ok, 0 drift, 0 missing, 0 unexpected');
    // The HTTP API's own CORS configuration, as the plan says (the map's cors, defaults filled in).
    expect(okRow(stdout, 'cors configuration')).toContain('origins=https://app.example.com, methods=GET POST, headers=authorization content-type, exposeHeaders=(not set), credentials=false, maxAge=600 s  ');
    // On the ALB: the client address and the user are the headers the gateway overwrites; a service's
    // limit counts only the requests whose service header names one of its routes.
    expect(okRow(stdout, 'waf rule per-ip')).toContain('aggregate=FORWARDED_IP x-gateway-client-ip (fallback NO_MATCH)  ');
    expect(okRow(stdout, 'waf rule per-user')).toContain('limit=100, window=60 s, aggregate=CUSTOM_KEYS header x-gateway-user  ');
    expect(okRow(stdout, 'waf rule svc-live-reading-ip-500-per-60s')).toContain(
      'scopeDown=header x-gateway-service EXACTLY "ANY /live-reading" or header x-gateway-service EXACTLY "ANY /live-reading/{proxy+}"  ',
    );
    expect(stdout.some((l) => l.startsWith('waf rule svc-live-reading-') && l.endsWith('ok'))).toBe(true);
    // Scopes differ between services, so the authorizer cache is keyed by route too.
    expect(okRow(stdout, 'authorizer school-jwt')).toContain(
      'type=REQUEST, cacheTtl=300 s, identitySource=$context.routeKey $request.header.Authorization, payloadFormat=2.0, simpleResponses=true',
    );
    expect(okRow(stdout, 'integration parameters ANY /payment')).toContain('header.x-gateway-user=overwrite $context.authorizer.sub');
    expect(okRow(stdout, 'integration parameters ANY /students')).toContain('path=overwrite /  ');
    expect(okRow(stdout, 'integration parameters ANY /students/{proxy+}')).toContain('path=overwrite /$request.path.proxy');
    // cors: every service has OPTIONS routes without an authorizer, to its ALB's anonymous integration.
    expect(okRow(stdout, 'route OPTIONS /payment/{proxy+}')).toContain('auth=NONE, integration=HTTP_PROXY over VPC_LINK');
    expect(okRow(stdout, 'integration parameters OPTIONS /students')).toContain('path=overwrite $request.path');
  });

  test('the Lambda authorizer with the same scopes everywhere and a stripped url service', async () => {
    const map: ServiceMap = {
      name: 'docs',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['docs'] }, cacheTtlSeconds: 60 },
      firewall: { enabled: false },
      services: {
        pages: { path: '/pages', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, scopes: ['docs:read'] },
        search: { path: '/search', url: 'https://search.example.com/v2', stripPrefix: true, scopes: ['docs:read'] },
        health: { path: '/health', url: 'https://health.example.com', auth: 'none' },
      },
    };

    const { code, stdout, stderr } = await verifyDeployed(map);

    expect(stderr).toEqual([]);
    expect(stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(okRow(stdout, 'authorizer docs-jwt')).toContain('cacheTtl=60 s, identitySource=$request.header.Authorization, payloadFormat=2.0');
    expect(okRow(stdout, 'integration parameters ANY /search')).toContain('path=overwrite /v2  ');
    expect(okRow(stdout, 'integration parameters ANY /search/{proxy+}')).toContain('path=overwrite /v2/${request.path.proxy}');
    expect(okRow(stdout, 'integration parameters ANY /health')).toContain('header.x-gateway-user=remove');
    expect(okRow(stdout, 'integration parameters ANY /pages/{proxy+}')).toContain('header.x-gateway-scopes=overwrite $context.authorizer.scope');
  });

  test('a native JWT authorizer with scopes, an anonymous service and route throttles', async () => {
    const map: ServiceMap = {
      name: 'shop',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] }, authorizer: 'native' },
      firewall: { enabled: false },
      services: {
        orders: { path: '/orders', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, scopes: ['orders:read'], throttle: { rateLimit: 20, burstLimit: 40 } },
        status: { path: '/status', url: 'https://status.example.com', auth: 'none', timeoutMs: 3000 },
      },
    };

    const { code, stdout, stderr } = await verifyDeployed(map);

    expect(stderr).toEqual([]);
    expect(stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(stdout.some((l) => l.startsWith('route ANY /orders  ') && l.includes('auth=JWT, scopes=orders:read'))).toBe(true);
    expect(okRow(stdout, 'authorizer shop-jwt')).toContain('type=JWT, issuer=https://id.example.com/, audience=shop, identitySource=$request.header.Authorization');
    expect(okRow(stdout, 'integration parameters ANY /orders')).toContain('header.x-gateway-user=overwrite $context.authorizer.claims.sub');
    expect(okRow(stdout, 'integration parameters ANY /status')).toContain('header.x-gateway-scopes=remove');
  });

  test('the REST front door with a Lambda authorizer, API keys, usage plans, method throttles, cached GETs and a per-service WAF limit', async () => {
    const map: ServiceMap = {
      name: 'store',
      frontDoor: 'rest',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['store'] } },
      cors: { allowOrigins: ['https://store.example.com'] },
      usagePlans: { free: { rateLimit: 10, burstLimit: 20, quota: { limit: 1000, period: 'DAY' } }, partner: { rateLimit: 100, burstLimit: 200 } },
      apiKeys: { mobile: { plan: 'free' } },
      services: {
        cart: {
          path: '/v1/cart',
          container: { image: 'public.ecr.aws/nginx/nginx:1.27' },
          throttle: { rateLimit: 30, burstLimit: 60 },
          cache: { ttlSeconds: 30, queryStrings: ['page'] },
        },
        catalog: { path: '/v1/catalog', url: 'https://catalog.example.com', stripPrefix: true, auth: 'apiKey', cache: { ttlSeconds: 60 } },
        orders: { path: '/v1/orders', url: 'https://orders.example.com', scopes: ['orders:write'], timeoutMs: 5000, rateLimits: [{ limit: 100, windowSeconds: 60 }] },
      },
    };

    const { code, stdout, stderr } = await verifyDeployed(map);

    expect(stderr).toEqual([]);
    expect(stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toContain('(REST front door, API synthapi01)');
    // CORS: every preflight's answer and the CORS headers of API Gateway's own 4xx/5xx answers.
    expect(okRow(stdout, 'preflight OPTIONS /v1/orders/{proxy+}')).toContain("header.access-control-allow-origin='https://store.example.com'");
    expect(okRow(stdout, 'gateway response DEFAULT_5XX cors')).toContain("header.access-control-allow-origin='https://store.example.com'");
    for (const item of ['method ANY /v1/cart/{proxy+}', 'method ANY /v1/catalog', 'stage prod throttle ANY /v1/cart', 'usage plan store-free', 'usage plan store-partner']) {
      expect(stdout.some((l) => l.startsWith(`${item}  `) && l.endsWith('  ok'))).toBe(true);
    }
    // cart and orders need different scopes: the cache key includes the resource path.
    expect(okRow(stdout, 'authorizer store-jwt')).toContain('type=REQUEST, cacheTtl=300 s, identitySource=context.resourcePath method.request.header.Authorization');
    // Integrations: containers over the VPC link with the full path (the ALB strips it), url services
    // over the internet; the gateway headers overwritten, or blanked for callers without a token.
    expect(okRow(stdout, 'integration ANY /v1/cart/{proxy+}')).toContain('type=HTTP_PROXY, connection=VPC_LINK, method=ANY, uri=http://(ALB)/v1/cart/{proxy}, timeout=29000 ms  ');
    expect(okRow(stdout, 'integration parameters ANY /v1/cart')).toContain(
      "header.x-gateway-client-ip=context.identity.sourceIp, header.x-gateway-scopes=context.authorizer.scope, header.x-gateway-service='ANY /v1/cart', header.x-gateway-user=context.authorizer.sub  ",
    );
    expect(okRow(stdout, 'integration ANY /v1/orders')).toContain('connection=INTERNET, method=ANY, uri=https://orders.example.com/v1/orders, timeout=5000 ms  ');
    expect(okRow(stdout, 'integration ANY /v1/catalog')).toContain('uri=https://catalog.example.com/, timeout=29000 ms  ');
    expect(okRow(stdout, 'integration parameters ANY /v1/catalog/{proxy+}')).toContain("header.x-gateway-user='', path.proxy=method.request.path.proxy  ");
    // Cached GET methods: keyed by the caller (token or API key), the proxied path and the named query strings.
    expect(okRow(stdout, 'integration GET /v1/cart/{proxy+}')).toContain(
      'method=GET, uri=http://(ALB)/v1/cart/{proxy}, timeout=29000 ms, cacheKeys=method.request.header.Authorization method.request.path.proxy method.request.querystring.page  ',
    );
    expect(okRow(stdout, 'integration GET /v1/catalog')).toContain('cacheKeys=method.request.header.x-api-key  ');
    // On the stage, WAF runs before routing: a service's limit matches its decoded path under the stage.
    expect(okRow(stdout, 'waf rule per-ip')).toContain('aggregate=IP  ');
    expect(okRow(stdout, 'waf rule svc-orders-ip-100-per-60s')).toContain(
      'aggregate=IP, scopeDown=uri path EXACTLY "/prod/v1/orders" (URL_DECODE) or uri path STARTS_WITH "/prod/v1/orders/" (URL_DECODE)  ',
    );
    // The stage cache: a cluster of the map's size, caching only on the cached services' GETs, for their TTLs.
    expect(okRow(stdout, 'stage prod cache cluster')).toContain('cluster=on, size=0.5 GB  ');
    expect(okRow(stdout, 'stage prod default cache')).toContain('caching=off  ');
    expect(okRow(stdout, 'stage prod cache GET /v1/cart/{proxy+}')).toContain('caching=on, ttl=30 s  ');
    expect(okRow(stdout, 'stage prod cache GET /v1/catalog')).toContain('caching=on, ttl=60 s  ');
    expect(okRow(stdout, 'stage prod cache ANY /v1/cart')).toContain('caching=off  ');
    expect(stdout.some((l) => l.startsWith('stage prod cache ANY /v1/orders  '))).toBe(false);
    // API keys: by name, enabled, bound to their plan; the value API Gateway generated is never shown.
    expect(okRow(stdout, 'api key store-mobile')).toContain('state=enabled, plan=store-free  ');
    expect(fake.state.apiKeys).toHaveLength(1);
    const value = simulatedApiKeyValue(fake.state.apiKeys[0].id as string);
    expect(fake.state.apiKeys[0].value).toBe(value);
    expect(stdout.some((l) => l.includes(value))).toBe(false);
    expect(stdout.filter((l) => l.startsWith('Not checked'))).toEqual([]);
  });

  test('the REST front door behind a custom domain: per-service WAF limits match the path without the stage', async () => {
    const map: ServiceMap = {
      name: 'media',
      frontDoor: 'rest',
      domain: { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab' },
      services: {
        videos: { path: '/videos', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, auth: 'none', rateLimits: [{ limit: 300, windowSeconds: 60 }] },
        docs: { path: '/docs', url: 'https://docs.example.com/v2/', stripPrefix: true, auth: 'none', timeoutMs: 8000 },
      },
    };

    const { code, stdout, stderr } = await verifyDeployed(map);

    expect(stderr).toEqual([]);
    expect(stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(okRow(stdout, 'waf rule svc-videos-ip-300-per-60s')).toContain(
      'scopeDown=uri path EXACTLY "/videos" (URL_DECODE) or uri path STARTS_WITH "/videos/" (URL_DECODE)  ',
    );
    expect(okRow(stdout, 'integration ANY /docs/{proxy+}')).toContain('uri=https://docs.example.com/v2/{proxy}, timeout=8000 ms  ');
    expect(okRow(stdout, 'integration parameters ANY /videos')).toContain("header.x-gateway-user=''  ");
    // No service caches: no cache cluster is billed, and no API key exists.
    expect(okRow(stdout, 'stage prod cache cluster')).toContain('cluster=off  ');
    expect(stdout.some((l) => l.startsWith('api key '))).toBe(false);
  });

  test('one service at the root path "/" with cors: REST (API key, cache, throttle, WAF limit) and HTTP', async () => {
    // REST: the service's methods and preflights sit on the API's root resource and its {proxy+} child.
    const rest: ServiceMap = {
      name: 'home',
      frontDoor: 'rest',
      cors: { allowOrigins: ['https://home.example.com'] },
      usagePlans: { free: { rateLimit: 10, burstLimit: 20 } },
      apiKeys: { web: { plan: 'free' } },
      services: {
        site: { path: '/', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, auth: 'apiKey', cache: { ttlSeconds: 30 }, throttle: { rateLimit: 5, burstLimit: 10 }, rateLimits: [{ limit: 100, windowSeconds: 60 }] },
      },
    };
    const r = await verifyDeployed(rest);
    expect(r.stderr).toEqual([]);
    expect(r.stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    expect(okRow(r.stdout, 'method ANY /')).toContain('auth=NONE, apiKey=required  ');
    expect(okRow(r.stdout, 'method OPTIONS /')).toContain('auth=NONE, apiKey=not required  ');
    expect(okRow(r.stdout, 'method OPTIONS /{proxy+}')).toContain('auth=NONE, apiKey=not required  ');
    expect(okRow(r.stdout, 'integration OPTIONS /')).toContain('type=MOCK  ');
    expect(okRow(r.stdout, 'integration GET /{proxy+}')).toContain('uri=http://(ALB)/{proxy}, timeout=29000 ms, cacheKeys=method.request.header.x-api-key method.request.path.proxy  ');
    expect(okRow(r.stdout, 'waf rule svc-site-ip-100-per-60s')).toContain('scopeDown=uri path EXACTLY "/prod" (URL_DECODE) or uri path STARTS_WITH "/prod/" (URL_DECODE)  ');
    expect(okRow(r.stdout, 'api key home-web')).toContain('state=enabled, plan=home-free  ');

    // HTTP: route keys "ANY /" and "ANY /{proxy+}"; a stripped root sends the path as it came.
    const http: ServiceMap = {
      name: 'home',
      cors: { allowOrigins: ['https://home.example.com'] },
      services: { site: { path: '/', container: { image: 'public.ecr.aws/nginx/nginx:1.27' }, stripPrefix: true, auth: 'none' } },
    };
    const h = await verifyDeployed(http);
    expect(h.stderr).toEqual([]);
    expect(h.stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l))).toEqual([]);
    expect(h.code).toBe(0);
    expect(okRow(h.stdout, 'route OPTIONS /')).toContain('auth=NONE, integration=HTTP_PROXY over VPC_LINK');
    expect(okRow(h.stdout, 'route ANY /{proxy+}')).toContain('auth=NONE');
  });
});
