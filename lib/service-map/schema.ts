/**
 * The service map: one zod definition from which the TypeScript types, the defaults, the validation
 * and the published JSON Schema all come (zod 4 infers types and emits JSON Schema from the same object,
 * so the three can never drift apart).
 *
 * Per-field checks live here; checks that span fields (overlapping paths, front-door features, WAF
 * capacity) live in `validate.ts`. No CDK import: this layer is pure TypeScript.
 */
import { z } from 'zod';
import {
  COUNTRY_CODES,
  FARGATE_CPU_UNITS,
  FARGATE_MEMORY_BY_CPU,
  LOG_RETENTION_DAYS,
  MANAGED_RULE_GROUPS,
  WAF_RATE_LIMIT_MAX,
  WAF_RATE_LIMIT_MIN,
  WAF_WINDOWS_SECONDS,
} from './limits';

/** An object that rejects unknown keys (typos) and names the keys that would be valid. */
function strict<T extends z.ZodRawShape>(shape: T, description?: string) {
  const valid = Object.keys(shape).join(', ');
  const schema = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (valid fields: ${valid})`
        : issue.code === 'invalid_type'
          ? `expected an object, got ${describeInput(issue.input)}`
          : undefined,
  });
  return description ? schema.describe(description) : schema;
}

/** How a problem line quotes the value a user wrote: `"yes"`, `42`, `true`, `an array`, `nothing` (left out). */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return `"${input}"`;
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return `${typeof input} ${String(input)}`;
}

function int(min: number, max: number, what = 'a whole number') {
  return z
    .number({ error: (i) => `expected ${what} from ${min} to ${max}, got ${describeInput(i.input)}` })
    .int({ error: (i) => `expected ${what} from ${min} to ${max}, got ${describeInput(i.input)}` })
    .min(min, { error: (i) => `${describeInput(i.input)} is below the minimum ${min} (valid: ${min} to ${max})` })
    .max(max, { error: (i) => `${describeInput(i.input)} is above the maximum ${max} (valid: ${min} to ${max})` });
}

/** A number that may have a fraction (requests per second, percentages). */
function num(min: number, max: number, what: string) {
  return z
    .number({ error: (i) => `expected ${what} from ${min} to ${max}, got ${describeInput(i.input)}` })
    .min(min, { error: (i) => `${describeInput(i.input)} is below the minimum ${min} (valid: ${min} to ${max})` })
    .max(max, { error: (i) => `${describeInput(i.input)} is above the maximum ${max} (valid: ${min} to ${max})` });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (i) => `${describeInput(i.input)} is not ${what} (valid: ${values.join(', ')})`,
  });
}

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const name = (max: number, what: string) =>
  z
    .string({ error: (i) => `expected a ${what} string, got ${describeInput(i.input)}` })
    .max(max, { error: (i) => `"${String(i.input)}" is longer than ${max} characters` })
    .regex(NAME, {
      error: (i) =>
        `"${String(i.input)}" is not a valid ${what} (lowercase letters, digits and hyphens, starting with a letter, ending with a letter or digit)`,
    });

const httpsUrl = (what: string) =>
  z.string({ error: (i) => `expected an https:// ${what}, got ${describeInput(i.input)}` }).refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'https:' && !u.username && !u.password && !u.hash;
      } catch {
        return false;
      }
    },
    { error: (i) => `${describeInput(i.input)} is not a valid ${what} (an https:// URL without credentials or fragment)` },
  );

const PATH = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (i) => `${describeInput(i.input)} is not an environment variable name (letters, digits and _, not starting with a digit)`,
  });

// Whole ARNs only: the backend derives the secret or parameter from them, and a partial one fails at synth.
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

export const throttleSchema = strict(
  {
    rateLimit: num(0, 1_000_000, 'a rate in requests per second').describe('Steady-state requests per second.'),
    burstLimit: int(0, 1_000_000).describe('Maximum burst of concurrent requests.'),
  },
  'API Gateway throttling (token bucket).',
);

export const rateLimitKeySchema = oneOf(['ip', 'user', 'header'] as const, 'a rate-limit key').describe(
  'What WAF counts requests by: "ip" (the client address the gateway saw, from a header the gateway overwrites), ' +
    '"user" (the verified JWT subject the gateway sets), or "header" (the header named in headerName). ' +
    'Requests without the key are not counted.',
);

export const rateLimitSchema = strict(
  {
    name: name(64, 'rate-limit name').optional().describe('Rule name; defaults to "<key>-<limit>-per-<window>s".'),
    limit: int(WAF_RATE_LIMIT_MIN, WAF_RATE_LIMIT_MAX, 'a WAF rate limit').describe(
      `Requests allowed per key per window (WAF allows ${WAF_RATE_LIMIT_MIN} to ${WAF_RATE_LIMIT_MAX}).`,
    ),
    windowSeconds: z
      .union(WAF_WINDOWS_SECONDS.map((w) => z.literal(w)) as unknown as [z.ZodLiteral<60>, z.ZodLiteral<120>, z.ZodLiteral<300>, z.ZodLiteral<600>], {
        error: (i) => `${describeInput(i.input)} is not a WAF evaluation window (valid: ${WAF_WINDOWS_SECONDS.join(', ')} seconds)`,
      })
      .default(300)
      .describe('Evaluation window in seconds.'),
    key: rateLimitKeySchema.default('ip'),
    headerName: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'expected an HTTP header name (letters, digits, hyphens)' })
      .optional()
      .describe('Header to count by when key is "header", e.g. "x-api-key".'),
  },
  'A WAF rate-based rule.',
);

const alarmThresholds = {
  p99LatencyMs: int(1, 600_000, 'a latency in ms').optional().describe('Alarm when p99 latency exceeds this; alarms.apiP99LatencyMs when left out.'),
  error5xxPercent: num(0, 100, 'a percentage').optional().describe('Alarm when the 5xx rate exceeds this percentage; alarms.api5xxPercent when left out.'),
  cpuPercent: int(1, 100, 'a percentage').default(85).describe('Container services: alarm when average CPU stays above this.'),
  memoryPercent: int(1, 100, 'a percentage').default(85).describe('Container services: alarm when average memory stays above this.'),
};

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

export const containerSchema = strict(
  {
    image: z
      .union(
        [
          z.string().min(1).describe('An image reference, e.g. "public.ecr.aws/nginx/nginx:1.27".'),
          strict({ directory: z.string().min(1).describe('A folder with a Dockerfile, built at deploy time.') }),
        ],
        { error: (i) => `expected an image reference such as "public.ecr.aws/nginx/nginx:1.27" or { "directory": "<folder with a Dockerfile>" }, got ${describeInput(i.input)}` },
      )
      .describe('Container image: a registry reference or { directory } to build.'),
    port: int(1, 65535, 'a TCP port').default(8080).describe('Port the container listens on.'),
    cpu: z
      .number({ error: (i) => `expected a Fargate CPU size (${FARGATE_CPU_UNITS.join(', ')}), got ${describeInput(i.input)}` })
      .refine((n) => (FARGATE_CPU_UNITS as readonly number[]).includes(n), {
        error: (i) => `${describeInput(i.input)} is not a Fargate CPU size (${FARGATE_CPU_UNITS.join(', ')})`,
      })
      .default(256)
      .describe('Task CPU units (256 = 0.25 vCPU).'),
    memoryMiB: int(512, 122880, 'a memory size in MiB').default(512).describe('Task memory in MiB; must pair with cpu.'),
    environment: z.record(envName, z.string({ error: (i) => `expected a string value (quote numbers and booleans), got ${describeInput(i.input)}` })).default({}).describe('Plain environment variables (not secrets).'),
    secrets: z
      .record(
        envName,
        z.string().regex(SECRET_ARN, {
          error: (i) =>
            `${describeInput(i.input)} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)`,
        }),
      )
      .default({})
      .describe('Environment variables read from Secrets Manager or SSM Parameter Store at task start (ARN values).'),
    healthCheckPath: z
      .string()
      .regex(/^\/[A-Za-z0-9._~\/-]*$/, { error: (i) => `${describeInput(i.input)} is not a health-check path (starts with "/", then letters, digits and . _ ~ / -)` })
      // The ALB's limit for a health-check path.
      .max(1024, { error: (i) => `the path is ${String(i.input).length} characters; at most 1024 (the ALB limit for a health-check path)` })
      .default('/')
      .describe('Path the load balancer checks; must answer 200-399.'),
    command: z.array(z.string()).optional().describe('Overrides the image command.'),
  },
  'Run the service on ECS Fargate behind the internal ALB.',
);

export const scalingSchema = strict(
  {
    minTasks: int(1, 1000, 'a task count').default(2).describe('Tasks always running (2 or more for high availability).'),
    maxTasks: int(1, 1000, 'a task count').default(4).describe('Upper bound for autoscaling.'),
    cpuTargetPercent: int(10, 95, 'a percentage').default(60).describe('Target average CPU utilisation.'),
    requestsPerTarget: int(1, 1_000_000, 'a request count')
      .optional()
      .describe('Target ALB requests per task per minute; off when left out.'),
  },
  'Autoscaling of a Fargate service.',
);

export const loadBalancingSchema = strict(
  {
    algorithm: oneOf(['round_robin', 'least_outstanding_requests', 'weighted_random'] as const, 'an ALB algorithm')
      .default('round_robin')
      .describe('How the ALB picks a task.'),
    slowStartSeconds: z
      .number({ error: (i) => `expected a slow-start duration in seconds (0, or 30 to 900), got ${describeInput(i.input)}` })
      .int({ error: (i) => `expected a slow-start duration in whole seconds (0, or 30 to 900), got ${describeInput(i.input)}` })
      .refine((n) => n === 0 || (n >= 30 && n <= 900), { error: (i) => `${describeInput(i.input)} is not a slow-start duration (0, or 30 to 900)` })
      .default(0)
      .describe('Seconds a new task ramps up (0 = off, or 30 to 900).'),
    deregistrationDelaySeconds: int(0, 3600, 'a delay in seconds').default(30).describe('Seconds in-flight requests may finish on a stopping task.'),
    stickinessSeconds: z
      .number({ error: (i) => `expected a stickiness duration in seconds (0 = off, or 1 to 604800), got ${describeInput(i.input)}` })
      .int({ error: (i) => `expected a stickiness duration in whole seconds (0 = off, or 1 to 604800), got ${describeInput(i.input)}` })
      .refine((n) => n === 0 || (n >= 1 && n <= 604800), { error: (i) => `${describeInput(i.input)} is not a stickiness duration (0 = off, or 1 to 604800)` })
      .default(0)
      .describe('Cookie stickiness in seconds (0 = off).'),
  },
  'ALB target group options.',
);

export const serviceSchema = strict({
  path: z
    .string({ error: 'expected a path string such as "/orders"' })
    .regex(PATH, {
      error: (i) =>
        `${describeInput(i.input)} is not a valid service path (starts with "/", segments of letters, digits and . _ ~ -, no trailing slash, no braces)`,
    })
    .describe('Path prefix: routes ANY <path> and ANY <path>/{proxy+}.'),
  stripPrefix: z.boolean().default(false).describe('Send the backend the path without the service prefix.'),
  container: containerSchema.optional(),
  url: httpsUrl('backend URL').optional().describe('External HTTP backend (HTTP proxy integration).'),
  timeoutMs: int(50, 30000, 'a timeout in ms')
    .default(29000)
    .describe('Integration timeout (HTTP API: up to 30000; REST API: up to 29000 unless the quota is raised).'),
  scaling: scalingSchema.prefault({}),
  auth: oneOf(['jwt', 'none', 'apiKey'] as const, 'an auth mode').optional().describe('Defaults to auth.default.'),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { error: 'expected an OAuth scope (no spaces or quotes)' })).default([]).describe('Scopes the JWT must carry (all of them).'),
  throttle: throttleSchema.optional().describe('Per-route throttle; defaults to the gateway throttle.'),
  rateLimits: z.array(rateLimitSchema).default([]).describe('WAF rate rules scoped to this service.'),
  loadBalancing: loadBalancingSchema.prefault({}),
  cache: strict({
    ttlSeconds: int(0, 3600, 'a TTL in seconds').describe('Seconds a GET response is cached (0 = off).'),
    queryStrings: z
      .array(z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, { error: (i) => `${describeInput(i.input)} is not a query-string parameter name` }))
      .max(10, { error: 'at most 10 query strings in a cache key' })
      .default([])
      .describe('Query-string parameters whose values make GET responses differ: part of the cache key. Others are ignored by the cache.'),
  })
    .optional()
    .describe('Response cache for GET requests, keyed by path, caller (token or API key) and queryStrings (REST front door only).'),
  alarms: strict(alarmThresholds).prefault({}).describe('Alarm thresholds of this service; gateway defaults when left out.'),
  priority: int(1, 50000, 'an ALB listener-rule priority')
    .optional()
    .describe('Pins the ALB listener-rule priority; derived from the service name when left out.'),
});

// ---------------------------------------------------------------------------------------------
// Gateway-wide blocks
// ---------------------------------------------------------------------------------------------

export const networkSchema = strict(
  {
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'expected a VPC id such as "vpc-0123456789abcdef0"' }).optional().describe('Import this VPC (looked up at synth) instead of creating one.'),
    maxAzs: int(2, 6, 'an AZ count').optional().describe('AZs of a new VPC (default 2).'),
    // At least one: tasks pull images and reach AWS APIs, and the authorizer fetches the JWKS, from private subnets.
    natGateways: int(1, 6, 'a NAT gateway count').optional().describe('NAT gateways of a new VPC (default 1; at least 1, since tasks and the authorizer need a route out).'),
    loadBalancers: int(1, 20, 'an ALB count')
      .optional()
      .describe('Internal ALBs to spread container services over; derived from the service count when left out.'),
  },
  'The VPC: a new one (maxAzs, natGateways) or an imported one (vpcId).',
);

export const jwtSchema = strict({
  issuer: httpsUrl('issuer URL').describe('Expected "iss" claim.'),
  // The authorizer receives the audiences comma-separated (JWT_AUDIENCE): a comma or space inside one would split it.
  audience: z
    .array(z.string().regex(/^[^\s,]+$/, { error: (i) => `${describeInput(i.input)} is not an audience (no spaces or commas)` }))
    .min(1, { error: 'expected at least one audience' })
    .describe('Accepted "aud" values (no spaces or commas).'),
  jwksUri: httpsUrl('JWKS URL').optional().describe('Defaults to <issuer>/.well-known/jwks.json.'),
  algorithms: z
    .array(oneOf(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const, 'an asymmetric JWS algorithm'))
    .min(1)
    .default(['RS256', 'ES256'])
    .describe('Signature algorithms accepted (asymmetric only; HS* and none are never accepted).'),
});

export const authSchema = strict({
  jwt: jwtSchema.optional().describe('The token issuer; needed by services with auth "jwt".'),
  default: oneOf(['jwt', 'none', 'apiKey'] as const, 'an auth mode').optional().describe('Per-service default; "jwt" when jwt is set, else "none".'),
  cacheTtlSeconds: int(0, 3600, 'a TTL in seconds').default(300).describe('Authorizer result cache (0 = off).'),
  authorizer: oneOf(['lambda', 'native'] as const, 'an authorizer kind')
    .default('lambda')
    .describe('"lambda": the bundled jose authorizer; "native": API Gateway\'s built-in JWT authorizer (HTTP front door, no Lambda cost).'),
});

// Managed rule groups as objects (the plain name is still accepted): AWS's ManagedRuleGroupStatement.
const WAF_RULE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const wafRuleName = z.string().regex(WAF_RULE_NAME, { error: (i) => `${describeInput(i.input)} is not a WAF rule name (letters, digits, _ and -, at most 128 characters)` });
const managedRuleGroupName = oneOf(MANAGED_RULE_GROUPS.map((g) => g.name) as unknown as [string, ...string[]], 'a known AWS managed rule group');
/** Actions a rule inside a managed group can be given (WAF RuleActionOverride ActionToUse). */
export const MANAGED_RULE_ACTIONS = ['count', 'block', 'allow', 'challenge', 'captcha'] as const;

export const managedRuleGroupSchema = strict(
  {
    name: managedRuleGroupName.describe('The group\'s name, e.g. "AWSManagedRulesCommonRuleSet".'),
    vendor: oneOf(['AWS'] as const, 'a managed rule group vendor').default('AWS').describe('The group\'s vendor (AWS WAF VendorName); only AWS groups have published capacities.'),
    version: z
      .string()
      .regex(/^Version_[0-9]+(\.[0-9]+)*$/, { error: (i) => `${describeInput(i.input)} is not a managed rule group version (e.g. "Version_1.14")` })
      .optional()
      .describe('Pins a static version such as "Version_1.14"; the group\'s default version (which AWS updates) when left out.'),
    ruleActionOverrides: z
      .record(wafRuleName, oneOf(MANAGED_RULE_ACTIONS, 'a WAF rule action'))
      .default({})
      .describe('Action per rule of the group, by rule name: "count", "block", "allow", "challenge" or "captcha" (WAF RuleActionOverrides). Blocks answer with the gateway\'s JSON 403.'),
    excludedRules: z
      .array(wafRuleName)
      .default([])
      .describe('Rules that only count, never act (rendered as "count" overrides, the current form of WAF\'s ExcludedRules).'),
    scopeDown: strict(
      {
        services: z.array(z.string()).min(1).optional().describe('Only requests to these services (by name).'),
        pathPrefixes: z
          .array(z.string().regex(PATH, { error: (i) => `${describeInput(i.input)} is not a path prefix such as "/orders/admin"` }))
          .min(1)
          .optional()
          .describe('Only requests whose path is one of these, or below one (the path clients call; each inside or above a service path).'),
      },
      'Limits the group to some requests (WAF ScopeDownStatement): those to the services listed or under the path prefixes listed.',
    ).optional(),
  },
  'An AWS managed rule group with its options.',
);

export const firewallSchema = strict({
  enabled: z.boolean().default(true).describe('Create the WAF web ACL.'),
  rateLimits: z
    .array(rateLimitSchema)
    .default([{ name: 'per-ip', limit: 2000, windowSeconds: 300, key: 'ip' }])
    .describe('Gateway-wide WAF rate rules.'),
  managedRuleGroups: z
    .array(
      z.union([managedRuleGroupName, managedRuleGroupSchema], {
        error: (i) =>
          typeof i.input === 'string' || (typeof i.input === 'object' && i.input !== null && !Array.isArray(i.input))
            ? `${typeof i.input === 'string' ? '' : 'name: '}${describeInput(typeof i.input === 'string' ? i.input : (i.input as { name?: unknown }).name)} is not a known AWS managed rule group (valid: ${MANAGED_RULE_GROUPS.map((g) => g.name).join(', ')})`
            : `expected a managed rule group name or { name, version, ruleActionOverrides, excludedRules, scopeDown }, got ${describeInput(i.input)}`,
      }),
    )
    .default(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'])
    .describe(
      'AWS managed rule groups, in evaluation order: a name, or an object with a pinned version, per-rule action overrides, excluded rules and a scope-down. ' +
        'AWSManagedRulesCommonRuleSet counts (does not block) its SizeRestrictions_BODY, SizeRestrictions_QUERYSTRING and SizeRestrictions_URIPATH rules unless ruleActionOverrides sets them (see docs/firewall.md).',
    ),
  bodyInspectionLimitKb: z
    .union([8, 16, 32, 48, 64].map((v) => z.literal(v)) as unknown as [z.ZodLiteral<8>, z.ZodLiteral<16>, z.ZodLiteral<32>, z.ZodLiteral<48>, z.ZodLiteral<64>], {
      error: (i) => `${describeInput(i.input)} is not a WAF body inspection limit (valid: 16, 32, 48 or 64 KB on the REST front door; 8 on the HTTP front door)`,
    })
    .optional()
    .describe(
      'How much of a request body WAF inspects, in KB. REST front door (web ACL on the API Gateway stage): 16 (AWS default, no extra charge), 32, 48 or 64 (charged extra). ' +
        'HTTP front door (web ACL on the ALB): always 8, which the ALB fixes. Left out: 16 on REST, 8 on HTTP. Body rules inspect only this much; see docs/firewall.md.',
    ),
  blockedCountries: z
    .array(z.string().refine((code) => COUNTRY_CODES.has(code), { error: (i) => `${describeInput(i.input)} is not an ISO 3166 alpha-2 country code (uppercase, e.g. "DE", "GB")` }))
    .default([])
    .describe('Countries to block (ISO 3166 alpha-2, uppercase).'),
  blockedIpCidrs: z.array(z.string()).default([]).describe('IPv4 / IPv6 CIDRs to block.'),
  allowedIpCidrs: z.array(z.string()).default([]).describe('When set, only these addresses may call the gateway.'),
});

export const usagePlanSchema = strict({
  rateLimit: num(0, 1_000_000, 'a rate in requests per second').describe('Requests per second per API key.'),
  burstLimit: int(0, 1_000_000).describe('Burst per API key.'),
  quota: strict({
    limit: int(1, 2_000_000_000, 'a request count'),
    period: oneOf(['DAY', 'WEEK', 'MONTH'] as const, 'a quota period'),
  }).optional().describe('Requests per key per period; unlimited when left out.'),
});

export const alarmsSchema = strict({
  email: z.array(z.email({ error: 'expected an email address' })).default([]).describe('Addresses subscribed to the alarm topic (each confirms by email).'),
  topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:/, { error: 'expected an SNS topic ARN' }).optional().describe('Use this SNS topic instead of creating one.'),
  apiP99LatencyMs: int(1, 600_000, 'a latency in ms').default(1000).describe('Alarm when the gateway\'s p99 latency exceeds this.'),
  api5xxPercent: num(0, 100, 'a percentage').default(1).describe('Alarm when the gateway\'s 5xx rate exceeds this percentage.'),
  api4xxPercent: num(0, 100, 'a percentage').optional().describe('Alarm on a 4xx surge; off when left out.'),
  apiIntegrationP99LatencyMs: int(1, 600_000, 'a latency in ms').optional().describe('Alarm when the p99 integration (backend) latency exceeds this; apiP99LatencyMs when left out.'),
  authorizerP99DurationMs: int(1, 30_000, 'a duration in ms').default(1000).describe('Alarm when the JWT authorizer\'s p99 duration exceeds this.'),
  wafBlockedRequests: int(1, 1_000_000_000, 'a request count').default(1000).describe('Alarm when WAF blocks more than this many requests in 5 minutes.'),
});

export const domainSchema = strict({
  name: z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: 'expected a lowercase domain name such as "api.example.com"' }).describe('The domain clients call, e.g. api.example.com.'),
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, { error: 'expected an ACM certificate ARN' }).describe('ACM certificate for the domain, in the stack\'s Region.'),
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]+$/, { error: 'expected a Route 53 hosted zone id such as "Z123..."' }).optional().describe('Hosted zone for A/AAAA alias records; with zoneName.'),
  zoneName: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\.?$/, { error: (i) => `${describeInput(i.input)} is not a lowercase hosted zone name such as "example.com"` })
    .optional()
    .describe('Name of that hosted zone, e.g. example.com.'),
});

export const corsSchema = strict({
  allowOrigins: z.array(z.string()).min(1).describe('Origins allowed to call from a browser.'),
  allowMethods: z.array(oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'] as const, 'an HTTP method')).default(['*']).describe('Methods allowed cross-origin.'),
  allowHeaders: z.array(z.string()).default(['authorization', 'content-type']).describe('Request headers allowed cross-origin.'),
  exposeHeaders: z.array(z.string()).default([]).describe('Response headers browsers may read.'),
  allowCredentials: z.boolean().default(false).describe('Allow cookies / credentials (needs explicit origins).'),
  maxAgeSeconds: int(0, 86400, 'a duration in seconds').default(600).describe('How long browsers cache a preflight answer.'),
});

export const serviceMapSchema = strict({
  $schema: z.string().optional().describe('Path or URL of this JSON Schema (for editors).'),
  name: name(20, 'gateway name').describe('Gateway name, prefix of physical names.'),
  frontDoor: oneOf(['http', 'rest'] as const, 'a front door').default('http').describe('"http": HTTP API (cheaper, faster, JWT); "rest": REST API (usage plans, API keys, caching).'),
  domain: domainSchema.optional().describe('Custom domain with an ACM certificate (same Region) and, optionally, a Route 53 alias.'),
  cors: corsSchema.optional().describe('CORS preflight handled by API Gateway; off when left out.'),
  network: networkSchema.prefault({}),
  auth: authSchema.prefault({}).describe('Who may call: JWT settings and the per-service default.'),
  throttle: throttleSchema.prefault({ rateLimit: 1000, burstLimit: 2000 }),
  firewall: firewallSchema.prefault({}).describe('WAF web ACL: rate limits, managed rules, geo and IP lists.'),
  rest: strict({
    stageName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a stage name of letters, digits, - and _' })
      .default('prod')
      .describe('Stage name (part of the execute-api URL; never of the path backends see).'),
    cacheClusterSizeGb: z
      .union(['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'].map((v) => z.literal(v)) as unknown as [z.ZodLiteral<'0.5'>, z.ZodLiteral<'1.6'>], {
        error: (i) => `${describeInput(i.input)} is not an API Gateway cache size (valid: "0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")`,
      })
      .default('0.5')
      .describe('Cache cluster size in GB; the cluster exists only when a service sets cache.'),
    xrayTracing: z.boolean().default(false).describe('AWS X-Ray tracing on the stage.'),
    accountCloudWatchRole: z
      .boolean()
      .default(true)
      .describe(
        'Set the account-wide API Gateway CloudWatch role that REST access logs need (one per account and Region; turn off when the account already has one).',
      ),
  })
    .prefault({})
    .describe('REST front door settings (frontDoor "rest" only).'),
  usagePlans: z.record(name(64, 'usage plan name'), usagePlanSchema).default({}).describe('REST front door only.'),
  apiKeys: z.record(name(64, 'API key name'), strict({ plan: z.string().describe('The usage plan this key belongs to.') })).default({}).describe('REST front door only.'),
  alarms: alarmsSchema.prefault({}).describe('Where alarms go and gateway-wide thresholds.'),
  logs: strict({
    retentionDays: z
      .number({ error: (i) => `expected a CloudWatch Logs retention in days (${LOG_RETENTION_DAYS.join(', ')}), got ${describeInput(i.input)}` })
      .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
        error: (i) => `${describeInput(i.input)} is not a CloudWatch Logs retention (valid: ${LOG_RETENTION_DAYS.join(', ')} days)`,
      })
      .default(30)
      .describe('Retention of every log group the gateway creates (access, container, authorizer, WAF).'),
  }).prefault({}).describe('Log groups the gateway creates.'),
  services: z
    .record(name(32, 'service name'), serviceSchema.describe('One service: its path, exactly one backend (container or url), auth and limits.'))
    .refine((s) => Object.keys(s).length > 0, { error: 'expected at least one service' })
    .describe('The services, by name (lowercase letters, digits, hyphens; at most 32 characters).'),
});

/** What a user writes (optional fields may be left out). */
export type ServiceMap = z.input<typeof serviceMapSchema>;
/** A service as a user writes it. */
export type ServiceDefinition = z.input<typeof serviceSchema>;
/** The map with every default filled in: what the constructs consume. */
export type ResolvedServiceMap = z.output<typeof serviceMapSchema>;
export type ResolvedService = z.output<typeof serviceSchema>;
export type ResolvedRateLimit = z.output<typeof rateLimitSchema>;
/** A managed rule group as the resolved map holds it: a name, or the object form. */
export type ResolvedManagedRuleGroup = z.output<typeof firewallSchema>['managedRuleGroups'][number];

export { FARGATE_MEMORY_BY_CPU };
