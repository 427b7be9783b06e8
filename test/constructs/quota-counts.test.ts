/**
 * The quota table counts what the constructs build: for each quota the plan counts (and validation warns or
 * fails on), the synthesized templates hold exactly that many of the resources it limits. A change that adds
 * a route, an integration, a listener rule or a REST resource to the rendering without the plan's count would
 * fail here.
 */
import type { QuotaUse } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map';
import { allResources, type Assembly, synthAssembly } from '../support/assembly';

const image = 'public.ecr.aws/nginx/nginx:1.27';
const jwt = { issuer: 'https://id.example.com/', audience: ['shop'] };

function counted(assembly: Assembly) {
  const types = [...allResources(assembly).values()].map((r) => r.Type);
  const count = (type: string) => types.filter((t) => t === type).length;
  const quotas = assembly.gateway.plan.quotas;
  const used = (quota: string) => sum(quotas.filter((q) => q.quota.startsWith(quota)));
  return { count, used };
}

const sum = (uses: readonly QuotaUse[]) => uses.reduce((n, q) => n + q.used, 0);

describe('HTTP front door with cors, url and container services on two ALBs', () => {
  let assembly: Assembly;
  beforeAll(() => {
    assembly = synthAssembly({
      name: 'shop',
      auth: { jwt, default: 'jwt' },
      cors: { allowOrigins: ['https://shop.example.com'] },
      network: { loadBalancers: 2 },
      services: {
        orders: { path: '/orders', container: { image } },
        users: { path: '/v1/users', container: { image, port: 8081 }, stripPrefix: true },
        docs: { path: '/docs', container: { image }, auth: 'none', timeoutMs: 5000 },
        pay: { path: '/pay', url: 'https://pay.example.com/api', stripPrefix: true },
        status: { path: '/status', url: 'https://status.example.com', auth: 'none' },
      },
    } satisfies ServiceMap);
  });

  test('routes (ANY and OPTIONS) and integrations are the plan\'s counts', () => {
    const { count, used } = counted(assembly);
    expect(count('AWS::ApiGatewayV2::Route')).toBe(used('Routes per API'));
    expect(used('Routes per API')).toBe(20);
    expect(count('AWS::ApiGatewayV2::Integration')).toBe(used('Integrations per API'));
  });

  test('listener rules (the preflight rule of each ALB included) and target groups are the plan\'s counts over the ALBs', () => {
    const { count, used } = counted(assembly);
    expect(assembly.gateway.plan.placement.loadBalancerCount).toBe(2);
    expect(count('AWS::ElasticLoadBalancingV2::ListenerRule')).toBe(used('Rules per Application Load Balancer'));
    expect(used('Rules per Application Load Balancer')).toBe(3 + 2);
    expect(count('AWS::ElasticLoadBalancingV2::TargetGroup')).toBe(used('Target groups per Application Load Balancer'));
  });
});

describe('REST front door with shared path prefixes', () => {
  let assembly: Assembly;
  beforeAll(() => {
    assembly = synthAssembly({
      name: 'shop',
      frontDoor: 'rest',
      auth: { jwt, default: 'jwt' },
      cors: { allowOrigins: ['https://shop.example.com'] },
      services: {
        orders: { path: '/v1/shop/orders', container: { image } },
        carts: { path: '/v1/shop/carts', container: { image } },
        users: { path: '/v2/users', container: { image } },
        status: { path: '/status', url: 'https://status.example.com', auth: 'none' },
      },
    } satisfies ServiceMap);
  });

  test('REST resources are the plan\'s count (prefixes shared, the root not a resource of its own)', () => {
    const { count, used } = counted(assembly);
    expect(count('AWS::ApiGateway::Resource')).toBe(used('Resources per API'));
  });

  test('listener rules and target groups are the plan\'s counts (no preflight rule: API Gateway answers OPTIONS)', () => {
    const { count, used } = counted(assembly);
    expect(count('AWS::ElasticLoadBalancingV2::ListenerRule')).toBe(used('Rules per Application Load Balancer'));
    expect(count('AWS::ElasticLoadBalancingV2::TargetGroup')).toBe(used('Target groups per Application Load Balancer'));
  });
});
