/**
 * The plan as a person checks it before deploying (`cdk-service-gateway plan`): the route table, the
 * firewall rules in evaluation order, the quotas used against their limits, and the warnings. And the
 * plan as machines read it (`--json`).
 */
import { PREFLIGHT_RULE_PRIORITY } from '../service-map/conventions';
import { textTable } from '../text-table';
import type { MapWarning } from '../service-map/warnings';
import { backendPath } from './rest-integration';
import type { GatewayPlan, RoutePlan, ServicePlan } from './gateway-plan';

export function formatPlan(plan: GatewayPlan): string[] {
  const lines: string[] = [];
  const services = plan.services.length;
  lines.push(
    `Gateway "${plan.name}": ${plan.frontDoor.toUpperCase()} front door, stage ${plan.stageName}, ${services} service${services === 1 ? '' : 's'}, ` +
      `${plan.placement.loadBalancerCount} internal ALB${plan.placement.loadBalancerCount === 1 ? '' : 's'}, stage throttle ${throttle(plan.stageThrottle)}`,
  );
  if (plan.authorizer) {
    const a = plan.authorizer;
    lines.push(`JWT authorizer "${a.name}": ${a.kind === 'native' ? 'API Gateway JWT' : `Lambda ${a.type}`}, issuer ${a.issuers.join(", ")}, identity ${a.identitySource.join(', ')}${a.resultTtlSeconds !== undefined ? `, cached ${a.resultTtlSeconds} s` : ''}`);
  }
  lines.push('', 'Routes', '');
  lines.push(
    ...textTable([
      ['ROUTE', 'AUTH', 'SCOPES', 'THROTTLE', 'SERVICE', 'INTEGRATION', 'BACKEND PATH', 'ALB / PRIORITY / TARGET GROUP', 'STACK'],
      ...plan.services.flatMap((s) => [...s.routes, ...s.preflightRoutes].map((r) => routeRow(s, r, plan))),
    ]),
  );
  lines.push('', 'Firewall', '');
  if (!plan.firewall) {
    lines.push('Disabled (firewall.enabled is false): no web ACL.');
  } else {
    const fw = plan.firewall;
    const where = fw.target.kind === 'alb' ? 'on every internal ALB' : `on the REST stage${fw.target.pathPrefix ? ` (paths seen as ${fw.target.pathPrefix}/...)` : ''}`;
    lines.push(`Web ACL "${fw.webAclName}" ${where}; rules in evaluation order:`, '');
    lines.push(
      ...textTable([
        ['PRIORITY', 'RULE', 'ACTION', 'APPLIES TO', 'WCU'],
        ...fw.rules.map((r) => [String(r.priority), r.name, r.action, r.service ? `service ${r.service}` : 'every request', String(r.wcu)]),
        ['', 'total', '', '', `${fw.capacity.wcu} (${fw.capacity.included} included in the base price, ${fw.capacity.max} max)`],
      ]),
    );
  }
  lines.push('', 'Quotas', '');
  lines.push(
    ...textTable([
      ['QUOTA', 'ON', 'USED', 'LIMIT', 'KIND', 'USE'],
      ...plan.quotas.map((q) => [q.counted ? `${q.quota}, ${q.counted}` : q.quota, q.scope, String(q.used), String(q.limit), q.kind, `${Math.round((100 * q.used) / q.limit)}%${q.used > q.limit ? ' OVER' : ''}`]),
    ]),
  );
  lines.push('', plan.warnings.length ? `Warnings (${plan.warnings.length})` : 'Warnings: none', '');
  for (const w of plan.warnings.map((w) => warningJson(w, plan.map.acknowledgeWarnings))) lines.push(`- ${w.message} [${w.id}${w.acknowledged ? `; acknowledged: ${w.reason}` : ''}]`);
  return lines;
}

function routeRow(s: ServicePlan, r: RoutePlan, plan: GatewayPlan): string[] {
  const auth = r.apiKeyRequired ? 'API key' : r.authorizationType === 'NONE' ? 'none' : `jwt (${r.authorizationType})`;
  const i = r.integration;
  const uri = i.uri ?? i.requestParameters['overwrite:path'] ?? '';
  // REST container services: the service's listener rule removes the prefix (stripPrefix), so the container
  // gets another path than the integration URI names (RestFrontDoor.backendPathRewrite).
  const stripped = plan.frontDoor === 'rest' && i.connectionType === 'VPC_LINK' && plan.map.services[s.name]?.stripPrefix && s.path !== '/';
  const path = stripped ? `${uri} (the ALB rewrites it to ${backendPath(s.path, true, r.exactRoute)})` : uri;
  const preflight = r.method === 'OPTIONS';
  // A preflight is answered by its ALB's reserved preflight rule, never by the service's target group.
  const mock = i.type === 'MOCK';
  const alb = mock
    ? '-'
    : preflight
      ? `${i.target} / ${PREFLIGHT_RULE_PRIORITY} / (preflight rule: 204)`
      : s.loadBalancer ? `ALB ${s.loadBalancer.index} / ${s.loadBalancer.priority} / ${s.loadBalancer.targetGroupName}` : '-';
  return [
    r.key,
    auth,
    !preflight && s.scopes.length ? s.scopes.join(' ') : '-',
    r.throttle ? throttle(r.throttle) : 'stage',
    s.name,
    mock ? i.target : `${i.connectionType === 'VPC_LINK' ? 'VPC link' : 'internet'} -> ${i.target}, ${i.timeoutMs} ms${r.cache?.cachingEnabled ? `, cached ${r.cache.cacheTtlInSeconds} s` : ''}`,
    mock ? '-' : path,
    alb,
    s.nestedStack.id,
  ];
}

function throttle(t: { rateLimit: number; burstLimit: number }): string {
  return `${t.rateLimit}/s burst ${t.burstLimit}`;
}

/** The plan for machines: everything but the resolved map and the CDK-shaped web ACL rules, which are inputs, not decisions. */
export function planJson(plan: GatewayPlan): unknown {
  const { map: _map, placement, firewall, ...rest } = plan;
  return {
    ...rest,
    warnings: plan.warnings.map((w) => warningJson(w, plan.map.acknowledgeWarnings)),
    loadBalancerCount: placement.loadBalancerCount,
    firewall: firewall && { webAclName: firewall.webAclName, target: firewall.target, rules: firewall.rules, capacity: firewall.capacity },
  };
}

/**
 * A warning for machines: `acknowledged` tells whether the map's `acknowledgeWarnings` silences it, and
 * `reason` gives the map's reason when it does (the text output says "acknowledged: <reason>").
 */
export function warningJson(warning: MapWarning, acknowledgements: Readonly<Record<string, unknown>>): MapWarning & { acknowledged: boolean; reason?: string } {
  const reason = Object.hasOwn(acknowledgements, warning.id) ? acknowledgements[warning.id] : undefined;
  return typeof reason === 'string' ? { ...warning, acknowledged: true, reason } : { ...warning, acknowledged: false };
}
