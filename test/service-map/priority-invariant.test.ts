import { listenerPriorityChanges } from '../../lib/plan/priority-changes';
import { homePriority, loadBalancerOf, placeServices, type GatewayPlacement } from '../../lib/plan/placement';
import { serviceMapSchema, serviceSchema, type ServiceMap } from '../../lib/service-map/schema';
import { problemsOf } from '../support/problems';

/** The invariant: a deployed service's listener-rule priority never changes because others were added or removed. */
const place = (map: ServiceMap) => placeServices(serviceMapSchema.parse(map));
const container = (extra: Record<string, unknown> = {}) => ({ container: { image: 'public.ecr.aws/nginx/nginx:1.27', ...extra } });
const priorities = (p: GatewayPlacement) => Object.fromEntries(p.services.filter((s) => s.priority !== undefined).map((s) => [s.name, s.priority]));

describe('listener-rule priorities: collisions', () => {
  // svc326 and svc74 hash to the same home priority (the case from issue 18).
  const HOME = 39029;
  const pair = (pins: Record<string, number> = {}): ServiceMap => ({
    name: 'gw',
    network: { loadBalancers: 1 },
    services: Object.fromEntries(['svc326', 'svc74'].map((n) => [n, { path: `/${n}`, ...container(), ...(pins[n] ? { priority: pins[n] } : {}) }])),
  });

  test('the two names share a home priority', () => {
    expect([homePriority('svc326'), homePriority('svc74')]).toEqual([HOME, HOME]);
  });

  test('a collision is an error naming the service to pin and a free priority, for either one being the new one', () => {
    // 39030 is what version 0.1 gave svc74 (the next slot that is nobody's home), so an existing deployment keeps it.
    expect(place(pair()).problems).toEqual([
      `services.svc74.priority: services.svc326 and services.svc74 both derive listener-rule priority ${HOME} on ALB 0, and a derived priority ` +
        'may not depend on which other services exist (removing one would move the other and fail the update with PriorityInUse). ' +
        `Pin the one that is not deployed yet: set services.svc74.priority to ${HOME + 1} (a free priority; also the one version 0.1 gave it, if both are deployed), ` +
        `or, if services.svc326 is the new one, set services.svc326.priority to ${HOME + 2}`,
    ]);
    // Through validation too: the problem stops synth.
    expect(problemsOf(pair())).toEqual([expect.stringMatching(/^services\.svc74\.priority: services\.svc326 and services\.svc74 both derive/)]);
  });

  test.each([
    ['svc74 is new', { svc74: HOME + 1 }, { svc326: HOME, svc74: HOME + 1 }],
    ['svc326 is new', { svc326: HOME + 2 }, { svc326: HOME + 2, svc74: HOME }],
  ])('pinning as the message says (%s) resolves it, and removing either service moves nothing', (_case, pins, expected) => {
    const both = place(pair(pins));
    expect(both.problems).toEqual([]);
    expect(priorities(both)).toEqual(expected);
    for (const gone of ['svc326', 'svc74']) {
      const map = pair(pins);
      delete (map.services as Record<string, unknown>)[gone];
      const after = place(map);
      expect(after.problems).toEqual([]);
      expect(listenerPriorityChanges(both, after)).toEqual([]);
    }
  });

  test("a service whose home slot another service's pin holds is an error; pinning it resolves it", () => {
    const map: ServiceMap = { name: 'gw', network: { loadBalancers: 1 }, services: { a: { path: '/a', ...container(), priority: homePriority('b') }, b: { path: '/b', ...container() } } };
    expect(place(map).problems).toEqual([
      `services.b.priority: the listener-rule priority derived from its name, ${homePriority('b')}, is pinned by services.a on ALB 0. ` +
        `Set services.b.priority to ${homePriority('b') + 1} (a free priority), or, if services.b is already deployed on ${homePriority('b')}, pin services.a elsewhere`,
    ]);
    (map.services.b as { priority?: number }).priority = homePriority('b') + 1;
    expect(place(map).problems).toEqual([]);
  });

  test('the same home priority on different ALBs is no collision', () => {
    const count = [2, 3, 4, 5, 6].find((n) => loadBalancerOf('svc326', n) !== loadBalancerOf('svc74', n))!;
    const p = place({ ...pair(), network: { loadBalancers: count } });
    expect(p.problems).toEqual([]);
    expect(priorities(p)).toEqual({ svc326: HOME, svc74: HOME });
  });
});

describe('listenerPriorityChanges', () => {
  const two = (services: ServiceMap['services']) => place({ name: 'gw', network: { loadBalancers: 1 }, services });

  test('a kept service whose priority changes is a move', () => {
    const before = two({ a: { path: '/a', ...container(), priority: 10 } });
    const after = two({ a: { path: '/a', ...container(), priority: 11 } });
    expect(listenerPriorityChanges(before, after)).toEqual([expect.objectContaining({ kind: 'moved', service: 'a', from: 10, to: 11 })]);
  });

  test('renaming a pinned service reuses a priority its old rule holds until deleted: PriorityInUse, flagged', () => {
    const before = two({ a: { path: '/a', ...container(), priority: 10 } });
    const after = two({ b: { path: '/a', ...container(), priority: 10 } });
    expect(listenerPriorityChanges(before, after)).toEqual([
      expect.objectContaining({ kind: 'reused', service: 'b', heldBy: 'a', to: 10, message: expect.stringMatching(/PriorityInUse/) }),
    ]);
  });

  test('unchanged and merely added or removed services are no change', () => {
    const before = two({ a: { path: '/a', ...container() }, b: { path: '/b', ...container() } });
    const after = two({ a: { path: '/a', ...container() }, c: { path: '/c', ...container() } });
    expect(listenerPriorityChanges(before, after)).toEqual([]);
  });
});

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('property: no priority ever moves over random add/remove sequences', () => {
  // A name pool rich in collisions (names that share a home priority), so the sequences exercise them.
  const pool: string[] = [];
  const byHome = new Map<number, string>();
  for (let i = 0; pool.length < 60; i++) {
    const n = `p${i}`;
    const other = byHome.get(homePriority(n));
    if (other) pool.push(other, n);
    else byHome.set(homePriority(n), n);
  }
  pool.push(...Array.from({ length: 60 }, (_, i) => `s${i}`));

  test.each([1, 2])('300 sequences of 40 edits on %i pinned ALB(s)', (loadBalancers) => {
    // Pure on placeServices over resolved maps (each service parsed once), so 12,000 placements take little time.
    const base = serviceMapSchema.parse({ name: 'prop', network: { loadBalancers }, services: { anchor: { path: '/anchor', url: 'https://a.example.com' } } });
    const parsed = new Map<string, ReturnType<typeof serviceSchema.parse>>();
    const resolve = (name: string, priority?: number) => {
      const key = `${name}:${priority}`;
      if (!parsed.has(key)) parsed.set(key, serviceSchema.parse({ path: `/${name}`, container: { image: 'nginx:1.27' }, priority }));
      return parsed.get(key)!;
    };
    let collisionsResolved = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = prng(seed * 7919 + loadBalancers);
      const pins = new Map<string, number | undefined>();
      // The url service keeps the map non-empty (a map needs one service); it has no listener rule.
      const placeNow = () => placeServices({ ...base, services: { ...base.services, ...Object.fromEntries([...pins].map(([n, p]) => [n, resolve(n, p)])) } });
      let before = placeNow();
      for (let step = 0; step < 40; step++) {
        const names = [...pins.keys()];
        const remove = names.length > 0 && random() < 0.4;
        const name = remove ? names[Math.floor(random() * names.length)] : pool[Math.floor(random() * pool.length)];
        if (remove) pins.delete(name);
        else if (!pins.has(name)) pins.set(name, undefined);
        let after = placeNow();
        if (after.problems.length > 0) {
          // The user does what the message says for the service they just added.
          const fix = after.problems.map((p) => new RegExp(`set services\\.${name}\\.priority to (\\d+)`, 'i').exec(p)).find(Boolean);
          if (!fix) throw new Error(`seed ${seed} step ${step}: no pin suggested for the new service ${name}: ${after.problems.join('; ')}`);
          pins.set(name, Number(fix[1]));
          after = placeNow();
          collisionsResolved++;
        }
        const where = `seed ${seed}, step ${step} (${remove ? 'remove' : 'add'} ${name})`;
        if (after.problems.length > 0) throw new Error(`${where}: ${after.problems.join('; ')}`);
        const changes = listenerPriorityChanges(before, after);
        if (changes.length > 0) throw new Error(`${where}: ${changes.map((c) => c.message).join('; ')}`);
        // Each priority is the service's own: its pin, or its name's home slot.
        for (const s of after.services.filter((x) => x.kind === 'container')) {
          if (s.priority !== (pins.get(s.name) ?? homePriority(s.name))) throw new Error(`${where}: services.${s.name} has priority ${s.priority}`);
        }
        before = after;
      }
    }
    // The pool makes collisions common enough that the sequences really test them.
    expect(collisionsResolved).toBeGreaterThan(50);
  });
});
