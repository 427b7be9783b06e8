/**
 * Address and country rules: the IP allow list, the IP block list and the country block list, all
 * judged on the client's address (on the ALB: the gateway's client-address header, never the VPC link's
 * address). A client-address header without a valid address fails closed: the request is blocked.
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { ResolvedServiceMap } from '../../service-map/schema';
import { FORBIDDEN } from './block-responses';
import { forwardedClientIp, forwardedClientIpForIpSet, type RuleTarget } from './target';
import type { RuleSpec } from './web-acl-rules';

type Firewall = ResolvedServiceMap['firewall'];

/** An IP set holds one address family, so each list becomes up to two sets. */
export type IpSetKey = 'allowed-ipv4' | 'allowed-ipv6' | 'blocked-ipv4' | 'blocked-ipv6';

export interface IpSetSpec {
  readonly key: IpSetKey;
  readonly ipAddressVersion: 'IPV4' | 'IPV6';
  readonly addresses: readonly string[];
}

/** Resolves an IP set to its ARN (a token in the construct, a placeholder when only counting capacity). */
export type IpSetArn = (key: IpSetKey) => string;

/** The IP sets the lists need, IPv4 and IPv6 apart; none for an empty list or family. */
export function ipSetSpecs(fw: Firewall): IpSetSpec[] {
  const specs: IpSetSpec[] = [];
  for (const [list, cidrs] of [['allowed', fw.allowedIpCidrs], ['blocked', fw.blockedIpCidrs]] as const) {
    const v6 = cidrs.filter((c) => c.includes(':'));
    const v4 = cidrs.filter((c) => !c.includes(':'));
    if (v4.length) specs.push({ key: `${list}-ipv4`, ipAddressVersion: 'IPV4', addresses: v4 });
    if (v6.length) specs.push({ key: `${list}-ipv6`, ipAddressVersion: 'IPV6', addresses: v6 });
  }
  return specs;
}

/** With an allow list, every request from another address is blocked. */
export function ipAllowListRule(specs: readonly IpSetSpec[], target: RuleTarget, arnOf: IpSetArn): RuleSpec | undefined {
  // NO_MATCH under NOT: an invalid address counts as not allowed.
  const allowed = ipSetMatch(specs, 'allowed', target, arnOf, 'NO_MATCH');
  return allowed && { name: 'IpAllowList', action: FORBIDDEN, statement: { notStatement: { statement: allowed } } };
}

export function ipBlockListRule(specs: readonly IpSetSpec[], target: RuleTarget, arnOf: IpSetArn): RuleSpec | undefined {
  const blocked = ipSetMatch(specs, 'blocked', target, arnOf, 'MATCH');
  return blocked && { name: 'IpBlockList', action: FORBIDDEN, statement: blocked };
}

export function countryBlockListRule(countryCodes: readonly string[], target: RuleTarget): RuleSpec | undefined {
  if (countryCodes.length === 0) return undefined;
  const forwardedIpConfig = forwardedClientIp(target, 'MATCH');
  return {
    name: 'CountryBlockList',
    action: FORBIDDEN,
    statement: { geoMatchStatement: { countryCodes: [...countryCodes], ...(forwardedIpConfig ? { forwardedIpConfig } : {}) } },
  };
}

function ipSetMatch(
  specs: readonly IpSetSpec[],
  list: 'allowed' | 'blocked',
  target: RuleTarget,
  arnOf: IpSetArn,
  fallback: 'MATCH' | 'NO_MATCH',
): CfnWebACL.StatementProperty | undefined {
  const forwarded = forwardedClientIpForIpSet(target, fallback);
  const statements: CfnWebACL.StatementProperty[] = specs
    .filter((s) => s.key.startsWith(`${list}-`))
    .map((s) => ({ ipSetReferenceStatement: { arn: arnOf(s.key), ...(forwarded ? { ipSetForwardedIpConfig: forwarded } : {}) } }));
  if (statements.length === 0) return undefined;
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}
