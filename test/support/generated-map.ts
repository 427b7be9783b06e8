import type { ServiceMap } from '../../lib/service-map/schema';

/**
 * A map of `count` services for scale tests and benchmarks: mostly Fargate services with a mix of
 * auth, stripPrefix, throttles and ports, and every tenth a url service.
 */
export function generatedMap(count: number, options: { name?: string; names?: string[] } = {}): ServiceMap {
  const names = options.names ?? Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  const services: ServiceMap['services'] = {};
  names.forEach((name, i) => {
    if (i % 10 === 9) {
      services[name] = { path: `/${name}`, url: `https://${name}.example.com`, auth: 'none' };
      return;
    }
    services[name] = {
      path: `/${name}`,
      stripPrefix: i % 3 === 0,
      auth: i % 2 === 0 ? 'jwt' : 'none',
      scopes: i % 4 === 0 ? [`${name}:read`] : [],
      throttle: i % 5 === 0 ? { rateLimit: 50, burstLimit: 100 } : undefined,
      container: { image: 'public.ecr.aws/nginx/nginx:1.27', port: i % 2 === 0 ? 8080 : 3000 },
    };
  });
  return {
    name: options.name ?? 'scale',
    auth: { jwt: { issuer: 'https://id.example.com/', audience: ['scale'] } },
    services,
  };
}
