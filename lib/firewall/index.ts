export * from './gateway-firewall';
export type { AlbTarget, FirewallTarget, RestStageTarget } from '../plan/firewall-rules/target';
export type { IpSetKey } from '../plan/firewall-rules/ip-and-geo-rules';
export { webAclRules } from '../plan/firewall-rules/web-acl-rules';
export { webAclCapacity } from '../plan/firewall-rules/capacity';
export { SOURCE_ADDRESS_RULE_GROUPS } from '../service-map/limits';
