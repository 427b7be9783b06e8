export * from './gateway-firewall';
export type { AlbTarget, FirewallTarget, RestStageTarget } from './target';
export type { IpSetKey } from './ip-and-geo-rules';
export { webAclRules } from './web-acl-rules';
export { webAclCapacity } from './capacity';
export { SOURCE_ADDRESS_RULE_GROUPS } from '../service-map/limits';
