/**
 * Browsers get through: a CORS preflight (OPTIONS, no token) to any route is answered without an
 * authorizer and with the map's CORS headers, on both front doors, with both authorizer kinds, with and
 * without stripPrefix; the real methods still reach the authorizer.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { PREFLIGHT_HEADER_VALUE, PREFLIGHT_RULE_PRIORITY, type ServiceMap } from '../../lib/service-map';
import { resourcesOf, synthGateway, type SynthesizedGateway } from '../support/gateway';
import { selectRoute } from '../support/route-selection';

const CORS = { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] as const, allowHeaders: ['authorization', 'content-type'], maxAgeSeconds: 600 };

function corsMap(frontDoor: 'http' | 'rest', authorizer: 'lambda' | 'native'): ServiceMap {
  return {
    name: 'shop',
    frontDoor,
    auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'], algorithms: ['RS256'] }, authorizer },
    cors: { ...CORS, allowMethods: [...CORS.allowMethods] },
    services: {
      orders: { path: '/orders', container: { image: 'nginx:1.27' }, auth: 'jwt', scopes: ['orders:read'] },
      users: { path: '/v1/users', container: { image: 'nginx:1.27' }, auth: 'jwt', stripPrefix: true },
      pay: { path: '/pay', url: 'https://pay.example.com/api', auth: 'jwt', stripPrefix: true },
      docs: { path: '/docs', container: { image: 'nginx:1.27' }, auth: 'none' },
    },
  };
}

/** Every route of the gateway as `routeKey -> authorized?`, from the synthesized nested stacks. */
function httpRoutes(gw: SynthesizedGateway): Map<string, boolean> {
  const routes = new Map<string, boolean>();
  for (const stack of gw.gateway.serviceStacks.values()) {
    for (const [, r] of resourcesOf(Template.fromStack(stack), 'AWS::ApiGatewayV2::Route')) routes.set(r.Properties.RouteKey, r.Properties.AuthorizationType !== 'NONE');
  }
  return routes;
}

/** Every REST method as `METHOD <resource path>` -> authorized?, from the synthesized nested stacks. */
function restMethods(gw: SynthesizedGateway): Map<string, { authorized: boolean; props: Record<string, any> }> {
  const methods = new Map<string, { authorized: boolean; props: Record<string, any> }>();
  for (const p of gw.gateway.placement.services) {
    const prefix = p.name.replace(/[^A-Za-z0-9]/g, '');
    for (const [id, m] of resourcesOf(gw.serviceTemplate(p.name), 'AWS::ApiGateway::Method')) {
      if (!id.startsWith(prefix)) continue;
      const proxy = id.slice(prefix.length).startsWith('Proxy');
      const key = `${m.Properties.HttpMethod} ${proxy ? `${p.service.path}/{proxy+}` : p.service.path}`;
      methods.set(key, { authorized: m.Properties.AuthorizationType !== 'NONE', props: m.Properties });
    }
  }
  return methods;
}

const REQUESTS = ['/orders', '/orders/42', '/orders/a/b', '/v1/users', '/v1/users/7', '/pay', '/pay/x/y'];

describe.each([
  ['http', 'lambda'],
  ['http', 'native'],
  ['rest', 'lambda'],
] as const)('CORS preflight on the %s front door with the %s authorizer', (frontDoor, authorizer) => {
  let gw: SynthesizedGateway;
  let routes: Map<string, boolean>;
  beforeAll(() => {
    gw = synthGateway(corsMap(frontDoor, authorizer));
    routes = frontDoor === 'http' ? httpRoutes(gw) : new Map([...restMethods(gw)].map(([k, v]) => [k, v.authorized]));
  });

  test.each(REQUESTS)('a preflight to %s matches an unauthenticated route; GET and POST still reach the authorizer', (path) => {
    const preflight = selectRoute([...routes.keys()], 'OPTIONS', path);
    expect(preflight).toMatch(/^OPTIONS /);
    expect(routes.get(preflight!)).toBe(false);
    for (const method of ['GET', 'POST', 'DELETE']) {
      const real = selectRoute([...routes.keys()], method, path);
      expect(real).toMatch(/^ANY /);
      expect(routes.get(real!)).toBe(true);
    }
  });

  test('every protected route has a preflight route on the same path', () => {
    for (const [key, authorized] of routes) {
      if (!authorized) continue;
      expect(routes.get(key.replace(/^\S+ /, 'OPTIONS '))).toBe(false);
    }
  });

  if (frontDoor === 'http') {
    test('the API carries the CORS headers, and each ALB answers preflights with 204 by the reserved rule', () => {
      gw.root.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: { AllowOrigins: CORS.allowOrigins, AllowMethods: ['GET', 'POST'], AllowHeaders: CORS.allowHeaders, MaxAge: 600 },
      });
      const rules = resourcesOf(gw.root, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r.Properties);
      expect(rules).toEqual([
        expect.objectContaining({
          Priority: PREFLIGHT_RULE_PRIORITY,
          Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-gateway-service', Values: [PREFLIGHT_HEADER_VALUE] } }],
          Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '204' } }],
        }),
      ]);
      // Service rules match their ANY route keys only, so a preflight never reaches a backend.
      const serviceRule = resourcesOf(gw.serviceTemplate('orders'), 'AWS::ElasticLoadBalancingV2::ListenerRule')[0][1].Properties;
      expect(serviceRule.Conditions[0].HttpHeaderConfig.Values).toEqual(['ANY /orders', 'ANY /orders/{proxy+}']);
      expect(serviceRule.Priority).not.toBe(PREFLIGHT_RULE_PRIORITY);
    });

    test('preflight routes of stripped and url services go to the anonymous full-path ALB integration', () => {
      const integrations = Object.fromEntries(resourcesOf(gw.root, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
      for (const name of ['users', 'pay']) {
        const preflight = resourcesOf(gw.serviceTemplate(name), 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey.startsWith('OPTIONS '));
        expect(preflight).toHaveLength(2);
        for (const [, r] of preflight) {
          expect(r.Properties.AuthorizerId).toBeUndefined();
          expect(JSON.stringify(r.Properties.Target)).toMatch(/Alb0AnonymousFullIntegration/);
          const integration = Object.entries(integrations).find(([id]) => id.includes('Alb0AnonymousFullIntegration'))![1];
          expect(integration).toMatchObject({ ConnectionType: 'VPC_LINK', RequestParameters: expect.objectContaining({ 'remove:header.x-gateway-user': "''", 'overwrite:path': '$request.path' }) });
        }
      }
    });
  } else {
    test('the OPTIONS methods are MOCKs answering 204 with the CORS headers, without an API key', () => {
      const methods = restMethods(gw);
      for (const key of ['OPTIONS /orders', 'OPTIONS /orders/{proxy+}', 'OPTIONS /v1/users/{proxy+}', 'OPTIONS /pay']) {
        const { props } = methods.get(key)!;
        expect(props).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } });
        expect(props.ApiKeyRequired).toBeFalsy();
        expect(props.Integration.IntegrationResponses[0]).toMatchObject({
          StatusCode: '204',
          ResponseParameters: {
            'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
            'method.response.header.Access-Control-Allow-Headers': "'authorization,content-type'",
            'method.response.header.Access-Control-Max-Age': "'600'",
          },
        });
      }
    });
  }
});

describe('the ALB priority the preflight rule holds', () => {
  test('is reserved with cors: a service may not pin it; without cors it may', async () => {
    const { problemsOf } = await import('../support/problems');
    const services = { orders: { path: '/orders', container: { image: 'nginx:1.27' }, priority: PREFLIGHT_RULE_PRIORITY } };
    expect(problemsOf({ name: 'shop', cors: { allowOrigins: ['https://a.example.com'] }, services })).toEqual([
      `services.orders.priority: ${PREFLIGHT_RULE_PRIORITY} is reserved for the ALB rule that answers CORS preflights (the map sets cors); pick 1 to ${PREFLIGHT_RULE_PRIORITY - 1}`,
    ]);
    expect(problemsOf({ name: 'shop', services })).toEqual([]);
    // The REST front door answers preflights with MOCK methods: no ALB rule, nothing reserved.
    expect(problemsOf({ name: 'shop', frontDoor: 'rest', cors: { allowOrigins: ['https://a.example.com'] }, services })).toEqual([]);
  });

  test('a service whose derived priority is the reserved one must be pinned (never moved silently), and the error names a free priority', async () => {
    const { ServiceMapError } = await import('../../lib/service-map');
    const { homePriority, validateServiceMap } = await import('../../lib/plan');
    let name = '';
    for (let i = 0; !name; i++) if (homePriority(`s${i}`) === PREFLIGHT_RULE_PRIORITY) name = `s${i}`;
    const services = { [name]: { path: '/x', container: { image: 'nginx:1.27' } } };
    const cors = { allowOrigins: ['https://a.example.com'] };
    let problems: readonly string[] = [];
    try {
      validateServiceMap({ name: 'shop', cors, services });
    } catch (e) {
      if (e instanceof ServiceMapError) problems = e.problems;
    }
    expect(problems).toEqual([
      `services.${name}.priority: the listener-rule priority derived from its name, ${PREFLIGHT_RULE_PRIORITY}, is reserved on ALB 0 for the rule that answers CORS preflights (the map sets cors); set services.${name}.priority to 1 (a free priority)`,
    ]);
    // Pinned as told, the map validates and the service keeps that slot; without cors it keeps its derived one.
    const pinned = validateServiceMap({ name: 'shop', cors, services: { [name]: { ...services[name], priority: 1 } } }).placement;
    expect(pinned.services[0].priority).toBe(1);
    expect(validateServiceMap({ name: 'shop', services }).placement.services[0].priority).toBe(PREFLIGHT_RULE_PRIORITY);
  });
});

describe('preflight routes count against the HTTP API route quota', () => {
  test('4 routes per service with cors, 2 without', async () => {
    const { validateServiceMap } = await import('../../lib/plan');
    const services = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`s${i}`, { path: `/s${i}`, url: 'https://b.example.com' }]));
    const withCors = validateServiceMap({ name: 'big', cors: { allowOrigins: ['https://a.example.com'] }, services });
    expect(withCors.placement.warnings.map((w) => w.message).join('\n')).toMatch(/needs 320 routes \(4 per service: ANY and the CORS preflight OPTIONS.*above the default quota of 300 "Routes per API"/);
    const without = validateServiceMap({ name: 'big', services });
    expect(without.placement.warnings.map((w) => w.message).join('\n')).not.toMatch(/Routes per API/);
  });
});
