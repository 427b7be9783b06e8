/** Targets per ALB and per target group (Elastic Load Balancing quotas), counted at the deployment peak. */
import { placeServices } from '../../lib/plan/placement';
import { serviceMapSchema, type ServiceMap } from '../../lib/service-map/schema';
import type { MapWarning } from '../../lib/service-map/warnings';
import { validateServiceMap } from '../../lib/plan';

const place = (map: ServiceMap) => placeServices(serviceMapSchema.parse(map));
const svc = (maxTasks: number) => ({ path: '/x', container: { image: 'nginx:1.27' }, scaling: { minTasks: 2, maxTasks } });
const map = (tasks: Record<string, number>, loadBalancers = 1): ServiceMap => ({
  name: 'gw',
  network: { loadBalancers },
  services: Object.fromEntries(Object.entries(tasks).map(([n, t]) => [n, { ...svc(t), path: `/${n}` }])),
});
const targetWarnings = (p: { warnings: readonly MapWarning[] }) => p.warnings.filter((w) => w.id.endsWith('targets-quota')).map((w) => w.message);

describe('target quotas', () => {
  test("the issue's case: two services with maxTasks 600 on one ALB warn for each target group and for the ALB", () => {
    expect(targetWarnings(place(map({ a: 600, b: 600 })))).toEqual([
      'services.a.scaling.maxTasks: 600 tasks are 1200 targets in the service\'s target group while ECS deploys it at 200 %, above the default quota of 1000 ' +
        '"Targets per Target Group per Region (instances or IP addresses)"; request an increase to 1200 in Service Quotas (Elastic Load Balancing) before deploying, or lower maxTasks to 500',
      expect.stringMatching(/^services\.b\.scaling\.maxTasks: 600 tasks are 1200 targets/),
      'services: ALB 0 may hold 2400 targets (maxTasks of its 2 services add up to 1200, x 200 % while ECS deploys them), above the default quota of 1000 ' +
        '"Targets per Application Load Balancer"; request an increase to 2400 in Service Quotas (Elastic Load Balancing) before deploying, or spread the services over more ALBs (network.loadBalancers)',
    ]);
  });

  test('the deployment peak counts: 501 tasks warn for the target group, 500 do not', () => {
    expect(targetWarnings(place(map({ a: 501 })))).toEqual([
      expect.stringMatching(/^services\.a\.scaling\.maxTasks: 501 tasks are 1002 targets/),
      expect.stringMatching(/^services: ALB 0 may hold 1002 targets \(maxTasks of its 1 service adds up to 501,/),
    ]);
    expect(targetWarnings(place(map({ a: 500 })))).toEqual([]);
  });

  test('an ALB is counted over its own services only: 5 x 100 tasks warn on one ALB', () => {
    expect(targetWarnings(place(map({ a: 100, b: 100, c: 100, d: 100, e: 101 })))).toEqual([expect.stringMatching(/^services: ALB 0 may hold 1002 targets \(maxTasks of its 5 services add up to 501/)]);
    expect(targetWarnings(place(map({ a: 100, b: 100, c: 100, d: 100, e: 100 })))).toEqual([]);
    // Spread over two ALBs, no ALB reaches the quota.
    const spread = place(map({ a: 100, b: 100, c: 100, d: 100, e: 101 }, 2));
    expect(new Set(spread.services.map((s) => s.loadBalancer)).size).toBe(2);
    expect(targetWarnings(spread)).toEqual([]);
  });

  test('an adjustable quota is a warning: the map still validates', () => {
    const validated = validateServiceMap(map({ a: 600, b: 600 }));
    expect(targetWarnings(validated.placement)).toHaveLength(3);
  });

  test('url services have no targets', () => {
    expect(targetWarnings(place({ name: 'gw', services: { u: { path: '/u', url: 'https://u.example.com' } } }))).toEqual([]);
  });
});
