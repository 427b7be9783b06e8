import {
  loadBalancerOf,
  placeServices,
  serviceGroup,
  SERVICE_GROUPS,
  stableHash,
  targetGroupName,
} from '../../lib/plan/placement';
import { serviceMapSchema, type ServiceMap } from '../../lib/service-map/schema';
import { NEW_VPC, TARGET_GROUP_SETTINGS } from '../../lib/plan/target-group';
import { generatedMap } from '../support/generated-map';

// Parsed (defaults filled) but not validated: placement's own problems are what these tests look at.
const place = (map: ServiceMap) => placeServices(serviceMapSchema.parse(map));

describe('placeServices', () => {
  test('a service group is a function of the service name only', () => {
    const small = place(generatedMap(10));
    const large = place(generatedMap(300));
    for (const s of small.services) expect(large.services.find((l) => l.name === s.name)!.group).toBe(s.group);
    expect(Math.max(...large.services.map((s) => s.group))).toBeLessThan(SERVICE_GROUPS);
  });

  test('groups spread services evenly enough for the resource quota', () => {
    const perGroup = new Map<number, number>();
    for (const s of place(generatedMap(500)).services) perGroup.set(s.group, (perGroup.get(s.group) ?? 0) + 1);
    expect(perGroup.size).toBe(SERVICE_GROUPS);
    expect(Math.max(...perGroup.values())).toBeLessThan(25);
  });

  test('rendezvous hashing moves only the services the new ALB wins', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `service-${i}`);
    const moved = names.filter((n) => loadBalancerOf(n, 4) !== loadBalancerOf(n, 5));
    expect(moved.every((n) => loadBalancerOf(n, 5) === 4)).toBe(true);
    expect(moved.length / names.length).toBeGreaterThan(0.12);
    expect(moved.length / names.length).toBeLessThan(0.28);
  });

  test('listener-rule priorities are unique per ALB, in range, and stable', () => {
    const p = place(generatedMap(500));
    const byAlb = new Map<number, number[]>();
    for (const s of p.services.filter((s) => s.kind === 'container')) byAlb.set(s.loadBalancer!, [...(byAlb.get(s.loadBalancer!) ?? []), s.priority!]);
    for (const priorities of byAlb.values()) {
      expect(new Set(priorities).size).toBe(priorities.length);
      expect(Math.min(...priorities)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...priorities)).toBeLessThanOrEqual(50000);
    }
  });

  test('a pinned priority wins and two equal pins are an error', () => {
    const p = place({ name: 'gw', services: { a: { path: '/a', container: { image: 'x' }, priority: 7 } } });
    expect(p.services[0].priority).toBe(7);
    const bad = place({ name: 'gw', services: { a: { path: '/a', container: { image: 'x' }, priority: 7 }, b: { path: '/b', container: { image: 'x' }, priority: 7 } } });
    expect(bad.problems).toEqual(['services.b.priority: 7 is also pinned by services.a on the same ALB; pick another']);
  });

  test('too many services for the pinned ALB count is an error naming the fix', () => {
    const map = { ...generatedMap(250), network: { loadBalancers: 1 } };
    expect(place(map).problems).toEqual([expect.stringMatching(/^network\.loadBalancers: ALB 0 would hold 225 services, above the 100 target groups an ALB allows; set network\.loadBalancers to \d+ or more/)]);
  });

  test('ten services before the default ALB count grows, synth says so and how to choose when', () => {
    const containers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { path: `/s${i}`, container: { image: 'nginx:1.27' } }]));
    const near = place({ name: 'near', services: containers(71) });
    expect(near.loadBalancerCount).toBe(1);
    expect(near.warnings).toEqual([
      { id: 'cdk-service-gateway:alb-count-about-to-grow', message: expect.stringMatching(/^network\.loadBalancers: 71 container services; at 81 the default ALB count grows to 2 and about 1\/2 of the services move .* Set network\.loadBalancers to 1 to keep today's placement, or to 2 when you choose to move them\.$/) },
    ]);
    expect(place({ name: 'far', services: containers(70) }).warnings).toEqual([]);
    // A pinned count is the user's choice: no warning.
    expect(place({ name: 'pinned', services: containers(75), network: { loadBalancers: 1 } }).warnings).toEqual([]);
  });

  test('more distinct container ports on one ALB than security-group rules allow is a warning naming the quota', () => {
    // GIVEN 61 services on one ALB, each on its own port: one ALB egress rule and one task ingress rule per port
    const services = Object.fromEntries(Array.from({ length: 61 }, (_, i) => [`s${i}`, { path: `/s${i}`, container: { image: 'nginx:1.27', port: 8000 + i } }]));
    const p = place({ name: 'ports', services, network: { loadBalancers: 1 } });
    expect(p.problems).toEqual([]);
    expect(p.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'cdk-service-gateway:security-group-rules-quota', message: expect.stringMatching(/^services: ALB 0 reaches tasks on 61 distinct container ports.*default quota of 60 "Inbound or outbound rules per security group"; request an increase to 61/) })]));
    // AND 60 ports stay quiet
    const { s60: _dropped, ...sixty } = services;
    expect(place({ name: 'ports', services: sixty, network: { loadBalancers: 1 } }).warnings.filter((w) => w.message.includes('security group'))).toEqual([]);
  });

  test('target group names fit 32 characters, keep the service name readable, change when the port or ALB changes', () => {
    const at = (port: number) => ({ Port: port, ...TARGET_GROUP_SETTINGS, VpcId: NEW_VPC });
    const long = targetGroupName('a-very-long-gateway', 'an-even-longer-service-name-here', at(8080), 0);
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^a-very-long-gateway-an-e-[0-9a-z]{7}$/);
    expect(targetGroupName('gw', 'web', at(8080), 0)).toMatch(/^gw-web-[0-9a-z]{7}$/);
    expect(targetGroupName('gw', 'web', at(8081), 0)).not.toBe(targetGroupName('gw', 'web', at(8080), 0));
    expect(targetGroupName('gw', 'web', at(8080), 1)).not.toBe(targetGroupName('gw', 'web', at(8080), 0));
  });

  test('target group names deployed before the replacement values were hashed stay the same', () => {
    // The first release hashed gateway, service, port and ALB; a map with a new VPC must keep those names.
    const legacy = `gw-web-${stableHash('tg:gw:web:8080:0').toString(36).padStart(7, '0').slice(0, 7)}`;
    expect(targetGroupName('gw', 'web', { Port: 8080, ...TARGET_GROUP_SETTINGS, VpcId: NEW_VPC }, 0)).toBe(legacy);
  });

  test('the hash is stable across runs and machines (fixed vectors)', () => {
    expect(stableHash('group:payment')).toBe(stableHash('group:payment'));
    expect(serviceGroup('live-reading')).toBe(stableHash('group:live-reading') % SERVICE_GROUPS);
    // sha256("") starts with e3b0c442.
    expect(stableHash('')).toBe(0xe3b0c442);
  });

  test('a url service has no ALB, priority or target group', () => {
    const p = place({ name: 'gw', services: { pay: { path: '/pay', url: 'https://pay.example.com' } } });
    expect(p.services[0]).toMatchObject({ kind: 'url', loadBalancer: undefined, priority: undefined, targetGroupName: undefined });
    expect(p.loadBalancerCount).toBe(1);
  });
});
