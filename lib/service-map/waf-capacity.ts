/**
 * Web ACL capacity (WCU) of the map: the capacity of exactly the rules the firewall construct builds
 * (`lib/firewall/web-acl-rules.ts`, counted by `lib/firewall/capacity.ts`), so validation can fail above
 * the maximum before any construct exists. Both modules are pure; the CDK is only a type there.
 */
import { webAclCapacity } from '../firewall/capacity';
import { webAclRules } from '../firewall/web-acl-rules';
import type { ResolvedServiceMap } from './schema';

export function estimateWebAclCapacity(map: ResolvedServiceMap): number {
  // Where the web ACL sits changes the rules' shapes, not their capacity; the path prefix is irrelevant here.
  return webAclCapacity(webAclRules(map, map.frontDoor === 'rest' ? { kind: 'restStage' } : { kind: 'alb' }));
}
