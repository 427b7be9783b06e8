import { planGateway } from '../../lib/plan';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceMap } from '../../lib/service-map/schema';
import { allResources, type Assembly, synthAssembly } from '../support/assembly';
import { generatedMap } from '../support/generated-map';

/**
 * Resources whose content legitimately follows the whole map: the stage (route settings), the API
 * (the recorded map), the nested-stack resources (template URL of a group that changed), and the
 * authorizer function (its route-scopes file).
 */
const AGGREGATES = new Set(['AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Api', 'AWS::CloudFormation::Stack', 'AWS::Lambda::Function', 'AWS::CloudWatch::Dashboard']);

function diff(before: Assembly, after: ServiceMap) {
  const a = allResources(before);
  const b = allResources(synthAssembly(after));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const added = [...b.keys()].filter((k) => !a.has(k));
  const changed = [...a.keys()].filter((k) => b.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));
  return {
    removed,
    added,
    changed,
    changedNonAggregate: changed.filter((k) => !AGGREGATES.has(a.get(k)!.Type)),
    types: (keys: string[], from: Map<string, { Type: string }>) => [...new Set(keys.map((k) => from.get(k)!.Type))].sort(),
    a,
    b,
  };
}

function withServices(map: ServiceMap, services: ServiceMap['services']): ServiceMap {
  return { ...map, services };
}

describe('change safety', () => {
  // 30 services over 64 nested-stack groups: enough for changes to land in one group among many (a larger map
  // only costs synth time; placement at scale is asserted on the plan below).
  const base = generatedMap(30);
  // The base map is synthesized once, for every test that compares a change with it.
  let baseAssembly: Assembly | undefined;
  const synthBase = (): Assembly => (baseAssembly ??= synthAssembly(base));

  test('adding a service only adds resources (apart from aggregates)', () => {
    const services = { ...base.services, 'new-svc': { path: '/new-svc', container: { image: 'nginx:1.27' }, auth: 'jwt' as const, scopes: ['new:read'] } };
    const d = diff(synthBase(), withServices(base, services));
    expect(d.removed).toEqual([]);
    expect(d.changedNonAggregate).toEqual([]);
    expect(d.types(d.added, d.b)).toEqual(
      expect.arrayContaining(['AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ApiGatewayV2::Route']),
    );
    // Only the group that received the service changes in the root template.
    const changedStacks = d.changed.filter((k) => d.a.get(k)!.Type === 'AWS::CloudFormation::Stack');
    expect(changedStacks.length).toBeLessThanOrEqual(1);
  });

  test('removing a service only removes its resources', () => {
    const { ['svc-007']: _gone, ...rest } = base.services;
    const d = diff(synthBase(), withServices(base, rest));
    expect(d.added).toEqual([]);
    expect(d.changedNonAggregate).toEqual([]);
    expect(d.removed.length).toBeGreaterThan(5);
  });

  test('reordering the services changes nothing, byte for byte', () => {
    const reversed = Object.fromEntries(Object.entries(base.services).reverse());
    const a = synthBase();
    const b = synthAssembly(withServices(base, reversed));
    expect([...b.templates.keys()]).toEqual([...a.templates.keys()]);
    for (const [file, body] of a.templates) expect(b.templates.get(file)).toBe(body);
  });

  // Decisions, so asserted on the plan; the tests above show the same placement renders the same resources.
  test('listener-rule priorities, target group names and nested stacks survive additions (plan)', () => {
    const bigger = generatedMap(40);
    const a = planGateway(base).plan!.placement.services;
    const b = new Map(planGateway(bigger).plan!.placement.services.map((s) => [s.name, s]));
    for (const s of a) {
      expect([s.name, b.get(s.name)!.priority, b.get(s.name)!.targetGroupName, b.get(s.name)!.group]).toEqual([s.name, s.priority, s.targetGroupName, s.group]);
    }
  });

  test('the same map synthesizes to byte-identical templates in another directory', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'csg-other-dir-'));
    const a = synthBase();
    const cwd = process.cwd();
    try {
      process.chdir(elsewhere);
      const b = synthAssembly(base, join(elsewhere, 'out'));
      for (const [file, body] of a.templates) expect(b.templates.get(file)).toBe(body);
    } finally {
      process.chdir(cwd);
    }
  });

  test('with a pinned ALB count, growing past a second ALB moves nothing (plan)', () => {
    const pinned = (n: number): ServiceMap => ({ ...generatedMap(n), network: { loadBalancers: 3 } });
    const placed = (n: number) => planGateway(pinned(n)).plan!.placement;
    const before = placed(90);
    const after = new Map(placed(91).services.map((s) => [s.name, s]));
    expect(placed(91).loadBalancerCount).toBe(3);
    for (const s of before.services) {
      const moved = after.get(s.name)!;
      expect([s.name, moved.loadBalancer, moved.priority, moved.targetGroupName, moved.group]).toEqual([s.name, s.loadBalancer, s.priority, s.targetGroupName, s.group]);
    }
  });

  test('an ALB count that follows the service count warns before it moves services (a plan decision: no synth)', () => {
    const { warnings } = planGateway(generatedMap(100));
    expect(warnings).toEqual(
      expect.arrayContaining([
        { id: 'cdk-service-gateway:alb-count-follows-services', message: expect.stringMatching(/^network\.loadBalancers: 90 container services are spread over 2 internal ALBs .* Set network\.loadBalancers to 2 or more to pin it/) },
      ]),
    );
  });
});
