/**
 * The service map: one zod definition from which the TypeScript types, the defaults, the validation
 * and the published JSON Schema all come (zod 4 infers types and emits JSON Schema from the same object,
 * so the three can never drift apart).
 *
 * Per-field checks live here; checks that span fields (overlapping paths, front-door features, WAF
 * capacity) live in `validate.ts`. No CDK import: this layer is pure TypeScript.
 */
import { isDeepStrictEqual } from 'node:util';
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
import { WARNING_IDS } from './warnings';

/** An object that rejects unknown keys (typos) and names the keys that would be valid. */
function strict<T extends z.ZodRawShape>(shape: T, description?: string) {
  const fields = Object.keys(shape);
  const valid = fields.join(', ');
  const schema = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quote(k) + didYouMean(k, fields)).join(', ')} (valid fields: ${valid})`
        : issue.code === 'invalid_type'
          ? `expected an object, got ${describeInput(issue.input)}`
          : undefined,
  });
  return description ? schema.describe(description) : schema;
}

/** ` (did you mean "image"?)` when a field a few edits away exists, for an unknown key. */
export function didYouMean(key: string, fields: readonly string[]): string {
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  let best: { field: string; distance: number } | undefined;
  for (const field of fields) {
    const distance = editDistance(key.toLowerCase(), field.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { field, distance };
  }
  return best ? ` (did you mean "${best.field}"?)` : '';
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment); keys are short. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The longest part of a user's string that a problem line repeats. */
export const MAX_QUOTED_CHARS = 80;

/**
 * A user's string as a problem line shows it: in double quotes, with quotes, backslashes, control
 * characters (newlines, terminal escapes) and invisible ones (byte-order mark, bidi controls) escaped,
 * cut after MAX_QUOTED_CHARS characters with a marker saying how long it was. One problem stays one line.
 */
export function quote(value: string): string {
  const cut = value.length > MAX_QUOTED_CHARS ? value.slice(0, MAX_QUOTED_CHARS) : value;
  const escaped = JSON.stringify(cut).replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return cut === value ? escaped : `${escaped.slice(0, -1)}…" (${value.length} characters)`;
}

/** How a problem line quotes the value a user wrote: `"yes"`, `42`, `true`, `an array`, `nothing` (left out). */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return quote(input);
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

/**
 * JSON Schema bounds of a whole number that is 0 (off) or within `min`..`max`; zod's own would be the
 * safe-integer range, since the gap is checked by a refinement. ALB target group attributes: slow start
 * 30-900 s, stickiness 1-604800 s (Elastic Load Balancing user guide, "Target group attributes").
 */
function offOrRange(min: number, max: number) {
  return { minimum: 0, maximum: max, anyOf: [{ const: 0 }, { minimum: min, maximum: max }] };
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
    .max(max, { error: (i) => `${describeInput(i.input)} is longer than ${max} characters` })
    .regex(NAME, {
      error: (i) =>
        `${describeInput(i.input)} is not a valid ${what} (lowercase letters, digits and hyphens, starting with a letter, ending with a letter or digit)`,
    });

/**
 * An https:// URL without credentials or fragment, written as it is sent: no spaces, quotes or braces (the URL
 * parser would drop or encode them, but templates take the text as written). `query: false` is a base URL that
 * paths are appended to, also written into API Gateway parameter mappings: no query and no "$" either.
 */
const httpsUrl = (what: string, { query = true } = {}) => {
  const shape = `an https:// URL without credentials, ${query ? '' : 'query, '}fragment${query ? '' : ', "$"'}, spaces, quotes or braces`;
  return z.string({ error: (i) => `expected an https:// ${what}, got ${describeInput(i.input)}` }).refine(
    (s) => {
      if (/[\s\x00-\x1f\x7f"'\\<>^`{|}]/.test(s) || (!query && /[?$]/.test(s))) return false;
      try {
        const u = new URL(s);
        return u.protocol === 'https:' && !u.username && !u.password && !s.includes('#');
      } catch {
        return false;
      }
    },
    { error: (i) => `${describeInput(i.input)} is not a valid ${what} (${shape})` },
  );
};

const PATH = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (i) => `${describeInput(i.input)} is not an environment variable name (letters, digits and _, not starting with a digit)`,
  });

// Whole ARNs only: the backend derives the secret or parameter from them, and a partial one fails at synth.
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;

/** API Gateway cache cluster sizes in GB (CloudFormation AWS::ApiGateway::Stage CacheClusterSize). */
const CACHE_CLUSTER_SIZES_GB = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;
type CacheClusterSizeGb = (typeof CACHE_CLUSTER_SIZES_GB)[number];

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

/** ALB matcher syntax: codes and ranges, comma-separated ("200", "200,204", "200-299"), each from 200 to 499. */
const SUCCESS_CODES = /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/;

/**
 * The ALB target group's health check and the ECS service's grace period (ranges: Elastic Load Balancing,
 * "Health checks for Application Load Balancer target groups"; Amazon ECS, "healthCheckGracePeriodSeconds").
 * Checked together in validate.ts: timeout below interval, and time to become healthy within the grace period.
 */
export const healthCheckSchema = strict(
  {
    intervalSeconds: int(5, 300, 'an interval in seconds').default(15).describe('Seconds between health checks of one task.'),
    timeoutSeconds: int(2, 120, 'a timeout in seconds').default(5).describe('Seconds without a response that fail a check; below intervalSeconds.'),
    healthyThresholdCount: int(2, 10, 'a check count').default(2).describe('Consecutive passed checks that make a new task healthy.'),
    unhealthyThresholdCount: int(2, 10, 'a check count').default(3).describe('Consecutive failed checks that make a task unhealthy (ECS then replaces it).'),
    successCodes: z
      .string()
      .refine((v) => SUCCESS_CODES.test(v) && v.split(',').every((r) => { const [lo, hi = lo] = r.split('-').map(Number); return lo <= hi && hi <= 499; }), {
        error: (i) => `${describeInput(i.input)} is not an ALB success-code matcher (HTTP codes from 200 to 499, comma-separated, ranges as low-high: "200", "200,204", "200-299")`,
      })
      .default('200-399')
      .describe('HTTP codes that pass a check: "200", "200,204" or "200-299" (200 to 499).'),
    gracePeriodSeconds: int(0, 2_147_483_647, 'a grace period in seconds')
      .default(60)
      .describe('Seconds ECS ignores failed health checks of a new task: its start-up time plus healthyThresholdCount x intervalSeconds.'),
  },
  'Health check of a container service: how the ALB checks each task and how long a new task has to pass.',
);

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
      .describe('Path the load balancer checks; must answer with one of healthCheck.successCodes (200-399 by default).'),
    healthCheck: healthCheckSchema.prefault({}),
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
      .meta(offOrRange(30, 900))
      .default(0)
      .describe('Seconds a new task ramps up (0 = off, or 30 to 900).'),
    deregistrationDelaySeconds: int(0, 3600, 'a delay in seconds').default(30).describe('Seconds in-flight requests may finish on a stopping task.'),
    stickinessSeconds: z
      .number({ error: (i) => `expected a stickiness duration in seconds (0 = off, or 1 to 604800), got ${describeInput(i.input)}` })
      .int({ error: (i) => `expected a stickiness duration in whole seconds (0 = off, or 1 to 604800), got ${describeInput(i.input)}` })
      .refine((n) => n === 0 || (n >= 1 && n <= 604800), { error: (i) => `${describeInput(i.input)} is not a stickiness duration (0 = off, or 1 to 604800)` })
      .meta(offOrRange(1, 604800))
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
    // Clients and API Gateway resolve "." and ".." segments away, so no request could ever reach such a path.
    .refine((p) => !p.split('/').some((seg) => seg === '.' || seg === '..'), {
      error: (i) => `${describeInput(i.input)} has a "." or ".." segment, which clients resolve away before sending, so no request reaches it`,
    })
    .describe('Path prefix: routes ANY <path> and ANY <path>/{proxy+}.'),
  stripPrefix: z.boolean().default(false).describe('Send the backend the path without the service prefix.'),
  container: containerSchema.optional(),
  url: httpsUrl('backend URL', { query: false }).optional().describe('External HTTP backend (HTTP proxy integration).'),
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
    .describe('Pins the ALB listener-rule priority; derived from the service name when left out. Synth asks for a pin when two names derive the same priority on one ALB.'),
});

// ---------------------------------------------------------------------------------------------
// Gateway-wide blocks
// ---------------------------------------------------------------------------------------------

export const networkSchema = strict(
  {
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'expected a VPC id such as "vpc-0123456789abcdef0"' }).optional().describe('Import this VPC (looked up at synth) instead of creating one.'),
    maxAzs: int(2, 6, 'an AZ count').optional().describe('AZs of a new VPC (default 2).'),
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+[a-z]$/, { error: (i) => `${describeInput(i.input)} is not an availability zone name such as "eu-west-1a"` }))
      .min(2, { error: 'expected at least 2 availability zones (an ALB needs subnets in two)' })
      .max(6)
      .optional()
      .describe('AZs of a new VPC, e.g. ["eu-west-1a", "eu-west-1b"]. Instead of maxAzs; lets a stack with a fixed account and Region synthesize without looking the AZs up (no AWS credentials).'),
    // At least one: tasks pull images and reach AWS APIs, and the authorizer fetches the JWKS, from private subnets.
    natGateways: int(1, 6, 'a NAT gateway count').optional().describe('NAT gateways of a new VPC (default 1; at least 1, since tasks and the authorizer need a route out).'),
    loadBalancers: int(1, 20, 'an ALB count')
      .optional()
      .describe('Internal ALBs to spread container services over; derived from the service count when left out.'),
  },
  'The VPC: a new one (maxAzs, natGateways) or an imported one (vpcId).',
);

// --- JWT issuers (issue 14): several issuers, provider claim shapes, OIDC discovery, the Cognito shortcut ---

/**
 * An accepted `iss` value. The authorizer receives the issuers comma-separated (JWT_ISSUER), so no comma or
 * space; a URL must be https (plain http would let the network swap the keys found through it), but a value
 * need not be a URL at all (Google also issues `accounts.google.com`).
 */
const ISSUER_RULE = 'an https:// URL without credentials, query or fragment, or a value without a scheme such as "accounts.google.com"; no spaces, commas, quotes, braces or "$"';
const isIssuer = (s: unknown): s is string => typeof s === 'string' && /^[^\s,"'{}$]+$/.test(s) && (!s.includes(':') || httpsIssuer(s));
const issuerValue = z.string().refine(isIssuer, { error: (i) => `${describeInput(i.input)} is not an issuer (${ISSUER_RULE})` });

/** One message for a union that failed (zod reports a failed union as a whole): what is wrong in the input. */
function issuerProblem(input: unknown): string {
  if (typeof input === 'string') return `${describeInput(input)} is not an issuer (${ISSUER_RULE})`;
  if (!Array.isArray(input)) return `expected an issuer or a list of issuers, got ${describeInput(input)}`;
  if (input.length === 0) return 'expected at least one issuer';
  const bad = input.filter((v) => !isIssuer(v));
  return `${bad.map(describeInput).join(', ')} ${bad.length > 1 ? 'are not issuers' : 'is not an issuer'} (${ISSUER_RULE})`;
}

function httpsIssuer(s: string): boolean {
  try {
    const u = new URL(s);
    // OIDC issuers carry no query or fragment (OpenID Connect Discovery 1.0, section 3).
    return u.protocol === 'https:' && !u.username && !u.password && !u.hash && !u.search && !s.includes('?') && !s.includes('#');
  } catch {
    return false;
  }
}

/** A claim name as the authorizer receives it (comma-separated): visible ASCII, no comma. */
const claimNames = (what: string) =>
  z
    .array(z.string().regex(/^[\x21-\x2b\x2d-\x7e]{1,128}$/, { error: (i) => `${describeInput(i.input)} is not a claim name (1 to 128 visible characters, no comma)` }))
    .min(1, { error: `expected at least one ${what} claim` });

export const jwtSchema = strict({
  issuer: z
    .union([issuerValue, z.array(issuerValue).min(1, { error: 'expected at least one issuer' })], { error: (i) => issuerProblem(i.input) })
    .describe(
      'Accepted "iss" values, exact: one, or a list (Google issues both "https://accounts.google.com" and "accounts.google.com"; Entra ID v1 and v2 tokens of one tenant differ). ' +
        'Without jwksUri, the key set is found through OIDC discovery from the first one, which must then be an https URL. The native authorizer accepts one https issuer only.',
    ),
  // The authorizer receives the audiences comma-separated (JWT_AUDIENCE): a comma or space inside one would split it.
  audience: z
    .array(z.string().regex(/^[^\s,]+$/, { error: (i) => `${describeInput(i.input)} is not an audience (no spaces or commas)` }))
    .min(1, { error: 'expected at least one audience' })
    .describe('Accepted audiences (no spaces or commas): the token\'s "aud" must hold one; a token without "aud" must have one of them as "client_id" (API Gateway\'s JWT authorizer rule; Cognito access tokens).'),
  jwksUri: httpsUrl('JWKS URL')
    .optional()
    .describe('The issuer\'s key set. Default: found through OIDC discovery, <first issuer>/.well-known/openid-configuration -> "jwks_uri" (https only), fetched by the authorizer at run time.'),
  algorithms: z
    .array(oneOf(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const, 'an asymmetric JWS algorithm'))
    .min(1)
    .default(['RS256', 'ES256'])
    .describe('Signature algorithms accepted (asymmetric only; HS* and none are never accepted).'),
  subjectClaims: claimNames('subject')
    .optional()
    .describe(
      'Claims that name the caller, in order: the first one the token has becomes x-gateway-user, the per-user WAF key and the logged user; a token with none of them is denied. ' +
        'Default ["sub", "client_id", "azp"] (machine tokens without "sub" are named by their client). Lambda authorizer only: the native one reads "sub".',
    ),
  scopeClaims: claimNames('scope')
    .optional()
    .describe(
      'Claims that carry scopes, merged: each a space-separated string or an array. Default ["scope", "scp"]; add "roles" (Entra ID app roles) or "permissions" (Auth0 RBAC) to let them satisfy a service\'s scopes. ' +
        'Lambda authorizer only, beyond "scope" and "scp".',
    ),
  accessTokensOnly: z
    .boolean()
    .optional()
    .describe('Deny every token that is not an access token: Cognito\'s "token_use": "access", or the RFC 9068 header "typ": "at+jwt" (default false). Lambda authorizer only.'),
});

/** A Cognito user pool id names its Region: `eu-west-1_AbCdEf123`. */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;

export const cognitoSchema = strict(
  {
    userPoolId: z
      .string({ error: (i) => `expected a user pool id string, got ${describeInput(i.input)}` })
      .regex(USER_POOL_ID, { error: (i) => `${describeInput(i.input)} is not a Cognito user pool id (such as "eu-west-1_AbCdEf123")` })
      .describe('The user pool (its Region is read from the id).'),
    clientIds: z
      .array(z.string().regex(/^[\w+]{1,128}$/, { error: (i) => `${describeInput(i.input)} is not a Cognito app client id` }))
      .min(1, { error: 'expected at least one app client id' })
      .describe('App clients whose access tokens are accepted ("client_id" of access tokens).'),
  },
  'Shortcut for an Amazon Cognito user pool, instead of auth.jwt: issuer https://cognito-idp.<region>.amazonaws.com/<userPoolId>, key set through discovery, audience = clientIds (matched on "client_id"), RS256, access tokens only.',
);

/** The auth.jwt settings a Cognito user pool stands for. */
export function cognitoJwt(cognito: z.output<typeof cognitoSchema>): z.output<typeof jwtSchema> {
  const region = USER_POOL_ID.exec(cognito.userPoolId)![1];
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    issuer: `https://cognito-idp.${region}.${domain}/${cognito.userPoolId}`,
    audience: cognito.clientIds,
    algorithms: ['RS256'],
    accessTokensOnly: true,
  };
}

// --- end of the JWT issuer block ---

export const authSchema = strict({
  jwt: jwtSchema.optional().describe('The token issuer; needed by services with auth "jwt" (or auth.cognito).'),
  cognito: cognitoSchema.optional(),
  default: oneOf(['jwt', 'none', 'apiKey'] as const, 'an auth mode').optional().describe('Per-service default; "jwt" when jwt is set, else "none".'),
  cacheTtlSeconds: int(0, 3600, 'a TTL in seconds')
    .default(300)
    .describe('Authorizer result cache (0 = off): a token that expires or is revoked can still pass for up to this long after the allow was cached. Lambda authorizer only.'),
  authorizer: oneOf(['lambda', 'native'] as const, 'an authorizer kind')
    .default('lambda')
    .describe('"lambda": the bundled jose authorizer; "native": API Gateway\'s built-in JWT authorizer (HTTP front door, no Lambda cost).'),
}).transform((auth, ctx) => {
  // auth.cognito resolves into auth.jwt, which everything downstream reads; it stays in the map for messages.
  if (!auth.cognito) return auth;
  const jwt = cognitoJwt(auth.cognito);
  // A resolved map (which holds both, the jwt derived) validates again unchanged.
  if (auth.jwt && !isDeepStrictEqual(auth.jwt, jwt)) {
    ctx.issues.push({ code: 'custom', input: auth, path: ['cognito'], message: 'set auth.jwt or auth.cognito, not both (auth.cognito stands for a whole auth.jwt)' });
    return z.NEVER;
  }
  return { ...auth, jwt };
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
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, { error: 'expected an ACM certificate ARN' }).optional().describe('ACM certificate for the domain, in the stack\'s Region. Required, unless the certificate is given as an object (ServiceGateway\'s `certificate` prop).'),
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]+$/, { error: 'expected a Route 53 hosted zone id such as "Z123..."' }).optional().describe('Hosted zone for A/AAAA alias records; with zoneName.'),
  zoneName: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\.?$/, { error: (i) => `${describeInput(i.input)} is not a lowercase hosted zone name such as "example.com"` })
    .optional()
    .describe('Name of that hosted zone, e.g. example.com.'),
});

// Origins and header names go into CORS header values and the REST preflight's mapping template: only
// their own characters (an origin is scheme://host[:port]; a header name is an RFC 9110 token without quotes).
const corsOrigin = z.string().refine(
  (o) => {
    if (o === '*') return true;
    try {
      const u = new URL(o);
      // The URL parser lets quotes through in a host name; DNS names and IP addresses have none.
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o && /^([a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(u.hostname);
    } catch {
      return false;
    }
  },
  { error: (i) => `${describeInput(i.input)} is not an origin (valid: "*", or scheme://host[:port] in lowercase without path or trailing slash, e.g. "https://app.example.com")` },
);
const corsHeaderName = z.string().regex(/^[A-Za-z0-9!#$%&*+.^_`|~-]+$/, {
  error: (i) => `${describeInput(i.input)} is not an HTTP header name (letters, digits and !#$%&*+.^_\`|~-, no spaces or quotes)`,
});

export const corsSchema = strict({
  allowOrigins: z.array(corsOrigin).min(1).describe('Origins allowed to call from a browser: "*", or scheme://host[:port] such as "https://app.example.com".'),
  allowMethods: z.array(oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'] as const, 'an HTTP method')).default(['*']).describe('Methods allowed cross-origin.'),
  allowHeaders: z.array(corsHeaderName).default(['authorization', 'content-type']).describe('Request headers allowed cross-origin.'),
  exposeHeaders: z.array(corsHeaderName).default([]).describe('Response headers browsers may read.'),
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
      // CloudFormation types the size as a string; the number a user naturally writes (0.5) means the same.
      .union([...CACHE_CLUSTER_SIZES_GB.map((v) => z.literal(v)), ...CACHE_CLUSTER_SIZES_GB.map((v) => z.literal(Number(v)))] as unknown as [z.ZodLiteral<CacheClusterSizeGb>, z.ZodLiteral<number>], {
        error: (i) => `${describeInput(i.input)} is not an API Gateway cache size in GB (valid: ${CACHE_CLUSTER_SIZES_GB.join(', ')}, as a number or a string)`,
      })
      .default('0.5')
      .transform((v) => String(v) as CacheClusterSizeGb)
      .describe('Cache cluster size in GB, as a string or a number (0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237); the cluster exists only when a service sets cache.'),
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
  acknowledgeWarnings: z
    .record(
      z.string().refine((id) => WARNING_IDS.includes(id), { error: (i) => `${describeInput(i.input)} is not a warning id (valid: ${WARNING_IDS.join(', ')})` }),
      z.string().min(1, { error: 'expected the reason the warning is accepted' }).describe('Why the warning is accepted (kept in the template record for reviewers).'),
    )
    .default({})
    .describe('Warnings to silence, by id (the id synth prints, e.g. "cdk-service-gateway:url-bypasses-firewall"), each with the reason it is accepted.'),
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
