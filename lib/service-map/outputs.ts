/**
 * The stack output names a gateway gives, as the README documents them. They are logical ids of their own
 * (not derived from the construct path), so scripts can read `ApiUrl` from any stack that holds a gateway.
 * Pure TypeScript, no CDK import.
 */

/** `mobile-app` -> `MobileApp`: output names are alphanumeric (CloudFormation logical ids). */
function pascal(name: string): string {
  return name
    .split('-')
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Output names of one gateway; `prefix` tells two gateways in one stack apart. */
export function gatewayOutputNames(prefix = '') {
  return {
    apiUrl: `${prefix}ApiUrl`,
    apiId: `${prefix}ApiId`,
    albDnsName: (index: number) => `${prefix}Alb${index}DnsName`,
    /** REST front door: the id of API key `name` (`mobile-app` -> `ApiKeyMobileAppId`). */
    apiKeyId: (name: string) => `${prefix}ApiKey${pascal(name)}Id`,
  };
}

/** API key names whose output names would be the same (`a-1b` and `a1b` both give `ApiKeyA1bId`). */
export function clashingApiKeyOutputs(keyNames: readonly string[]): string[][] {
  const byOutput = new Map<string, string[]>();
  for (const key of keyNames) {
    const output = gatewayOutputNames().apiKeyId(key);
    byOutput.set(output, [...(byOutput.get(output) ?? []), key]);
  }
  return [...byOutput.values()].filter((keys) => keys.length > 1);
}
