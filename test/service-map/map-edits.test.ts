/**
 * Day two: a deployed map edited step by step, the way a team changes it over months. After each step the map
 * validates (health checks included), and no listener-rule priority of a service that stays moves, nor does a
 * new rule take a priority an old rule holds until the update deletes it (both fail with PriorityInUse).
 */
import { listenerPriorityChanges } from '../../lib/plan/priority-changes';
import { homePriority, placeServices, type GatewayPlacement } from '../../lib/plan/placement';
import { QUOTAS } from '../../lib/service-map/limits';
import { serviceMapSchema, type ServiceMap } from '../../lib/service-map/schema';
import { validateServiceMap } from '../../lib/plan';
import { problemsOf } from '../support/problems';

type Services = Record<string, Record<string, any>>;
const image = 'public.ecr.aws/nginx/nginx:1.27';
const start: ServiceMap = {
  name: 'school',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['school'] } },
  services: {
    svc326: { path: '/svc326', container: { image, healthCheck: { gracePeriodSeconds: 120 } } },
    orders: { path: '/orders', container: { image, port: 8080 } },
    students: { path: '/students', container: { image, port: 3000 }, auth: 'none' },
    payment: { path: '/payment', url: 'https://payment.example.com' },
  },
};
const edit = (map: ServiceMap, services: (s: Services) => Services, rest: Partial<ServiceMap> = {}): ServiceMap => ({
  ...map,
  ...rest,
  services: services(JSON.parse(JSON.stringify(map.services))) as ServiceMap['services'],
});
const priorityOf = (p: GatewayPlacement, name: string) => p.services.find((s) => s.name === name)?.priority;

/** The 0.1 rule, for the upgrade step: the later name of a colliding pair probed silently past every home slot. */
function placementOf01(p: GatewayPlacement): GatewayPlacement {
  const containers = p.services.filter((s) => s.kind === 'container' && s.service.priority === undefined).map((s) => s.name).sort();
  const homes = new Set(containers.map(homePriority));
  const taken = new Set<number>();
  const slots = new Map<string, number>();
  for (const n of containers) {
    let slot = homePriority(n);
    if (taken.has(slot)) {
      do slot = (slot % QUOTAS.rulePriorityMax) + 1;
      while (taken.has(slot) || homes.has(slot));
    }
    taken.add(slot);
    slots.set(n, slot);
  }
  return { ...p, services: p.services.map((s) => (slots.has(s.name) ? { ...s, priority: slots.get(s.name) } : s)) };
}

describe('a sequence of map edits keeps every listener-rule priority', () => {
  let deployed = validateServiceMap(start).placement;
  /** Deploys `next`: it must validate, and no priority may move or be reused against the deployed placement. */
  const deploy = (next: ServiceMap) => {
    const placement = validateServiceMap(next).placement;
    expect(listenerPriorityChanges(deployed, placement)).toEqual([]);
    for (const s of deployed.services) {
      const now = placement.services.find((x) => x.name === s.name);
      if (now && now.loadBalancer === s.loadBalancer) expect([s.name, now.priority]).toEqual([s.name, s.priority]);
    }
    deployed = placement;
    return placement;
  };
  let map = start;

  test('add a service whose home slot another service holds: an error that names the pin, then pinned as told', () => {
    const added = edit(map, (s) => ({ ...s, svc74: { path: '/svc74', container: { image } } }));
    const [problem] = problemsOf(added);
    expect(problem).toMatch(/^services\.svc74\.priority: services\.svc326 and services\.svc74 both derive listener-rule priority 39029 on ALB 0/);
    const pin = Number(/set services\.svc74\.priority to (\d+)/.exec(problem)![1]);
    map = edit(added, (s) => ({ ...s, svc74: { ...s.svc74, priority: pin } }));
    expect(priorityOf(deploy(map), 'svc74')).toBe(pin);
    expect(priorityOf(deployed, 'svc326')).toBe(39029);
  });

  test('remove the service that held the home slot: the other one stays where it is', () => {
    const before = priorityOf(deployed, 'svc74');
    map = edit(map, ({ svc326: _gone, ...s }) => s);
    expect(priorityOf(deploy(map), 'svc74')).toBe(before);
  });

  test('rename a service: its new rule takes its new name\'s home slot, nobody else moves', () => {
    map = edit(map, ({ orders, ...s }) => ({ ...s, purchases: orders }));
    expect(priorityOf(deploy(map), 'purchases')).toBe(homePriority('purchases'));
  });

  test('rename a pinned service keeping its pin: flagged as PriorityInUse; dropping the pin (its home is free) is safe', () => {
    const keepingPin = edit(map, ({ svc74, ...s }) => ({ ...s, 'svc-74': svc74 }));
    expect(listenerPriorityChanges(deployed, validateServiceMap(keepingPin).placement)).toEqual([
      expect.objectContaining({ kind: 'reused', service: 'svc-74', heldBy: 'svc74', message: expect.stringMatching(/PriorityInUse/) }),
    ]);
    map = edit(map, ({ svc74, ...s }) => ({ ...s, 'svc-74': { ...svc74, priority: undefined } }));
    deploy(map);
  });

  test('reorder the services: the same placement', () => {
    const before = deployed;
    map = edit(map, (s) => Object.fromEntries(Object.entries(s).reverse()));
    expect(deploy(map)).toEqual(before);
  });

  test('move to an imported VPC (network.vpcId): priorities stay', () => {
    map = { ...map, network: { vpcId: 'vpc-0123456789abcdef0' } };
    deploy(map);
  });

  test('change a container port: priorities stay, the target group gets a new name (it is replaced)', () => {
    const before = deployed.services.find((s) => s.name === 'students')!.targetGroupName;
    map = edit(map, (s) => ({ ...s, students: { ...s.students, container: { ...s.students.container, port: 3001 } } }));
    expect(deploy(map).services.find((s) => s.name === 'students')!.targetGroupName).not.toBe(before);
  });

  test('change the protocol of the front door (HTTP API to REST API): priorities stay', () => {
    map = { ...map, frontDoor: 'rest' };
    deploy(map);
  });

  test('change a health check: validated with its grace period, priorities stay', () => {
    const tooShort = edit(map, (s) => ({ ...s, students: { ...s.students, container: { ...s.students.container, healthCheck: { intervalSeconds: 30, healthyThresholdCount: 3 } } } }));
    expect(problemsOf(tooShort)).toEqual([expect.stringMatching(/^services\.students\.container\.healthCheck\.gracePeriodSeconds: 60 s is shorter than the 90 s/)]);
    map = edit(map, (s) => ({ ...s, students: { ...s.students, container: { ...s.students.container, healthCheck: { intervalSeconds: 30, healthyThresholdCount: 3, gracePeriodSeconds: 150 } } } }));
    deploy(map);
  });

  test('upgrade the builder: a map deployed by 0.1 with a silent probe asks for the pin that keeps it, and then nothing moves', () => {
    // GIVEN a map 0.1 deployed with a collision (svc74 probed past svc326's home slot)
    const collided = edit(map, (s) => ({ ...s, svc326: { path: '/again-326', container: { image } }, svc74: { path: '/again-74', container: { image } } }));
    const by01 = placementOf01(placeServices(serviceMapSchema.parse(collided)));
    expect([priorityOf(by01, 'svc326'), priorityOf(by01, 'svc74')]).toEqual([39029, 39030]);
    // WHEN this version synthesizes it, it stops and suggests the slot 0.1 gave svc74
    const [problem] = problemsOf(collided);
    const pin = Number(/set services\.svc74\.priority to (\d+)/.exec(problem)![1]);
    expect(pin).toBe(priorityOf(by01, 'svc74'));
    // THEN pinned as told, nothing moves against what 0.1 deployed
    const upgraded = validateServiceMap(edit(collided, (s) => ({ ...s, svc74: { ...s.svc74, priority: pin } }))).placement;
    expect(listenerPriorityChanges(by01, upgraded)).toEqual([]);
  });
});
