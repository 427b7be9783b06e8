/**
 * The target group properties that force its replacement (CloudFormation resource specification:
 * Port, Protocol, ProtocolVersion, TargetType, IpAddressType, VpcId; Name aside), as the gateway renders
 * them. The target group's name hashes these values, so any change to them also changes the name and
 * CloudFormation can create the new target group before deleting the old one. A test checks these keys
 * against the spec, and the values against the synthesized templates.
 */
import type { ResolvedServiceMap } from '../service-map/schema';

export interface TargetGroupReplacementValues {
  readonly Port: number;
  readonly Protocol: string;
  readonly ProtocolVersion: string;
  readonly TargetType: string;
  readonly IpAddressType: string;
  /**
   * What the VPC id will be: the imported `network.vpcId`, or the gateway's own VPC (whose id is known
   * only at deploy time and changes only when that VPC is replaced, which nothing in the map does).
   */
  readonly VpcId: string;
}

/** The fixed values; ProtocolVersion and IpAddressType are CloudFormation's defaults, left out of the template. */
export const TARGET_GROUP_SETTINGS = { Protocol: 'HTTP', ProtocolVersion: 'HTTP1', TargetType: 'ip', IpAddressType: 'ipv4' } as const;

/** The gateway's own VPC, as `VpcId` in the name's hash. */
export const NEW_VPC = 'new VPC';

export function targetGroupReplacementValues(map: ResolvedServiceMap, port: number): TargetGroupReplacementValues {
  return { Port: port, ...TARGET_GROUP_SETTINGS, VpcId: map.network.vpcId ?? NEW_VPC };
}
