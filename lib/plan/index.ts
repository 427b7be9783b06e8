export * from './gateway-plan';
export * from './plan-gateway';
export { estimateWebAclCapacity, firewallRuleTarget, planFirewall, withIpSetArns, type FirewallPlan, type FirewallRulePlan } from './firewall';
export type { AuthorizerPlan } from './authorizer';
export type { QuotaUse } from './quotas';
export type { AuthMode, AuthorizationType, Throttle } from './routes';
export { formatPlan, planJson } from './format';
export * from './placement';
export * from './priority-changes';
