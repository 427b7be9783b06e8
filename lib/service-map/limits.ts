/**
 * AWS limits and published figures the library checks at synth. Each constant names its source in
 * the AWS documentation, so a reader can check it when AWS changes a quota.
 */

/** Fargate task CPU units (Amazon ECS developer guide, "Task CPU and memory"). */
export const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Memory (MiB) Fargate offers for each CPU size. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Human-readable memory choices for a CPU size, for error messages. */
export function describeFargateMemory(cpu: number): string {
  const mem = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
  return mem.length <= 4 ? mem.join(', ') : `${mem[0]} to ${mem[mem.length - 1]} in steps of ${mem[1] - mem[0]}`;
}

/** WAF rate-based rule limits (AWS WAF developer guide, "Rate-based rule statement"). */
export const WAF_RATE_LIMIT_MIN = 10;
export const WAF_RATE_LIMIT_MAX = 2_000_000_000;
export const WAF_WINDOWS_SECONDS = [60, 120, 300, 600] as const;

/** Web ACL capacity: included in the base price up to 1,500 WCU, hard maximum 5,000. */
export const WAF_WCU_INCLUDED = 1500;
export const WAF_WCU_MAX = 5000;

/** WCU of a rate-based rule: 2, plus 30 per custom aggregation key (header / forwarded IP). */
export const WAF_RATE_RULE_WCU = 2;
export const WAF_CUSTOM_KEY_WCU = 30;

/**
 * WCU of the match statements the firewall builds (AWS WAF developer guide, "Match rule statements" and
 * "String match rule statement"). Logical statements (AND, OR, NOT) cost what they nest.
 */
export const WAF_MATCH_WCU = {
  /** String match: exactly, starts with, ends with. */
  byteMatch: 2,
  /** String match: contains string, contains word. */
  byteMatchContains: 10,
  /** Added per text transformation other than NONE. */
  textTransformation: 10,
  ipSet: 1,
  /** Added to an IP set match on a forwarded-IP header at position ANY. */
  ipSetAnyPosition: 4,
  geoMatch: 1,
} as const;

/** AWS managed rule groups the map may name, with their published capacity (WCU). */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesCommonRuleSet', wcu: 700 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', wcu: 200 },
  { name: 'AWSManagedRulesAmazonIpReputationList', wcu: 25 },
  { name: 'AWSManagedRulesAnonymousIpList', wcu: 50 },
  { name: 'AWSManagedRulesSQLiRuleSet', wcu: 200 },
  { name: 'AWSManagedRulesLinuxRuleSet', wcu: 200 },
  { name: 'AWSManagedRulesUnixRuleSet', wcu: 100 },
  { name: 'AWSManagedRulesWindowsRuleSet', wcu: 200 },
  { name: 'AWSManagedRulesPHPRuleSet', wcu: 100 },
  { name: 'AWSManagedRulesWordPressRuleSet', wcu: 100 },
  { name: 'AWSManagedRulesAdminProtectionRuleSet', wcu: 100 },
  { name: 'AWSManagedRulesBotControlRuleSet', wcu: 50 },
] as const;

/**
 * Managed rule groups that judge the connection's source address (AWS WAF developer guide, "IP reputation
 * rule groups"); they cannot read a forwarded-IP header, so on an ALB behind the VPC link they never match.
 */
export const SOURCE_ADDRESS_RULE_GROUPS: readonly string[] = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'];

/** CloudWatch Logs retention values (days) that the service accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** ISO 3166-1 alpha-2: the 249 officially assigned country codes, which WAF geo matches take. */
export const COUNTRY_CODES: ReadonlySet<string> = new Set([
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD',
  'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA',
  'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE',
  'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA',
  'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK',
  'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP',
  'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT',
  'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS',
  'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ',
  'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS',
  'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST',
  'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW',
  'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA',
  'ZM', 'ZW',
]);

/** ALB listener rules: characters in one http-header condition value (a service's route key). */
export const MAX_HEADER_CONDITION_VALUE = 128;

/** Quotas on the request path (see the README's quota table). */
export const QUOTAS = {
  /** CloudFormation: resources per template (hard). */
  stackResources: 500,
  /** CloudFormation: template body size, bytes, when uploaded to S3 (hard). */
  templateBytes: 1_000_000,
  /** CloudFormation: outputs and parameters per template (hard). */
  stackOutputs: 200,
  stackParameters: 200,
  /** ALB: rules per load balancer, default rules excluded (adjustable). */
  albRules: 100,
  /** ALB: target groups per load balancer (hard). */
  albTargetGroups: 100,
  /** ALB: targets per load balancer, a target counted once per target group it is in (adjustable, default 1,000). */
  albTargets: 1000,
  /** ALB: targets per target group, instances or IP addresses (adjustable, default 1,000). */
  targetGroupTargets: 1000,
  /** ALB: listener-rule priorities. */
  rulePriorityMax: 50000,
  /** HTTP API: routes per API (adjustable, default 300). */
  httpApiRoutes: 300,
  /** HTTP API: integrations per API (hard). */
  httpApiIntegrations: 300,
  /** REST API: resources per API (adjustable, default 300). */
  restApiResources: 300,
  /** Security group rules per group and direction (adjustable, default 60). */
  securityGroupRules: 60,
  /** VPC links per account and Region (adjustable, default 10). */
  vpcLinks: 10,
  /** ALB target group name length. */
  targetGroupName: 32,
} as const;
