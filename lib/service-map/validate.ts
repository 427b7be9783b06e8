/**
 * Validation of a service map: the zod schema's per-field checks plus the checks that span fields.
 * Every problem is gathered and reported at once, each as `<field path>: <what is wrong and what would
 * be valid>`, before any construct is created.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { BLOCKING_RULES, managedRuleGroupSpec } from './managed-rule-groups';
import { authorizerEnvironment, effectiveAuth, hasJwtAuthorizer, jwtIssuers, jwtSettings, LAMBDA_ENVIRONMENT_MAX_BYTES, rateRuleName, routeKeys, urlBackendPathMapping } from './conventions';
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU, MAX_HEADER_CONDITION_VALUE, SOURCE_ADDRESS_RULE_GROUPS } from './limits';
import { describeInput, quote, ResolvedServiceMap, serviceMapSchema, ServiceMap, serviceSchema } from './schema';
import { clashingApiKeyOutputs, gatewayOutputNames } from './outputs';
import type { MapWarning } from './warnings';
import { mapWarning } from './warnings';

/** Thrown for a map that cannot be synthesized; `problems` lists every problem found. */
export class ServiceMapError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid service map (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ServiceMapError';
  }
}

/**
 * What the map checks found: every problem, the warnings, and (when the map parsed) the map with its
 * defaults. The gateway plan (`lib/plan`) adds the checks of what the plan decides (placement, web ACL
 * capacity) and reports every problem of both in one list.
 */
export interface MapCheck {
  readonly problems: readonly string[];
  /** Things that synthesize but deserve attention (quotas to raise, extra charges); placement's are in `placement`. */
  readonly warnings: readonly MapWarning[];
  /** The map with every default filled in; absent when it did not parse. */
  readonly map?: ResolvedServiceMap;
  /**
   * A map that did not parse as a whole, its blocks that did parse filled in (defaults elsewhere): the plan
   * counts its web ACL capacity when `firewallCountable`, so that problem is reported in the same run.
   */
  readonly partialMap?: ResolvedServiceMap;
  /**
   * A map that did not parse as a whole but whose blocks placement reads did: the plan places its services
   * so that placement's problems (clashing pins, a full ALB) come in the same run.
   */
  readonly placeableMap?: ResolvedServiceMap;
  /** The firewall is on and its rules are well formed, so the web ACL can be built and its capacity counted. */
  readonly firewallCountable: boolean;
}

/** Formats a zod issue path the way a user would point at the field: `services.payment.container.cpu`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    // A key of odd characters (a newline, a quote, a terminal escape) is shown quoted and escaped.
    else if (typeof part !== 'string' || !/^[A-Za-z0-9_$-]{1,80}$/.test(part)) out += `[${quote(String(part))}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(map)';
}

/**
 * Checks a map as a user wrote it (TypeScript object, parsed JSON or YAML) and fills in defaults. Never
 * throws: `validateServiceMap` / `planGateway` (lib/plan) report the problems.
 */
export function checkServiceMap(input: unknown, options: ValidateOptions = {}): MapCheck {
  const parsed = serviceMapSchema.safeParse(input, { error: fallbackMessage });
  if (!parsed.success) {
    // Field problems do not stop the cross-field checks whose fields did parse (the services that parse
    // on their own, the blocks a check reads): the user still sees, in one run, every problem that can be known.
    const problems = parsed.error.issues.flatMap(formatIssues);
    problems.push(...rawInputProblems(input));
    const { map, parsedBlocks, allServicesParsed } = parseableBlocks(input);
    const parsedAll = (...blocks: Array<keyof ResolvedServiceMap>) => blocks.every((b) => parsedBlocks.has(b));
    const raw = input as ServiceMap;
    checkServices(map, raw, problems, options);
    if (parsedAll('auth', 'frontDoor')) checkAuth(map, problems);
    if (parsedAll('auth', 'frontDoor', 'usagePlans', 'apiKeys')) checkFrontDoorFeatures(map, raw, problems);
    if (parsedAll('network')) checkNetwork(map, problems);
    if (parsedAll('domain')) checkDomain(map, problems, options);
    if (parsedAll('cors')) checkCors(map, problems);
    if (parsedAll('alarms')) checkAlarms(map, problems);
    // The firewall's rules and lists are checked on the services that parsed; its capacity (counted by the
    // plan) needs every service, so a failed service skips only that (a missing service could only hide a
    // problem, never invent one).
    const firewallWellFormed = parsedAll('firewall', 'auth', 'frontDoor', 'rest', 'domain') && checkFirewall(map, problems, []);
    // Placement reads the gateway name only to name target groups, which never makes a problem.
    const placeableMap = parsedAll('network', 'frontDoor', 'auth', 'rest', 'domain') ? { ...map, name: parsedBlocks.has('name') ? map.name : 'gateway' } : undefined;
    return { problems: dedupe(problems), warnings: [], partialMap: map, placeableMap, firewallCountable: firewallWellFormed && allServicesParsed };
  }
  const map = parsed.data;
  const problems: string[] = rawInputProblems(input);
  const warnings: MapWarning[] = [];
  const raw = input as ServiceMap;

  checkServices(map, raw, problems, options);
  checkAuth(map, problems);
  checkAlarms(map, problems);
  checkNativeAuthorizer(map, warnings);
  checkUnusedApiKeys(map, warnings);
  checkFrontDoorFeatures(map, raw, problems);
  const firewallCountable = checkFirewall(map, problems, warnings);
  checkNetwork(map, problems);
  checkDomain(map, problems, options);
  checkCors(map, problems);

  return { problems: dedupe(problems), warnings, map, firewallCountable };
}

/** What validation may ask of its caller: it reads no files itself. */
export interface ValidateOptions {
  /**
   * Judges an `image: { directory }` folder (ServiceGateway passes one that looks at the file system,
   * relative to its baseDirectory): a description of what is wrong, or undefined when the folder can be built.
   *
   * @default - folders are not checked
   */
  readonly checkImageDirectory?: (directory: string) => string | undefined;
  /**
   * The custom domain's certificate is provided beside the map (ServiceGateway's `certificate` prop), so
   * `domain.certificateArn` may be left out.
   *
   * @default false - a `domain` needs its `certificateArn`
   */
  readonly certificateProvided?: boolean;
}

/** CDK's markers of an unresolved token inside a string (aws-cdk-lib's TokenString: "${Token[", and "#{Token[" for lists). */
const CDK_TOKEN_MARKER = /\$\{Token\[|#\{Token\[/;

/**
 * Problems that only the map as written shows: keys JavaScript treats as the prototype (`__proto__`, dropped
 * by a parser before any check sees it) and CDK token text, which synth would silently swap for an
 * unrelated value. Walks every key and string of the input.
 */
function rawInputProblems(input: unknown): string[] {
  const problems: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      if (CDK_TOKEN_MARKER.test(node)) {
        problems.push(`${formatPath(path)}: ${quote(node)} contains CDK token text ("\${Token[" or "#{Token["), which synth would replace with an unrelated value; a service map holds plain values only`);
      }
      return;
    }
    // A TypeScript map may share an object between places, or even loop: each object is read once.
    if (node === null || typeof node !== 'object' || seen.has(node) || problems.length > 100) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...path, i]));
    for (const key of Object.keys(node)) {
      if (key === '__proto__') problems.push(`${formatPath([...path, key])}: "__proto__" cannot be a name (JavaScript reserves it for an object's prototype, so the entry would be dropped); rename it`);
      else if (CDK_TOKEN_MARKER.test(key)) problems.push(`${formatPath(path)}: the key ${quote(key)} contains CDK token text; a service map holds plain values only`);
      walk((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(input, []);
  return problems;
}

function checkAlarms(map: ResolvedServiceMap, problems: string[]): void {
  // SNS would get two subscriptions for one inbox (and CDK refuses the second): addresses are compared case-insensitively.
  const seen = new Map<string, number>();
  map.alarms.email.forEach((email, i) => {
    const first = seen.get(email.toLowerCase());
    if (first === undefined) seen.set(email.toLowerCase(), i);
    else problems.push(`alarms.email[${i}]: ${quote(email)} is already listed at alarms.email[${first}]; list each address once`);
  });
}

function formatIssues(issue: z.core.$ZodIssue): string[] {
  // A value that may take one of several forms (a managed rule group's name or object): when one form's
  // problems all lie inside the value, the user wrote that form; report those, at their own paths.
  if (issue.code === 'invalid_union') {
    const inside = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    if (inside) return inside.map((i) => formatIssue({ ...i, path: [...issue.path, ...i.path] }));
  }
  return [formatIssue(issue)];
}

function formatIssue(issue: z.core.$ZodIssue): string {
  // A bad record key (service name, plan name) carries the key's own issue: report that one.
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return `${formatPath(issue.path)}: ${issue.issues[0].message}`;
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** What each JSON type is called in a problem line, in the user's words. */
const EXPECTED_TYPE: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

/**
 * Messages for the issues that the schema leaves to zod (a wrong JSON type, a list that is too short):
 * zod's own say `Invalid input: expected boolean, received string`; these say what would be valid and
 * what the user wrote, e.g. `expected true or false, got "yes"`. Fields with a message of their own keep it.
 */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = describeInput(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}, got ${got}`;
    case 'too_small':
    case 'too_big': {
      const least = issue.code === 'too_small';
      const bound = Number(least ? issue.minimum : issue.maximum);
      if (issue.origin === 'array') return `expected at ${least ? 'least' : 'most'} ${bound} item${bound === 1 ? '' : 's'}, got ${Array.isArray(issue.input) ? issue.input.length : got}`;
      if (issue.origin === 'string') return least && bound === 1 ? 'expected a non-empty string' : `expected at ${least ? 'least' : 'most'} ${bound} characters, got ${got}`;
      return `${got} is ${least ? 'below the minimum' : 'above the maximum'} ${bound}`;
    }
    case 'invalid_format':
      return `${got} does not match the pattern ${issue.pattern ?? issue.format}`;
    default:
      return undefined;
  }
}

/**
 * The parts of a map that failed to parse as a whole: each top-level block that parses on its own
 * (defaults filled in), and the services that do. Checks may read only the blocks in `parsedBlocks`.
 */
function parseableBlocks(input: unknown): { map: ResolvedServiceMap; parsedBlocks: ReadonlySet<string>; allServicesParsed: boolean } {
  const parsedBlocks = new Set<string>();
  const { services, allParsed: allServicesParsed } = parseableServices(input);
  const map: Record<string, unknown> = { services };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { map: map as ResolvedServiceMap, parsedBlocks, allServicesParsed };
  for (const [key, schema] of Object.entries(serviceMapSchema.shape)) {
    if (key === 'services') continue;
    const block = (schema as z.ZodType).safeParse((input as Record<string, unknown>)[key]);
    if (!block.success) continue;
    parsedBlocks.add(key);
    map[key] = block.data;
  }
  return { map: map as ResolvedServiceMap, parsedBlocks, allServicesParsed };
}

function parseableServices(input: unknown): { services: ResolvedServiceMap['services']; allParsed: boolean } {
  const services = (input as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') return { services: {}, allParsed: false };
  const out: ResolvedServiceMap['services'] = {};
  let allParsed = true;
  for (const [name, value] of Object.entries(services)) {
    const svc = serviceSchema.safeParse(value);
    // A bad name or "__proto__" is reported already; the checks below read only well-named services.
    if (svc.success && serviceMapSchema.shape.services.keyType.safeParse(name).success) out[name] = svc.data;
    else allParsed = false;
  }
  return { services: out, allParsed };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

function checkServices(map: ResolvedServiceMap, raw: ServiceMap, problems: string[], options: ValidateOptions): void {
  const seenPaths: Array<{ name: string; segments: string[] }> = [];
  for (const [name, svc] of Object.entries(map.services)) {
    const at = `services.${name}`;
    const rawSvc = (raw.services as Record<string, Record<string, unknown>>)[name] ?? {};
    if (svc.container && svc.url) problems.push(`${at}: has both "container" and "url"; a service has exactly one backend`);
    if (!svc.container && !svc.url) problems.push(`${at}: has no backend; set "container" (Fargate) or "url" (HTTP proxy)`);

    if (svc.container) {
      const { cpu, memoryMiB } = svc.container;
      const allowed = FARGATE_MEMORY_BY_CPU[cpu];
      if (allowed && !allowed.includes(memoryMiB)) {
        problems.push(`${at}.container.memoryMiB: ${memoryMiB} MiB is not offered with cpu ${cpu} (valid: ${describeFargateMemory(cpu)})`);
      }
      const { algorithm, slowStartSeconds } = svc.loadBalancing;
      if (algorithm === 'weighted_random' && slowStartSeconds > 0) {
        problems.push(`${at}.loadBalancing.slowStartSeconds: ALB target groups cannot combine slow start with "weighted_random"; set it to 0 or use "round_robin" / "least_outstanding_requests"`);
      }
      if (svc.scaling.minTasks > svc.scaling.maxTasks) {
        problems.push(`${at}.scaling: minTasks ${svc.scaling.minTasks} is above maxTasks ${svc.scaling.maxTasks} (minTasks <= maxTasks)`);
      }
      const image = svc.container.image;
      const imageProblem = typeof image === 'object' ? options.checkImageDirectory?.(image.directory) : undefined;
      if (imageProblem) problems.push(`${at}.container.image.directory: ${quote((image as { directory: string }).directory)} ${imageProblem}`);
      checkHealthCheck(`${at}.container.healthCheck`, svc.container.healthCheck, problems);
    } else if (svc.url) {
      checkUrlLimits(at, svc.url, map.frontDoor, problems);
      for (const field of ['scaling', 'loadBalancing', 'priority'] as const) {
        if (rawSvc[field] !== undefined) problems.push(`${at}.${field}: only applies to "container" services, not "url" services`);
      }
    }

    // The route key is the value of the ALB rule's header condition, which AWS caps at 128 characters.
    const longest = routeKeys(svc.path)[1];
    if (longest.length > MAX_HEADER_CONDITION_VALUE) {
      problems.push(`${at}.path: ${quote(svc.path)} is too long; at most ${MAX_HEADER_CONDITION_VALUE - longest.length + svc.path.length} characters (its route key "ANY <path>/{proxy+}" is an ALB header-condition value, at most ${MAX_HEADER_CONDITION_VALUE} characters)`);
    }
    const segments = svc.path.toLowerCase().split('/').filter(Boolean);
    for (const other of seenPaths) {
      const shorter = Math.min(segments.length, other.segments.length);
      const samePrefix = segments.slice(0, shorter).join('/') === other.segments.slice(0, shorter).join('/');
      if (!samePrefix) continue;
      const what = segments.length === other.segments.length ? 'duplicates' : 'overlaps';
      problems.push(`${at}.path: ${quote(svc.path)} ${what} the path of services.${other.name} (${quote(map.services[other.name].path)}); give each service its own prefix`);
    }
    seenPaths.push({ name, segments });
  }
}

/** Health-check fields that only work together (Elastic Load Balancing and Amazon ECS rules). */
function checkHealthCheck(at: string, hc: NonNullable<ResolvedServiceMap['services'][string]['container']>['healthCheck'], problems: string[]): void {
  if (hc.timeoutSeconds >= hc.intervalSeconds) {
    problems.push(`${at}.timeoutSeconds: ${hc.timeoutSeconds} s is not below intervalSeconds ${hc.intervalSeconds} s (an ALB health check times out before the next one starts)`);
  }
  // A task that answers at once still needs healthyThresholdCount passed checks; ECS stops it if it is unhealthy when the grace period ends.
  const toHealthy = hc.healthyThresholdCount * hc.intervalSeconds;
  if (hc.gracePeriodSeconds < toHealthy) {
    problems.push(
      `${at}.gracePeriodSeconds: ${hc.gracePeriodSeconds} s is shorter than the ${toHealthy} s a new task needs to pass the health check even when it answers at once ` +
        `(healthyThresholdCount ${hc.healthyThresholdCount} x intervalSeconds ${hc.intervalSeconds}); set it to at least ${toHealthy}, plus the time the container takes to start`,
    );
  }
}

/**
 * API Gateway limits on what a url service's URL becomes (API Gateway V2 API reference, CreateIntegration:
 * integrationUri 1 to 2,048 characters, each requestParameters value 1 to 512). The REST front door's
 * integration URI is held to the same 2,048.
 */
const MAX_INTEGRATION_URI = 2048;
const MAX_REQUEST_PARAMETER_VALUE = 512;

function checkUrlLimits(at: string, url: string, frontDoor: ResolvedServiceMap['frontDoor'], problems: string[]): void {
  if (url.length > MAX_INTEGRATION_URI) {
    problems.push(`${at}.url: ${quote(url)} is too long; at most ${MAX_INTEGRATION_URI} characters (API Gateway's limit for an integration URI)`);
    return;
  }
  if (frontDoor !== 'http') return;
  // The HTTP API maps the path the backend sees from the URL's own path; the longest mapping is the one that must fit.
  const longest = Math.max(
    ...[true, false].flatMap((strip) => [true, false].map((exact) => urlBackendPathMapping(url, strip, exact).length)),
  );
  const base = new URL(url).pathname.replace(/\/+$/, '');
  if (longest > MAX_REQUEST_PARAMETER_VALUE) {
    problems.push(
      `${at}.url: its path is ${base.length} characters; at most ${MAX_REQUEST_PARAMETER_VALUE - (longest - base.length)} (the HTTP API maps it, with the request path, into a parameter of at most ${MAX_REQUEST_PARAMETER_VALUE} characters)`,
    );
  }
}

/**
 * API Gateway's own JWT authorizer differs from the bundled one in ways a map cannot express: it finds
 * keys through the issuer's OIDC discovery, verifies RSA signatures only, and lets a token through with
 * any one of a route's scopes (the bundled authorizer requires all of them).
 */
function checkNativeAuthorizer(map: ResolvedServiceMap, warnings: MapWarning[]): void {
  const jwt = map.auth.jwt;
  if (map.auth.authorizer !== 'native' || !jwt) return;
  if (jwt.jwksUri) {
    warnings.push(mapWarning('native-authorizer-ignores-jwks-uri', 'auth.jwt.jwksUri: the native JWT authorizer ignores it and reads the keys from the issuer\'s /.well-known/openid-configuration; use authorizer "lambda" to fetch this URL'));
  }
  const nonRsa = jwt.algorithms.filter((alg) => !/^(RS|PS)/.test(alg));
  if (nonRsa.length > 0) {
    warnings.push(mapWarning('native-authorizer-rsa-only', `auth.jwt.algorithms: the native JWT authorizer verifies RSA signatures only; tokens signed with ${nonRsa.join(', ')} will be rejected (use authorizer "lambda" for them)`));
  }
  for (const [name, svc] of Object.entries(map.services)) {
    if (svc.scopes.length > 1 && effectiveAuth(map, svc) === 'jwt') {
      warnings.push(mapWarning('native-authorizer-any-scope', `services.${name}.scopes: the native JWT authorizer lets a token through with any one of ${svc.scopes.join(', ')}, not all of them (use authorizer "lambda" to require all)`));
    }
  }
}

/**
 * Settings API Gateway's own JWT authorizer (HTTP API JwtConfiguration: one issuer, audience matched on
 * aud or client_id, scopes from scope/scp, the subject header from sub) cannot honour: errors, since the
 * map would mean something else than it says. The fix is always the Lambda authorizer.
 */
function checkNativeJwtLimits(map: ResolvedServiceMap, problems: string[]): void {
  const jwt = map.auth.jwt;
  if (map.auth.authorizer !== 'native' || !jwt) return;
  const fix = 'set auth.authorizer to "lambda"';
  const issuers = jwtIssuers(jwt);
  if (issuers.length > 1) problems.push(`auth.jwt.issuer: the native JWT authorizer accepts one issuer, not ${issuers.length}; ${fix} to accept several`);
  else if (!/^https:\/\//.test(issuers[0])) {
    problems.push(`auth.jwt.issuer: the native JWT authorizer needs an https issuer URL to discover its keys from, not "${issuers[0]}"; ${fix}`);
  }
  const otherScopeClaims = (jwt.scopeClaims ?? []).filter((claim) => claim !== 'scope' && claim !== 'scp');
  if (otherScopeClaims.length > 0) {
    problems.push(`auth.jwt.scopeClaims: the native JWT authorizer reads scopes from "scope" and "scp" only, not ${otherScopeClaims.map((c) => `"${c}"`).join(', ')}; ${fix}`);
  }
  if (jwt.subjectClaims && (jwt.subjectClaims.length !== 1 || jwt.subjectClaims[0] !== 'sub')) {
    problems.push(`auth.jwt.subjectClaims: the native JWT authorizer names the caller by "sub" only and has no fallback order; ${fix}, or leave subjectClaims out`);
  }
  if (map.auth.cognito) {
    problems.push(
      `auth.cognito: the native JWT authorizer cannot tell Cognito ID tokens from access tokens (both carry an app client id), and auth.cognito accepts access tokens only; ${fix}, or write auth.jwt with the pool's issuer and client ids to accept both kinds`,
    );
  } else if (jwt.accessTokensOnly) {
    problems.push(`auth.jwt.accessTokensOnly: the native JWT authorizer cannot check the token type (token_use, typ); ${fix}, or leave accessTokensOnly out`);
  }
}

/** HTTP API quotas of the native JWT authorizer: audiences per authorizer, scopes per route. */
const NATIVE_JWT_MAX_AUDIENCES = 50;
const NATIVE_JWT_MAX_SCOPES = 10;

function checkAuth(map: ResolvedServiceMap, problems: string[]): void {
  const defaultMode = map.auth.default ?? (map.auth.jwt ? 'jwt' : 'none');
  if (map.auth.default === 'jwt' && !map.auth.jwt) problems.push('auth.default: "jwt" needs auth.jwt (issuer, audience) or auth.cognito');
  if (map.auth.authorizer === 'native' && map.frontDoor === 'rest') {
    problems.push('auth.authorizer: "native" JWT authorizers exist only on the HTTP front door; use "lambda" or set frontDoor to "http"');
  }
  const jwt = map.auth.jwt;
  // HTTP API quotas of the native JWT authorizer (API Gateway developer guide, "Quotas for configuring and running an HTTP API").
  if (jwt && map.auth.authorizer === 'native' && map.frontDoor === 'http') {
    if (jwt.audience.length > NATIVE_JWT_MAX_AUDIENCES) problems.push(`auth.jwt.audience: ${jwt.audience.length} audiences; the native JWT authorizer accepts at most ${NATIVE_JWT_MAX_AUDIENCES} (use authorizer "lambda" for more)`);
    for (const [name, svc] of Object.entries(map.services)) {
      if (svc.scopes.length > NATIVE_JWT_MAX_SCOPES && effectiveAuth(map, svc) === 'jwt') {
        problems.push(`services.${name}.scopes: ${svc.scopes.length} scopes; the native JWT authorizer allows at most ${NATIVE_JWT_MAX_SCOPES} per route (use authorizer "lambda" for more)`);
      }
    }
  }
  if (jwt && map.auth.authorizer === 'lambda' && hasJwtAuthorizer(map)) {
    const env = authorizerEnvironment({ gatewayName: map.name, ...jwtSettings(jwt) });
    const bytes = Buffer.byteLength(JSON.stringify(env));
    if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
      problems.push(`auth.jwt: issuers, audience, claims and jwksUri make the authorizer's environment ${bytes} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_MAX_BYTES} (shorten them by ${bytes - LAMBDA_ENVIRONMENT_MAX_BYTES} bytes)`);
    }
  }
  checkNativeJwtLimits(map, problems);
  const firstIssuer = map.auth.jwt ? jwtIssuers(map.auth.jwt)[0] : undefined;
  if (map.auth.authorizer === 'lambda' && firstIssuer && !map.auth.jwt!.jwksUri && !/^https:\/\//.test(firstIssuer)) {
    problems.push(`auth.jwt.jwksUri: needed when the first issuer ("${firstIssuer}") is not an https URL, since the key set is discovered from it; list an https issuer first or set jwksUri`);
  }
  for (const [name, svc] of Object.entries(map.services)) {
    const mode = svc.auth ?? defaultMode;
    if (mode === 'jwt' && !map.auth.jwt) problems.push(`services.${name}.auth: "jwt" needs auth.jwt (issuer, audience) or auth.cognito in the map`);
    if (svc.scopes.length > 0 && mode !== 'jwt') problems.push(`services.${name}.scopes: scopes need auth "jwt" (this service uses "${mode}")`);
  }
}

/** Usage plans meter API keys, and API Gateway asks for a key only on apiKey services. */
function checkUnusedApiKeys(map: ResolvedServiceMap, warnings: MapWarning[]): void {
  if (map.frontDoor !== 'rest' || Object.keys(map.usagePlans).length === 0) return;
  if (Object.values(map.services).some((s) => effectiveAuth(map, s) === 'apiKey')) return;
  warnings.push(mapWarning('usage-plans-unused', 'usagePlans: no service uses auth "apiKey", so no request needs a key and the plans\' throttles and quotas never apply; set auth "apiKey" on the services they should meter'));
}

function checkFrontDoorFeatures(map: ResolvedServiceMap, raw: ServiceMap, problems: string[]): void {
  if (map.frontDoor === 'rest') {
    for (const [key, value] of Object.entries(map.apiKeys)) {
      // An own key only: "toString" or "constructor" must not find Object.prototype's.
      if (!Object.hasOwn(map.usagePlans, value.plan)) {
        const plans = Object.keys(map.usagePlans);
        problems.push(`apiKeys.${key}.plan: ${quote(value.plan)} is not a usage plan (valid: ${plans.length ? plans.join(', ') : 'define one in usagePlans'})`);
      }
    }
    for (const [name, svc] of Object.entries(map.services)) {
      if (svc.timeoutMs > 29000) {
        problems.push(`services.${name}.timeoutMs: ${svc.timeoutMs} is above the REST API integration timeout of 29000 ms (valid: 50 to 29000; raise the "Maximum integration timeout" quota and pin a lower value meanwhile)`);
      }
    }
    return;
  }
  if ((raw as Record<string, unknown>).rest !== undefined) problems.push('rest: only applies to the REST front door (set frontDoor to "rest", or remove rest)');
  const restOnly = 'needs the REST front door (set frontDoor to "rest"; the HTTP front door has no';
  if (Object.keys(map.usagePlans).length > 0) problems.push(`usagePlans: ${restOnly} usage plans)`);
  if (Object.keys(map.apiKeys).length > 0) problems.push(`apiKeys: ${restOnly} API keys)`);
  if (map.auth.default === 'apiKey') problems.push(`auth.default: "apiKey" ${restOnly} API keys)`);
  for (const [name, svc] of Object.entries(map.services)) {
    if (svc.cache) problems.push(`services.${name}.cache: ${restOnly} response cache)`);
    if (svc.auth === 'apiKey') problems.push(`services.${name}.auth: "apiKey" ${restOnly} API keys)`);
  }
}

/** Returns whether the web ACL's rules are well formed, so that the plan can build them and count their capacity. */
function checkFirewall(map: ResolvedServiceMap, problems: string[], warnings: MapWarning[]): boolean {
  const fw = map.firewall;
  const before = problems.length;
  const anyJwt = Object.values(map.services).some((s) => (s.auth ?? map.auth.default ?? (map.auth.jwt ? 'jwt' : 'none')) === 'jwt');
  const rules: Array<{ at: string; rule: (typeof fw.rateLimits)[number]; service?: string }> = [
    ...fw.rateLimits.map((rule, i) => ({ at: `firewall.rateLimits[${i}]`, rule })),
    ...Object.entries(map.services).flatMap(([name, s]) => s.rateLimits.map((rule, i) => ({ at: `services.${name}.rateLimits[${i}]`, rule, service: name }))),
  ];
  for (const { at, rule } of rules) {
    if (rule.key === 'header' && !rule.headerName) problems.push(`${at}.headerName: key "header" needs headerName, e.g. "x-api-key"`);
    if (rule.key !== 'header' && rule.headerName) problems.push(`${at}.headerName: only used with key "header" (this rule's key is "${rule.key}")`);
    if (rule.key === 'user' && !anyJwt) problems.push(`${at}.key: "user" counts the verified JWT subject, but no service uses auth "jwt"`);
    if (rule.key === 'user' && map.frontDoor === 'rest' && fw.enabled) {
      problems.push(
        `${at}.key: "user" needs the HTTP front door: on the REST front door WAF inspects a request before the authorizer runs, so there is no verified subject to count ` +
          '(on the REST front door, limit each client with usagePlans and apiKeys, or each address with key "ip")',
      );
    }
  }

  for (const field of ['blockedIpCidrs', 'allowedIpCidrs'] as const) {
    fw[field].forEach((cidr, i) => {
      if (!isCidr(cidr)) problems.push(`firewall.${field}[${i}]: ${quote(cidr)} is not an IPv4 or IPv6 CIDR (e.g. "203.0.113.0/24", "2001:db8::/32")`);
      else if (cidr.endsWith('/0')) problems.push(`firewall.${field}[${i}]: "${cidr}" spans every address; AWS WAF IP sets accept any prefix length but /0`);
    });
  }

  if (!fw.enabled) return false;
  checkFirewallPlacement(map, problems, warnings);
  // Every rule's WAF name, as the firewall builds it: WAF rejects a web ACL with two rules of one name.
  const ruleNames = new Map<string, string>();
  for (const { at, rule, service } of rules) {
    const name = rateRuleName(rule, service);
    const first = ruleNames.get(name);
    if (first) problems.push(`${at}: its WAF rule name "${name}" is also the name of ${first}; give one of them a different "name"`);
    else ruleNames.set(name, at);
  }
  checkManagedRuleGroups(map, problems, warnings);
  // Capacity counts the rules as built, which needs well-formed rules.
  return problems.length === before;
}

/**
 * Managed rule groups: each listed once; rule options WAF would reject or silently ignore (a rule both
 * excluded and overridden, a rule name in the wrong case); scope-downs that name a service or path the
 * map does not have, or that WAF could never see on the HTTP front door.
 */
function checkManagedRuleGroups(map: ResolvedServiceMap, problems: string[], warnings: MapWarning[]): void {
  const fw = map.firewall;
  const first = new Map<string, number>();
  const servicePaths = Object.entries(map.services).map(([name, svc]) => ({ name, svc, segments: svc.path.split('/').filter(Boolean) }));
  fw.managedRuleGroups.forEach((group, i) => {
    const spec = managedRuleGroupSpec(group);
    const at = `firewall.managedRuleGroups[${i}]`;
    if (first.has(spec.name)) problems.push(`${at}: "${spec.name}" is listed twice`);
    else first.set(spec.name, i);
    spec.excludedRules.forEach((rule, j) => {
      if (spec.excludedRules.indexOf(rule) !== j) problems.push(`${at}.excludedRules[${j}]: "${rule}" is listed twice`);
      const action = spec.ruleActionOverrides[rule];
      if (action) problems.push(`${at}.excludedRules[${j}]: "${rule}" is also in ruleActionOverrides ("${action}"); an excluded rule only counts: keep it in one of the two`);
    });
    const known = BLOCKING_RULES[spec.name];
    for (const [field, rules] of [['ruleActionOverrides', Object.keys(spec.ruleActionOverrides)], ['excludedRules', spec.excludedRules]] as const) {
      for (const rule of known ? rules : []) {
        if (known.includes(rule)) continue;
        const sameInOtherCase = known.find((k) => k.toLowerCase() === rule.toLowerCase());
        if (sameInOtherCase) problems.push(`${at}.${field}: "${rule}" is not a rule of ${spec.name}; rule names are case-sensitive (did you mean "${sameInOtherCase}"?)`);
        else warnings.push(mapWarning('managed-rule-name-unknown', `${at}.${field}: "${rule}" is not one of the rules of ${spec.name} the gateway knows (${known.join(', ')}); check its name with the WAF DescribeManagedRuleGroup API`));
      }
    }
    if (!spec.scopeDown) return;
    const { services = [], pathPrefixes = [] } = spec.scopeDown;
    if (services.length === 0 && pathPrefixes.length === 0) problems.push(`${at}.scopeDown: name the services or the pathPrefixes the group applies to`);
    const names = Object.keys(map.services).sort();
    services.forEach((name, j) => {
      const svc = map.services[name];
      if (!svc) problems.push(`${at}.scopeDown.services[${j}]: "${name}" is not a service of the map (valid: ${names.join(', ')})`);
      else if (map.frontDoor === 'http' && svc.url) {
        problems.push(`${at}.scopeDown.services[${j}]: "${name}" is a "url" service; on the HTTP front door its requests never pass the web ACL (it sits on the internal ALB)`);
      }
    });
    pathPrefixes.forEach((prefix, j) => {
      const segments = prefix.split('/').filter(Boolean);
      // Inside a service's path (the service's own requests), or above one (several services).
      const related = servicePaths.filter((s) => {
        const n = Math.min(segments.length, s.segments.length);
        return segments.slice(0, n).join('/') === s.segments.slice(0, n).join('/');
      });
      if (related.length === 0) {
        problems.push(`${at}.scopeDown.pathPrefixes[${j}]: "${prefix}" is not a path of any service, so the group would never apply (service paths: ${servicePaths.map((s) => s.svc.path).sort().join(', ')})`);
        return;
      }
      const unseen = map.frontDoor === 'http' ? related.filter((s) => s.svc.stripPrefix || s.svc.url).map((s) => s.name) : [];
      if (unseen.length > 0) {
        problems.push(
          `${at}.scopeDown.pathPrefixes[${j}]: on the HTTP front door the web ACL sees the path the ALB gets, which for services.${unseen.join(', services.')} is not "${prefix}" (stripPrefix, or a "url" service that never passes the ALB); use scopeDown.services, or a prefix of other services`,
        );
      }
    });
  });
  const limit = fw.bodyInspectionLimitKb;
  if (limit !== undefined && map.frontDoor === 'http' && limit !== 8) {
    problems.push(`firewall.bodyInspectionLimitKb: ${limit} needs the REST front door; on the HTTP front door the web ACL sits on the ALB, which always sends WAF the first 8 KB of a body (valid: 8, or set frontDoor to "rest")`);
  }
  if (limit === 8 && map.frontDoor === 'rest') {
    problems.push('firewall.bodyInspectionLimitKb: 8 is the ALB\'s fixed limit; on the REST front door API Gateway sends WAF 16 (default), 32, 48 or 64 KB');
  }
}

/** Rules the web ACL could never apply where it sits (on the REST stage, or on the ALBs of the HTTP front door). */
function checkFirewallPlacement(map: ResolvedServiceMap, problems: string[], warnings: MapWarning[]): void {
  if (map.frontDoor !== 'http') return;
  const onAlb = 'the web ACL sits on the internal ALB (HTTP APIs cannot carry one)';
  map.firewall.managedRuleGroups.map((g) => managedRuleGroupSpec(g).name).forEach((group, i) => {
    if (SOURCE_ADDRESS_RULE_GROUPS.includes(group)) {
      problems.push(
        `firewall.managedRuleGroups[${i}]: "${group}" judges the connection's source address, which on the HTTP front door is always the VPC link's (${onAlb}), so it would never match; remove it, or set frontDoor to "rest"`,
      );
    }
  });
  const urlServices = Object.keys(map.services).filter((name) => map.services[name].url).sort();
  for (const name of urlServices) {
    if (map.services[name].rateLimits.length > 0) {
      problems.push(`services.${name}.rateLimits: WAF cannot limit a "url" service on the HTTP front door: ${onAlb} and this service's requests never pass it; use throttle, or set frontDoor to "rest"`);
    }
  }
  if (urlServices.length > 0) {
    warnings.push(mapWarning('url-bypasses-firewall',
      `firewall: on the HTTP front door ${onAlb}; requests to "url" services (${urlServices.join(', ')}) never pass it, so no WAF rule applies to them (API Gateway throttles still do; set frontDoor to "rest" to put the web ACL in front of every service)`,
    ));
  }
}

function isCidr(value: string): boolean {
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (isIPv4(addr)) return n <= 32;
  if (isIPv6(addr)) return n <= 128;
  return false;
}

function checkNetwork(map: ResolvedServiceMap, problems: string[]): void {
  const net = map.network;
  if (net.vpcId && (net.maxAzs !== undefined || net.natGateways !== undefined)) {
    problems.push('network: vpcId imports an existing VPC; maxAzs and natGateways only apply to a new VPC (remove them or vpcId)');
  }
  if (net.availabilityZones && (net.vpcId || net.maxAzs !== undefined)) problems.push(`network.availabilityZones: a new VPC's AZs; leave out ${net.vpcId ? 'vpcId' : 'maxAzs'} (the AZ count is the list's length)`);
  const azs = net.availabilityZones ?? [];
  if (new Set(azs).size !== azs.length) problems.push('network.availabilityZones: an AZ is listed twice');
  if (new Set(azs.map((az) => az.slice(0, -1))).size > 1) problems.push(`network.availabilityZones: ${azs.join(', ')} are not all in one Region`);
  for (const keys of clashingApiKeyOutputs(Object.keys(map.apiKeys))) problems.push(`apiKeys: ${keys.join(' and ')} would share the stack output ${gatewayOutputNames().apiKeyId(keys[0])}; rename one`);
}

function checkDomain(map: ResolvedServiceMap, problems: string[], options: ValidateOptions): void {
  if (map.domain && map.domain.certificateArn === undefined && !options.certificateProvided) {
    problems.push(`domain.certificateArn: required for the custom domain ${quote(map.domain.name)}; give the ARN of its ACM certificate in the stack's Region (or, with the ServiceGateway construct, a certificate object as its certificate prop)`);
  }
  if (map.domain && (map.domain.hostedZoneId === undefined) !== (map.domain.zoneName === undefined)) {
    problems.push('domain: hostedZoneId and zoneName go together (both for a Route 53 alias, or neither)');
  }
  const zone = map.domain?.zoneName?.replace(/\.$/, '');
  if (map.domain && zone && !nameInZone(map.domain.name, zone)) {
    problems.push(`domain.name: ${quote(map.domain.name)} is not inside the zone ${quote(map.domain.zoneName!)} (valid: ${quote(zone)} or a name ending in ${quote(`.${zone}`)})`);
  }
}

/**
 * Whether a DNS name is a zone's apex or below it: at a label boundary, not a plain suffix ("api.badexample.com"
 * is not in "example.com"), and in the same case, as aws-cdk-lib compares them when it names alias records
 * (otherwise it appends the zone: "api.badexample.com.example.com."). Trailing dots do not count.
 */
export function nameInZone(name: string, zoneName: string): boolean {
  const zone = zoneName.replace(/\.$/, '');
  const host = name.replace(/\.$/, '');
  return host === zone || host.endsWith(`.${zone}`);
}

function checkCors(map: ResolvedServiceMap, problems: string[]): void {
  if (map.cors?.allowCredentials && map.cors.allowOrigins.includes('*')) {
    problems.push('cors.allowCredentials: browsers reject credentials with allowOrigins "*"; list the origins');
  }
}

/** The JSON Schema of the map as a user writes it (defaults are optional), for editors. */
export function serviceMapJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(serviceMapSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
