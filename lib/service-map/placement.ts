/**
 * Where each service goes: its nested stack, its internal ALB, its listener-rule priority, its target
 * group name. Pure functions of the map, so the same map always gives the same placement, and chosen
 * so that adding, removing or reordering services does not move the others:
 *
 * - nested stack ("service group"): a hash of the service name over a fixed number of groups, so a
 *   service's group never depends on the other services;
 * - ALB: rendezvous hashing over the ALB count, so a service moves only when the count changes (and
 *   then only the services the new ALB wins); the count is pinned with `network.loadBalancers`;
 * - listener-rule priority: a hash of the name into 1..50000, unique per ALB; on the rare collision the
 *   name that sorts first keeps the slot and the other probes past every service's own slot.
 */
import { createHash } from 'node:crypto';
import { QUOTAS } from './limits';
import { effectiveAuth, routeKeys } from './conventions';
import type { ResolvedService, ResolvedServiceMap } from './schema';

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
  /** Adjustable quotas exceeded and other things to look at; synth goes on. */
  readonly warnings: readonly string[];
  /** Hard limits exceeded; synth must stop. */
  readonly problems: readonly string[];
}

/** A stable unsigned 32-bit hash of a string. */
export function stableHash(value: string): number {
  return createHash('sha256').update(value).digest().readUInt32BE(0);
}

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
 * property that forces a replacement changes (port, ALB), so CloudFormation can create the new one
 * before deleting the old instead of failing on a name in use.
 */
export function targetGroupName(gateway: string, service: string, port: number, loadBalancer: number): string {
  const suffix = stableHash(`tg:${gateway}:${service}:${port}:${loadBalancer}`).toString(36).padStart(7, '0').slice(0, 7);
  const stem = `${gateway}-${service}`.slice(0, QUOTAS.targetGroupName - suffix.length - 1).replace(/-+$/, '');
  return `${stem}-${suffix}`;
}

export function defaultLoadBalancerCount(containerServices: number): number {
  return Math.max(1, Math.ceil(containerServices / SERVICES_PER_LOAD_BALANCER));
}

export function placeServices(map: ResolvedServiceMap): GatewayPlacement {
  const warnings: string[] = [];
  const problems: string[] = [];
  const names = Object.keys(map.services).sort();
  const containerNames = names.filter((n) => map.services[n].container);
  const derivedCount = defaultLoadBalancerCount(containerNames.length);
  const loadBalancerCount = map.network.loadBalancers ?? derivedCount;
  if (map.network.loadBalancers === undefined && derivedCount > 1) {
    warnings.push(
      `network.loadBalancers: ${containerNames.length} container services are spread over ${derivedCount} internal ALBs ` +
        `(${SERVICES_PER_LOAD_BALANCER} per ALB). The count follows the service count; when it grows, about 1/${derivedCount + 1} of the ` +
        `services move to the new ALB (new target groups). Set network.loadBalancers to ${derivedCount} or more to pin it.`,
    );
  }

  const headroom = derivedCount * SERVICES_PER_LOAD_BALANCER - containerNames.length;
  if (map.network.loadBalancers === undefined && headroom < 10) {
    // Said before it happens: the change that crosses the line is then not the first the user hears of it.
    warnings.push(
      `network.loadBalancers: ${containerNames.length} container services; at ${derivedCount * SERVICES_PER_LOAD_BALANCER + 1} the default ALB count ` +
        `grows to ${derivedCount + 1} and about 1/${derivedCount + 1} of the services move to the new ALB (new target groups and listener rules). ` +
        `Set network.loadBalancers to ${derivedCount} to keep today's placement, or to ${derivedCount + 1} when you choose to move them.`,
    );
  }

  const albOf = new Map(containerNames.map((n) => [n, loadBalancerOf(n, loadBalancerCount)]));
  const priorities = assignPriorities(map, containerNames, albOf, warnings, problems);

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
      auth: effectiveAuth(map, service),
      loadBalancer: alb,
      priority: priorities.get(name),
      targetGroupName: container && alb !== undefined ? targetGroupName(map.name, name, container.port, alb) : undefined,
    };
  });

  checkQuotas(map, services, loadBalancerCount, warnings, problems);
  const groups = [...new Set(services.map((s) => s.group))].sort((a, b) => a - b);
  return { services, loadBalancerCount, groups, warnings, problems };
}

function assignPriorities(
  map: ResolvedServiceMap,
  containerNames: string[],
  albOf: Map<string, number>,
  warnings: string[],
  problems: string[],
): Map<string, number> {
  const result = new Map<string, number>();
  const byAlb = new Map<number, string[]>();
  for (const n of containerNames) byAlb.set(albOf.get(n)!, [...(byAlb.get(albOf.get(n)!) ?? []), n]);

  for (const [alb, members] of byAlb) {
    const taken = new Map<number, string>();
    // Pinned priorities first: they are the user's word.
    for (const n of members) {
      const pinned = map.services[n].priority;
      if (pinned === undefined) continue;
      const holder = taken.get(pinned);
      if (holder) problems.push(`services.${n}.priority: ${pinned} is also pinned by services.${holder} on the same ALB; pick another`);
      else taken.set(pinned, n);
    }
    const homes = new Set(members.map(homePriority));
    const unpinned = members.filter((n) => map.services[n].priority === undefined);
    // Name order: the name that sorts first keeps a contested home slot.
    for (const n of unpinned) {
      const home = homePriority(n);
      let slot = home;
      if (taken.has(slot)) {
        do slot = (slot % QUOTAS.rulePriorityMax) + 1;
        while (taken.has(slot) || homes.has(slot));
        warnings.push(
          `services.${n}.priority: its derived listener-rule priority ${home} on ALB ${alb} is taken by services.${taken.get(home)}; ` +
            `it uses ${slot}. Pin "priority" on the service that is already deployed if the other one is new.`,
        );
      }
      taken.set(slot, n);
      result.set(n, slot);
    }
    for (const [slot, n] of taken) if (!result.has(n)) result.set(n, slot);
  }
  return result;
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

/** The integrations the HTTP front door needs: shared ones for container services, own ones for url services. */
export function integrationCount(services: readonly ServicePlacement[]): number {
  const shared = new Set<string>();
  let own = 0;
  for (const s of services) {
    if (s.kind === 'container') {
      shared.add(sharedIntegrationKey(s, true).id);
      shared.add(sharedIntegrationKey(s, false).id);
    } else {
      own += s.service.stripPrefix ? 2 : 1;
    }
  }
  return shared.size + own;
}

function checkQuotas(
  map: ResolvedServiceMap,
  services: ServicePlacement[],
  loadBalancerCount: number,
  warnings: string[],
  problems: string[],
): void {
  for (let alb = 0; alb < loadBalancerCount; alb++) {
    const count = services.filter((s) => s.loadBalancer === alb).length;
    if (count > QUOTAS.albTargetGroups) {
      problems.push(
        `network.loadBalancers: ALB ${alb} would hold ${count} services, above the ${QUOTAS.albTargetGroups} target groups an ALB allows; ` +
          `set network.loadBalancers to ${defaultLoadBalancerCount(services.filter((s) => s.kind === 'container').length) + 1} or more`,
      );
    }
  }
  for (let alb = 0; alb < loadBalancerCount; alb++) {
    const ports = securityGroupPorts(services, alb);
    if (ports.size > QUOTAS.securityGroupRules) {
      warnings.push(
        `services: ALB ${alb} reaches tasks on ${ports.size} distinct container ports, one security-group rule each, above the default quota of ` +
          `${QUOTAS.securityGroupRules} "Inbound or outbound rules per security group"; request an increase to ${ports.size} in Service Quotas (VPC) ` +
          `before deploying, or use fewer distinct ports`,
      );
    }
  }
  if (map.frontDoor === 'rest') {
    const resources = restResourceCount(services);
    if (resources > QUOTAS.restApiResources) {
      warnings.push(
        `services: the REST API needs ${resources} resources, above the default quota of ${QUOTAS.restApiResources} "Resources per API"; ` +
          `request an increase to ${resources} in Service Quotas (API Gateway) before deploying`,
      );
    }
  }
  if (map.frontDoor === 'http') {
    const routes = httpRouteCount(services);
    if (routes > QUOTAS.httpApiRoutes) {
      warnings.push(
        `services: the HTTP API needs ${routes} routes, above the default quota of ${QUOTAS.httpApiRoutes} "Routes per API"; ` +
          `request an increase to ${routes} in Service Quotas (API Gateway) before deploying`,
      );
    }
    const integrations = integrationCount(services);
    if (integrations > QUOTAS.httpApiIntegrations) {
      problems.push(
        `services: the HTTP API would need ${integrations} integrations, above the hard limit of ${QUOTAS.httpApiIntegrations}; ` +
          `url services need one integration each (two with stripPrefix)`,
      );
    }
  }
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
  return services.reduce((n, s) => n + s.routeKeys.length, 0);
}
