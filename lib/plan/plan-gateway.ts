/**
 * The one pass from a map as a user wrote it to the gateway plan: the map checks, placement, the web
 * ACL and its capacity, then the plan. Problems and warnings come out of the same pass.
 */
import { checkServiceMap, ServiceMapError, type ValidateOptions } from '../service-map/validate';
import { placeServices, type GatewayPlacement } from './placement';
import type { ResolvedServiceMap } from '../service-map/schema';
import { mapWarning, warningId, type MapWarning } from '../service-map/warnings';
import { buildPlan, type GatewayPlan } from './gateway-plan';
import { planFirewall } from './firewall';

export interface PlanResult {
  /** Every problem found, each `<field path>: <what is wrong and what would be valid>`; empty when the map can be deployed. */
  readonly problems: readonly string[];
  /** Every warning, each with its rule id (the plan's `warnings`, when there is a plan). */
  readonly warnings: readonly MapWarning[];
  /** The plan; absent when there is a problem. */
  readonly plan?: GatewayPlan;
}

/** Checks a map and plans its gateway. Never throws for a bad map: the problems say what is wrong. */
export function planGateway(input: unknown, options: ValidateOptions = {}): PlanResult {
  const check = checkServiceMap(input, options);
  const warnings = [...check.warnings];
  const { map } = check;
  // Placement problems (clashing pinned priorities, a full ALB, the integration limit) in the same run.
  const placeable = map ?? check.placeableMap;
  const placement = placeable && placeServices(placeable);
  const problems = [...new Set([...check.problems, ...(placement?.problems ?? [])])];
  // A map that did not parse as a whole still gets its capacity counted (every service parsed, rules well formed).
  const counted = map ?? check.partialMap;
  const firewall = check.firewallCountable && counted ? planFirewall(counted) : undefined;
  if (firewall?.capacity.problem) problems.push(firewall.capacity.problem);
  if (!map || !placement) return { problems, warnings };
  if (firewall?.capacity.warning) warnings.push(mapWarning('waf-capacity', firewall.capacity.warning));
  warnings.push(...placement.warnings);
  if (problems.length > 0) return { problems, warnings };
  return { problems, warnings, plan: buildPlan(map, placement, map.firewall.enabled ? firewall : undefined, warnings) };
}

/**
 * The plan of a map that passed validation when it was synthesized, read back with its defaults filled
 * (verify reads it from the template). The checks of a map as a user writes it do not apply to it again.
 */
export function planResolvedMap(map: ResolvedServiceMap): GatewayPlan {
  const placement = placeServices(map);
  return buildPlan(map, placement, map.firewall.enabled ? planFirewall(map) : undefined, placement.warnings);
}

export interface ValidatedServiceMap {
  /** The map with every default filled in. */
  readonly map: ResolvedServiceMap;
  /** Things that synthesize but deserve attention (quotas to raise, extra charges); placement's are in `placement`. */
  readonly warnings: readonly MapWarning[];
  /** Where each service goes (nested stack, ALB, priority), worked out once, here. */
  readonly placement: GatewayPlacement;
  /** Everything else the gateway will be. */
  readonly plan: GatewayPlan;
}

/**
 * Validates a map as a user wrote it (TypeScript object, parsed JSON or YAML), fills in defaults and
 * plans the gateway.
 *
 * @throws ServiceMapError listing every problem
 */
export function validateServiceMap(input: unknown, options: ValidateOptions = {}): ValidatedServiceMap {
  const { problems, plan } = planGateway(input, options);
  if (!plan) throw new ServiceMapError(problems);
  // Placement's warnings stay in `placement.warnings` and the capacity warning with the firewall, as
  // before (the firewall construct reports it); `plan.warnings` has them all.
  const elsewhere = new Set<MapWarning>(plan.placement.warnings);
  const warnings = plan.warnings.filter((w) => !elsewhere.has(w) && w.id !== warningId('waf-capacity'));
  return { map: plan.map, warnings, placement: plan.placement, plan };
}
