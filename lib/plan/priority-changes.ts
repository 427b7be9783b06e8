/**
 * What an update from one placement to the next does to listener-rule priorities, judged the way
 * CloudFormation runs the update: new rules are created and changed rules updated first, removed rules are
 * deleted last. A rule that takes a priority still held by a rule that is only deleted afterwards fails with
 * PriorityInUse. Pure, so the property tests and a change preview can both use it.
 */
import type { GatewayPlacement } from './placement';

export interface PriorityChange {
  /** `moved`: a kept service's rule changes priority; `reused`: a rule takes a priority another rule holds until the update ends. */
  readonly kind: 'moved' | 'reused';
  readonly service: string;
  readonly loadBalancer: number;
  readonly from?: number;
  readonly to: number;
  /** `reused`: the service whose rule holds the priority until it is deleted. */
  readonly heldBy?: string;
  readonly message: string;
}

export function listenerPriorityChanges(before: GatewayPlacement, after: GatewayPlacement): PriorityChange[] {
  const rules = (p: GatewayPlacement) =>
    new Map(p.services.filter((s) => s.priority !== undefined && s.loadBalancer !== undefined).map((s) => [s.name, { alb: s.loadBalancer!, priority: s.priority! }]));
  const old = rules(before);
  const next = rules(after);
  const holder = new Map([...old].map(([name, r]) => [`${r.alb}:${r.priority}`, name]));
  const changes: PriorityChange[] = [];
  for (const [service, r] of next) {
    const was = old.get(service);
    // Same service, same ALB: the same rule resource, updated in place. Another ALB replaces the rule (new listener).
    if (was && was.alb === r.alb) {
      if (was.priority !== r.priority) {
        changes.push({ kind: 'moved', service, loadBalancer: r.alb, from: was.priority, to: r.priority, message: `services.${service}: listener-rule priority on ALB ${r.alb} moves from ${was.priority} to ${r.priority}` });
      }
      continue;
    }
    const heldBy = holder.get(`${r.alb}:${r.priority}`);
    if (heldBy !== undefined) {
      changes.push({
        kind: 'reused',
        service,
        loadBalancer: r.alb,
        to: r.priority,
        heldBy,
        message: `services.${service}: its new listener rule takes priority ${r.priority} on ALB ${r.alb}, which services.${heldBy}'s rule holds until the update deletes it (PriorityInUse); pin a free priority, or make the change in two deployments`,
      });
    }
  }
  return changes;
}
