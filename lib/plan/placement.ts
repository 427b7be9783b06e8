/**
 * Where each service goes: its nested stack, its internal ALB, its listener-rule priority, its target
 * group name. Pure functions of the map, so the same map always gives the same placement, and chosen
 * so that adding, removing or reordering services does not move the others:
 *
 * - nested stack ("service group"): a hash of the service name over a fixed number of groups, so a
 *   service's group never depends on the other services;
 * - ALB: rendezvous hashing over the ALB count, so a service moves only when the count changes (and
 *   then only the services the new ALB wins); the count is pinned with `network.loadBalancers`;
 * - listener-rule priority: a hash of the name into 1..50000, or the service's pinned `priority`; two
 *   services on one slot of one ALB are an error naming the pin that resolves it (docs/changes.md).
 */
import { createHash } from 'node:crypto';
import { QUOTAS } from '../service-map/limits';
import { effectiveAuth, FARGATE_DEPLOYMENT, hasPreflightRoutes, PREFLIGHT_RULE_PRIORITY, preflightRouteKeys, routeKeys } from '../service-map/conventions';
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';
import { NEW_VPC, TARGET_GROUP_SETTINGS, targetGroupReplacementValues, type TargetGroupReplacementValues } from './target-group';
import { mapWarning, type MapWarning } from '../service-map/warnings';
import { checkQuota, type QuotaCheck, type QuotaUse } from './quota-check';

/** Nested stacks services are spread over; fixed, so no service ever changes group. */
export const SERVICE_GROUPS = 64;
/** Container services per ALB the default ALB count plans for (headroom under the 100 target groups). */
export const SERVICES_PER_LOAD_BALANCER = 80;

export type PathMapping = 'full' | 'strip';
export type Caller = 'verified' | 'anonymous';

export interface ServicePlacement {
  readonly name: string;
  readonly service: ResolvedService;
  readonly kind: 'container' | 'url';
  /** Index of the nested stack that holds the service's resources. */
  readonly group: number;
  /** The two route keys: exact path and everything below it. */
  readonly routeKeys: readonly [string, string];
  /** HTTP front door with `cors`: the two unauthenticated `OPTIONS` routes on the same paths; else none. */
  readonly preflightRouteKeys: readonly string[];
  readonly auth: 'jwt' | 'none' | 'apiKey';
  /** Container services: which internal ALB. */
  readonly loadBalancer?: number;
  /** Container services: the listener-rule priority on that ALB's listener. */
  readonly priority?: number;
  /** Container services: the target group name (32 characters at most). */
  readonly targetGroupName?: string;
}

export interface GatewayPlacement {
  /** Services in name order. */
  readonly services: readonly ServicePlacement[];
  readonly loadBalancerCount: number;
  /** Groups that hold at least one service, ascending. */
  readonly groups: readonly number[];
  /** The quotas placement counts (ALB, security group and API quotas), with what each exceeded one says. */
  readonly quotas: readonly QuotaCheck[];
  /** Adjustable quotas exceeded and other things to look at; synth goes on. */
  readonly warnings: readonly MapWarning[];
  /** Hard limits exceeded; synth must stop. */
  readonly problems: readonly string[];
}

/** A stable unsigned 32-bit hash of a string. */
export function stableHash(value: string): number {
  let hash = hashes.get(value);
  if (hash === undefined) {
    // Placement hashes each name several times per run, and tools place many maps: remember a bounded number.
    if (hashes.size >= 50_000) hashes.clear();
    hash = createHash('sha256').update(value).digest().readUInt32BE(0);
    hashes.set(value, hash);
  }
  return hash;
}
const hashes = new Map<string, number>();

export function serviceGroup(name: string): number {
  return stableHash(`group:${name}`) % SERVICE_GROUPS;
}

/** Rendezvous (highest-random-weight) choice of an ALB for a service. */
export function loadBalancerOf(name: string, count: number): number {
  let best = 0;
  let bestWeight = -1;
  for (let i = 0; i < count; i++) {
    const weight = stableHash(`alb:${i}:${name}`);
    if (weight > bestWeight) {
      best = i;
      bestWeight = weight;
    }
  }
  return best;
}

export function homePriority(name: string): number {
  return 1 + (stableHash(`priority:${name}`) % QUOTAS.rulePriorityMax);
}

/**
 * A target group name of at most 32 characters, stable for the service, that changes whenever a
 * property that forces the target group's replacement changes (see `targetGroupReplacementValues`),
 * and with the ALB (a target group serves one ALB), so CloudFormation can create the new one before
 * deleting the old instead of failing on a name in use. Values equal to the first release's (port and
 * ALB apart) add nothing to the hash, so names deployed before stay as they are.
 */
export function targetGroupName(gateway: string, service: string, values: TargetGroupReplacementValues, loadBalancer: number): string {
  const baseline: Record<string, string | number> = { ...TARGET_GROUP_SETTINGS, VpcId: NEW_VPC };
  const extra = Object.entries(values)
    .filter(([k, v]) => k !== 'Port' && baseline[k] !== v)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `:${k}=${v}`)
    .join('');
  const suffix = stableHash(`tg:${gateway}:${service}:${values.Port}:${loadBalancer}${extra}`).toString(36).padStart(7, '0').slice(0, 7);
  const stem = `${gateway}-${service}`.slice(0, QUOTAS.targetGroupName - suffix.length - 1).replace(/-+$/, '');
  return `${stem}-${suffix}`;
}

export function defaultLoadBalancerCount(containerServices: number): number {
  return Math.max(1, Math.ceil(containerServices / SERVICES_PER_LOAD_BALANCER));
}

export function placeServices(map: ResolvedServiceMap): GatewayPlacement {
  const warnings: MapWarning[] = [];
  const problems: string[] = [];
  const names = Object.keys(map.services).sort();
  const containerNames = names.filter((n) => map.services[n].container);
  const derivedCount = defaultLoadBalancerCount(containerNames.length);
  const loadBalancerCount = map.network.loadBalancers ?? derivedCount;
  if (map.network.loadBalancers === undefined && derivedCount > 1) {
    warnings.push(mapWarning('alb-count-follows-services',
      `network.loadBalancers: ${containerNames.length} container services are spread over ${derivedCount} internal ALBs ` +
        `(${SERVICES_PER_LOAD_BALANCER} per ALB). The count follows the service count; when it grows, about 1/${derivedCount + 1} of the ` +
        `services move to the new ALB (new target groups). Set network.loadBalancers to ${derivedCount} or more to pin it.`,
    ));
  }

  const headroom = derivedCount * SERVICES_PER_LOAD_BALANCER - containerNames.length;
  if (map.network.loadBalancers === undefined && headroom < 10) {
    // Said before it happens: the change that crosses the line is then not the first the user hears of it.
    warnings.push(mapWarning('alb-count-about-to-grow',
      `network.loadBalancers: ${containerNames.length} container services; at ${derivedCount * SERVICES_PER_LOAD_BALANCER + 1} the default ALB count ` +
        `grows to ${derivedCount + 1} and about 1/${derivedCount + 1} of the services move to the new ALB (new target groups and listener rules). ` +
        `Set network.loadBalancers to ${derivedCount} to keep today's placement, or to ${derivedCount + 1} when you choose to move them.`,
    ));
  }

  const albOf = new Map(containerNames.map((n) => [n, loadBalancerOf(n, loadBalancerCount)]));
  const priorities = assignPriorities(map, containerNames, albOf, problems);

  const services: ServicePlacement[] = names.map((name) => {
    const service = map.services[name];
    const container = service.container;
    const alb = albOf.get(name);
    return {
      name,
      service,
      kind: container ? 'container' : 'url',
      group: serviceGroup(name),
      routeKeys: routeKeys(service.path),
      preflightRouteKeys: hasPreflightRoutes(map) ? preflightRouteKeys(service.path) : [],
      auth: effectiveAuth(map, service),
      loadBalancer: alb,
      priority: priorities.get(name),
      targetGroupName: container && alb !== undefined ? targetGroupName(map.name, name, targetGroupReplacementValues(map, container.port), alb) : undefined,
    };
  });

  const quotas = placementQuotas(map, services, loadBalancerCount);
  for (const q of quotas) {
    warnings.push(...q.warnings);
    problems.push(...q.problems);
  }
  const groups = [...new Set(services.map((s) => s.group))].sort((a, b) => a - b);
  return { services, loadBalancerCount, groups, quotas, warnings, problems };
}

/** Who holds the reserved preflight priority, in place of a service name. */
const PREFLIGHT_RULE = '(the CORS preflight rule)';

function assignPriorities(
  map: ResolvedServiceMap,
  containerNames: string[],
  albOf: Map<string, number>,
  problems: string[],
): Map<string, number> {
  const result = new Map<string, number>();
  const byAlb = new Map<number, string[]>();
  for (const n of containerNames) byAlb.set(albOf.get(n)!, [...(byAlb.get(albOf.get(n)!) ?? []), n]);
  // A pin suggested for a new service avoids every home slot and pin in the map, so it stays free if services move
  // between ALBs. (The one suggested for the later name is 0.1's slot, free on its ALB, so a 0.1 deployment keeps it.)
  const reserved = new Set(containerNames.flatMap((n) => [homePriority(n), map.services[n].priority ?? 0]));
  const preflight = hasPreflightRoutes(map);
  if (preflight) reserved.add(PREFLIGHT_RULE_PRIORITY);

  for (const [alb, members] of byAlb) {
    const pins = new Map<number, string>();
    // With cors, the ALB rule that answers preflights holds the top priority, like a pin of its own.
    if (preflight) pins.set(PREFLIGHT_RULE_PRIORITY, PREFLIGHT_RULE);
    for (const n of members) {
      const pinned = map.services[n].priority;
      if (pinned === undefined) continue;
      const holder = pins.get(pinned);
      if (holder === PREFLIGHT_RULE) {
        problems.push(`services.${n}.priority: ${pinned} is reserved for the ALB rule that answers CORS preflights (the map sets cors); pick 1 to ${PREFLIGHT_RULE_PRIORITY - 1}`);
      } else if (holder) problems.push(`services.${n}.priority: ${pinned} is also pinned by services.${holder} on the same ALB; pick another`);
      else pins.set(pinned, n);
      result.set(n, pinned);
    }
    // An unpinned service always sits on its home slot, a function of its name alone, so no other service can
    // move it. Two on one slot cannot both: that is an error, and the fix is a pin (never a silent probe, which
    // would move the probed service back when the other one is removed: PriorityInUse).
    const unpinned = members.filter((m) => map.services[m].priority === undefined);
    const legacy = legacyPriorities(members, unpinned, pins);
    const byHome = new Map<number, string[]>();
    for (const n of unpinned) byHome.set(homePriority(n), [...(byHome.get(homePriority(n)) ?? []), n]);
    for (const [home, names] of byHome) {
      const pinnedBy = pins.get(home);
      const [keeper, ...others] = pinnedBy ? [pinnedBy, ...names] : names;
      if (!pinnedBy) result.set(keeper, home);
      for (const n of others) {
        const free = legacy.get(n)!;
        result.set(n, free);
        problems.push(
          pinnedBy === PREFLIGHT_RULE
            ? `services.${n}.priority: the listener-rule priority derived from its name, ${home}, is reserved on ALB ${alb} for the rule that answers CORS preflights ` +
                `(the map sets cors); set services.${n}.priority to ${free} (a free priority)`
          : pinnedBy
            ? `services.${n}.priority: the listener-rule priority derived from its name, ${home}, is pinned by services.${pinnedBy} on ALB ${alb}. ` +
                `Set services.${n}.priority to ${free} (a free priority), or, if services.${n} is already deployed on ${home}, pin services.${pinnedBy} elsewhere`
            : `services.${n}.priority: services.${keeper} and services.${n} both derive listener-rule priority ${home} on ALB ${alb}, and a derived ` +
                `priority may not depend on which other services exist (removing one would move the other and fail the update with PriorityInUse). ` +
                `Pin the one that is not deployed yet: set services.${n}.priority to ${free} (a free priority; also the one version 0.1 gave it, ` +
                `if both are deployed), or, if services.${keeper} is the new one, set services.${keeper}.priority to ${firstFree(home, reserved, result)}`,
        );
      }
    }
  }
  return result;
}

/**
 * Where version 0.1 put each unpinned service (the name that sorts first keeps a contested home slot,
 * the other probes past every home slot), so that a collision's suggested pin keeps an already deployed rule where it is.
 */
function legacyPriorities(members: readonly string[], unpinned: readonly string[], pins: ReadonlyMap<number, string>): Map<string, number> {
  const taken = new Set(pins.keys());
  const homes = new Set(members.map(homePriority));
  const out = new Map<string, number>();
  for (const n of [...unpinned].sort()) {
    let slot = homePriority(n);
    if (taken.has(slot)) {
      do slot = (slot % QUOTAS.rulePriorityMax) + 1;
      while (taken.has(slot) || homes.has(slot));
    }
    taken.add(slot);
    out.set(n, slot);
  }
  return out;
}

function firstFree(from: number, reserved: ReadonlySet<number>, used: ReadonlyMap<string, number>): number {
  const inUse = new Set(used.values());
  let slot = from;
  do slot = (slot % QUOTAS.rulePriorityMax) + 1;
  while (reserved.has(slot) || inUse.has(slot));
  return slot;
}

/** A container service's targets at its peak: maxTasks while ECS deploys it at its maximum percent. */
export function peakTargets(s: ServicePlacement): number {
  return Math.ceil((s.service.scaling.maxTasks * FARGATE_DEPLOYMENT.maximumPercent) / 100);
}

export type IntegrationPath = 'full' | 'strip-proxy' | 'strip-exact';

export interface SharedIntegrationKey {
  /** Construct id: stable, derived from what the integration does. */
  readonly id: string;
  readonly description: string;
  readonly loadBalancer: number;
  readonly caller: Caller;
  readonly path: IntegrationPath;
  readonly timeoutMs: number;
}

/**
 * The shared integration a container service's route uses: integrations differ only by ALB, whether
 * the caller was verified (user headers set, or removed), how the path is mapped, and the timeout.
 */
export function sharedIntegrationKey(placement: ServicePlacement, exactRoute: boolean): SharedIntegrationKey {
  const caller: Caller = placement.auth === 'jwt' ? 'verified' : 'anonymous';
  const path: IntegrationPath = placement.service.stripPrefix ? (exactRoute ? 'strip-exact' : 'strip-proxy') : 'full';
  const timeoutMs = placement.service.timeoutMs;
  const alb = placement.loadBalancer ?? 0;
  const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  return {
    id: `Alb${alb}${pascal(caller)}${pascal(path)}${timeoutMs === 29000 ? '' : `Timeout${timeoutMs}`}Integration`,
    description: `ALB ${alb}, ${caller} callers, path ${path}, timeout ${timeoutMs} ms`,
    loadBalancer: alb,
    caller,
    path,
    timeoutMs,
  };
}

/**
 * The integration a service's preflight routes use: the anonymous full-path integration of its ALB
 * (ALB 0 for a url service), whose ALB answers every preflight with 204 by the rule at
 * `PREFLIGHT_RULE_PRIORITY`; API Gateway adds the map's CORS headers to that answer.
 */
export function preflightIntegrationKey(placement: ServicePlacement): SharedIntegrationKey {
  const alb = placement.loadBalancer ?? 0;
  return {
    id: `Alb${alb}AnonymousFullIntegration`,
    description: `ALB ${alb}, anonymous callers, path full, timeout 29000 ms`,
    loadBalancer: alb,
    caller: 'anonymous',
    path: 'full',
    timeoutMs: 29000,
  };
}

/** The integrations the HTTP front door needs: shared ones for container services, own ones for url services. */
export function integrationCount(services: readonly ServicePlacement[]): number {
  const shared = new Set<string>();
  let own = 0;
  for (const s of services) {
    if (s.preflightRouteKeys.length > 0) shared.add(preflightIntegrationKey(s).id);
    if (s.kind === 'container') {
      shared.add(sharedIntegrationKey(s, true).id);
      shared.add(sharedIntegrationKey(s, false).id);
    } else {
      own += s.service.stripPrefix ? 2 : 1;
    }
  }
  return shared.size + own;
}

/**
 * Every quota placement counts, each defined once: its name, where it is counted, the count, the limit, and
 * the warning (adjustable quota) or problem (hard limit) worded from that count. Validation reports the
 * findings; the plan's quota table lists the uses. Findings come in the order: target groups, targets per
 * target group and per ALB, security-group rules, listener rules (per ALB), then the API's own quotas.
 */
export function placementQuotas(map: ResolvedServiceMap, services: readonly ServicePlacement[], loadBalancerCount: number): QuotaCheck[] {
  const albs = Array.from({ length: loadBalancerCount }, (_, alb) => ({ alb, on: services.filter((s) => s.loadBalancer === alb) }));
  const containers = services.filter((s) => s.kind === 'container').length;
  return [
    ...albs.map(({ alb, on }) => targetGroupsQuota(alb, on, containers)),
    ...albs.map(({ alb, on }) => targetGroupTargetsQuota(alb, on)),
    ...albs.map(({ alb, on }) => albTargetsQuota(alb, on)),
    ...albs.map(({ alb }) => securityGroupRulesQuota(alb, securityGroupPorts(services, alb).size)),
    ...albs.map(({ alb, on }) => listenerRulesQuota(alb, on, hasPreflightRoutes(map))),
    ...(map.frontDoor === 'rest' ? [restResourcesQuota(restResourceCount(services))] : [httpRoutesQuota(httpRouteCount(services), Boolean(map.cors)), httpIntegrationsQuota(integrationCount(services))]),
  ];
}

const ELB_INCREASE = 'in Service Quotas (Elastic Load Balancing) before deploying';

/** ALB target groups (hard): one per container service on the ALB. */
function targetGroupsQuota(alb: number, on: readonly ServicePlacement[], containers: number): QuotaCheck {
  return checkQuota(
    { quota: 'Target groups per Application Load Balancer', scope: `ALB ${alb}`, used: on.length, limit: QUOTAS.albTargetGroups, kind: 'hard' },
    {
      problem: (u) =>
        `network.loadBalancers: ALB ${alb} would hold ${u.used} services, above the ${u.limit} target groups an ALB allows; ` +
        `set network.loadBalancers to ${defaultLoadBalancerCount(containers) + 1} or more`,
    },
  );
}

/**
 * Targets (one per task, IP target type) per target group (adjustable, Elastic Load Balancing, "Quotas for your
 * Application Load Balancers"), at the peak: the service at maxTasks while ECS deploys it at its maximum
 * percent. Counted for each service; the use is the ALB's largest target group, a warning for each one over.
 */
function targetGroupTargetsQuota(alb: number, on: readonly ServicePlacement[]): QuotaCheck {
  const percent = FARGATE_DEPLOYMENT.maximumPercent;
  const use = (used: number): QuotaUse => ({
    quota: 'Targets per Target Group per Region',
    scope: `ALB ${alb}`,
    counted: 'largest, at the deployment peak',
    used,
    limit: QUOTAS.targetGroupTargets,
    kind: 'adjustable',
  });
  const each = on.filter((s) => s.kind === 'container').map((s) =>
    checkQuota(use(peakTargets(s)), {
      rule: 'target-group-targets-quota',
      message: (u) =>
        `services.${s.name}.scaling.maxTasks: ${s.service.scaling.maxTasks} tasks are ${u.used} targets in the service's target group while ECS deploys it at ${percent} %, ` +
        `above the default quota of ${u.limit} "${u.quota} (instances or IP addresses)"; request an increase to ${u.used} ` +
        `${ELB_INCREASE}, or lower maxTasks to ${Math.floor((u.limit * 100) / percent)}`,
    }),
  );
  return { ...use(Math.max(0, ...each.map((c) => c.used))), warnings: each.flatMap((c) => c.warnings), problems: [] };
}

/** Targets per ALB (adjustable), a target counted once per target group: every service on it at its peak (a single update can deploy them all at once). */
function albTargetsQuota(alb: number, on: readonly ServicePlacement[]): QuotaCheck {
  const containers = on.filter((s) => s.kind === 'container');
  const steady = containers.reduce((n, s) => n + s.service.scaling.maxTasks, 0);
  const n = containers.length;
  return checkQuota(
    { quota: 'Targets per Application Load Balancer', scope: `ALB ${alb}`, counted: 'at the deployment peak', used: containers.reduce((t, s) => t + peakTargets(s), 0), limit: QUOTAS.albTargets, kind: 'adjustable' },
    {
      rule: 'alb-targets-quota',
      message: (u) =>
        `services: ALB ${alb} may hold ${u.used} targets (maxTasks of its ${n} service${n === 1 ? '' : 's'} add${n === 1 ? 's' : ''} up to ${steady}, x ${FARGATE_DEPLOYMENT.maximumPercent} % while ECS deploys them), ` +
        `above the default quota of ${u.limit} "${u.quota}"; request an increase to ${u.used} ${ELB_INCREASE}, or spread the services over more ALBs (network.loadBalancers)`,
    },
  );
}

/** Rules per security group and direction (adjustable): one per distinct container port, on the ALB's egress and the tasks' ingress. */
function securityGroupRulesQuota(alb: number, ports: number): QuotaCheck {
  return checkQuota(
    { quota: 'Inbound or outbound rules per security group', scope: `ALB ${alb}`, used: ports, limit: QUOTAS.securityGroupRules, kind: 'adjustable' },
    {
      rule: 'security-group-rules-quota',
      message: (u) =>
        `services: ALB ${alb} reaches tasks on ${u.used} distinct container ports, one security-group rule each, above the default quota of ` +
        `${u.limit} "${u.quota}"; request an increase to ${u.used} in Service Quotas (VPC) before deploying, or use fewer distinct ports`,
    },
  );
}

/** Listener rules per ALB (adjustable, default rules excluded): one per container service, and with cors the one that answers preflights. */
function listenerRulesQuota(alb: number, on: readonly ServicePlacement[], preflight: boolean): QuotaCheck {
  return checkQuota(
    { quota: 'Rules per Application Load Balancer', scope: `ALB ${alb}`, counted: 'default rules excluded', used: on.length + (preflight ? 1 : 0), limit: QUOTAS.albRules, kind: 'adjustable' },
    {
      rule: 'alb-rules-quota',
      message: (u) =>
        `services: ALB ${alb} needs ${u.used} listener rules (one per container service on it${preflight ? ', and the one that answers CORS preflights' : ''}), ` +
        `above the default quota of ${u.limit} "${u.quota}"; request an increase to ${u.used} ${ELB_INCREASE}, or spread the services over more ALBs (network.loadBalancers)`,
    },
  );
}

function restResourcesQuota(resources: number): QuotaCheck {
  return checkQuota(
    { quota: 'Resources per API', scope: 'REST API', used: resources, limit: QUOTAS.restApiResources, kind: 'adjustable' },
    {
      rule: 'rest-api-resources-quota',
      message: (u) => `services: the REST API needs ${u.used} resources, above the default quota of ${u.limit} "${u.quota}"; request an increase to ${u.used} in Service Quotas (API Gateway) before deploying`,
    },
  );
}

function httpRoutesQuota(routes: number, cors: boolean): QuotaCheck {
  return checkQuota(
    { quota: 'Routes per API', scope: 'HTTP API', used: routes, limit: QUOTAS.httpApiRoutes, kind: 'adjustable' },
    {
      rule: 'http-api-routes-quota',
      message: (u) =>
        `services: the HTTP API needs ${u.used} routes${cors ? ' (4 per service: ANY and the CORS preflight OPTIONS, each on the path and below it)' : ''}, above the default quota of ${u.limit} "${u.quota}"; ` +
        `request an increase to ${u.used} in Service Quotas (API Gateway) before deploying`,
    },
  );
}

function httpIntegrationsQuota(integrations: number): QuotaCheck {
  return checkQuota(
    { quota: 'Integrations per API', scope: 'HTTP API', used: integrations, limit: QUOTAS.httpApiIntegrations, kind: 'hard' },
    {
      problem: (u) => `services: the HTTP API would need ${u.used} integrations, above the hard limit of ${u.limit}; url services need one integration each (two with stripPrefix)`,
    },
  );
}

/** Security-group rules an ALB needs: one per distinct container port, on the ALB's egress and on the tasks' ingress. */
export function securityGroupPorts(services: readonly ServicePlacement[], loadBalancer: number): Set<number> {
  return new Set(services.filter((s) => s.loadBalancer === loadBalancer && s.service.container).map((s) => s.service.container!.port));
}

/** REST API resources: each service's path and its `{proxy+}` (the root path is the API's own), and the shared prefixes above them. */
export function restResourceCount(services: readonly ServicePlacement[]): number {
  const prefixes = new Set(services.flatMap((s) => {
    const segments = s.service.path.split('/').filter(Boolean);
    return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
  }));
  return prefixes.size + services.reduce((n, s) => n + (s.service.path === '/' ? 1 : 2), 0);
}

/** HTTP API routes: two per service (its path and everything below it). */
export function httpRouteCount(services: readonly ServicePlacement[]): number {
  // Two ANY routes per service, and two OPTIONS routes per service when the map sets cors.
  return services.reduce((n, s) => n + s.routeKeys.length + s.preflightRouteKeys.length, 0);
}
