/**
 * Validation of a service map: the zod schema's per-field checks plus the checks that span fields.
 * Every problem is gathered and reported at once, each as `<field path>: <what is wrong and what would
 * be valid>`, before any construct is created.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { effectiveAuth, rateRuleName, routeKeys } from './conventions';
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU, MAX_HEADER_CONDITION_VALUE, SOURCE_ADDRESS_RULE_GROUPS } from './limits';
import { type GatewayPlacement, placeServices } from './placement';
import { describeInput, ResolvedServiceMap, serviceMapSchema, ServiceMap, serviceSchema } from './schema';

/** Thrown for a map that cannot be synthesized; `problems` lists every problem found. */
export class ServiceMapError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid service map (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ServiceMapError';
  }
}

/**
 * What the map checks found: every problem, the warnings, and (when the map parsed) the map with its
 * defaults and where each service goes. The gateway plan (`lib/plan`) adds the checks that count what
 * the plan builds (web ACL capacity) and throws `ServiceMapError` when there is any problem.
 */
export interface MapCheck {
  readonly problems: readonly string[];
  /** Things that synthesize but deserve attention (quotas to raise, extra charges); placement's are in `placement`. */
  readonly warnings: readonly string[];
  /** The map with every default filled in; absent when it did not parse. */
  readonly map?: ResolvedServiceMap;
  /** Where each service goes (nested stack, ALB, priority), worked out once, here. */
  readonly placement?: GatewayPlacement;
  /** The firewall is on and its rules are well formed, so the web ACL can be built and its capacity counted. */
  readonly firewallCountable: boolean;
}

/** Formats a zod issue path the way a user would point at the field: `services.payment.container.cpu`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(map)';
}

/**
 * Checks a map as a user wrote it (TypeScript object, parsed JSON or YAML) and fills in defaults. Never
 * throws: `validateServiceMap` / `planGateway` (lib/plan) report the problems.
 */
export function checkServiceMap(input: unknown): MapCheck {
  const parsed = serviceMapSchema.safeParse(input, { error: fallbackMessage });
  if (!parsed.success) {
    // Field problems do not stop the cross-field checks whose fields did parse (the services that parse
    // on their own, the blocks a check reads): the user still sees, in one run, every problem that can be known.
    const problems = parsed.error.issues.map(formatIssue);
    const { map, parsedBlocks } = parseableBlocks(input);
    const parsedAll = (...blocks: Array<keyof ResolvedServiceMap>) => blocks.every((b) => parsedBlocks.has(b));
    const raw = input as ServiceMap;
    checkServices(map, raw, problems);
    if (parsedAll('auth', 'frontDoor')) checkAuth(map, problems);
    if (parsedAll('auth', 'frontDoor', 'usagePlans', 'apiKeys')) checkFrontDoorFeatures(map, raw, problems);
    if (parsedAll('network')) checkNetwork(map, problems);
    if (parsedAll('domain')) checkDomain(map, problems);
    if (parsedAll('cors')) checkCors(map, problems);
    // The firewall checks count rules and capacity over every service: they need the whole map.
    return { problems: dedupe(problems), warnings: [], firewallCountable: false };
  }
  const map = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const raw = input as ServiceMap;

  checkServices(map, raw, problems);
  checkAuth(map, problems);
  checkNativeAuthorizer(map, warnings);
  checkUnusedApiKeys(map, warnings);
  checkFrontDoorFeatures(map, raw, problems);
  const firewallCountable = checkFirewall(map, problems, warnings);
  checkNetwork(map, problems);
  checkDomain(map, problems);
  checkCors(map, problems);
  // Placement problems (clashing pinned priorities, a full ALB, the integration limit) in the same run.
  const placement = placeServices(map);
  problems.push(...placement.problems);

  return { problems, warnings, map, placement, firewallCountable };
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
function parseableBlocks(input: unknown): { map: ResolvedServiceMap; parsedBlocks: ReadonlySet<string> } {
  const parsedBlocks = new Set<string>();
  const map: Record<string, unknown> = { services: parseableServices(input) };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { map: map as ResolvedServiceMap, parsedBlocks };
  for (const [key, schema] of Object.entries(serviceMapSchema.shape)) {
    if (key === 'services') continue;
    const block = (schema as z.ZodType).safeParse((input as Record<string, unknown>)[key]);
    if (!block.success) continue;
    parsedBlocks.add(key);
    map[key] = block.data;
  }
  return { map: map as ResolvedServiceMap, parsedBlocks };
}

function parseableServices(input: unknown): ResolvedServiceMap['services'] {
  const services = (input as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') return {};
  const out: ResolvedServiceMap['services'] = {};
  for (const [name, value] of Object.entries(services)) {
    const svc = serviceSchema.safeParse(value);
    if (svc.success) out[name] = svc.data;
  }
  return out;
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

function checkServices(map: ResolvedServiceMap, raw: ServiceMap, problems: string[]): void {
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
    } else {
      for (const field of ['scaling', 'loadBalancing', 'priority'] as const) {
        if (rawSvc[field] !== undefined) problems.push(`${at}.${field}: only applies to "container" services, not "url" services`);
      }
    }

    // The route key is the value of the ALB rule's header condition, which AWS caps at 128 characters.
    const longest = routeKeys(svc.path)[1];
    if (longest.length > MAX_HEADER_CONDITION_VALUE) {
      problems.push(`${at}.path: "${svc.path}" is ${svc.path.length} characters; at most ${MAX_HEADER_CONDITION_VALUE - longest.length + svc.path.length} (its route key "${longest}" is an ALB header-condition value, at most ${MAX_HEADER_CONDITION_VALUE} characters)`);
    }
    const segments = svc.path.toLowerCase().split('/').filter(Boolean);
    for (const other of seenPaths) {
      const shorter = Math.min(segments.length, other.segments.length);
      const samePrefix = segments.slice(0, shorter).join('/') === other.segments.slice(0, shorter).join('/');
      if (!samePrefix) continue;
      const what = segments.length === other.segments.length ? 'duplicates' : 'overlaps';
      problems.push(`${at}.path: "${svc.path}" ${what} the path of services.${other.name} ("${map.services[other.name].path}"); give each service its own prefix`);
    }
    seenPaths.push({ name, segments });
  }
}

/**
 * API Gateway's own JWT authorizer differs from the bundled one in ways a map cannot express: it finds
 * keys through the issuer's OIDC discovery, verifies RSA signatures only, and lets a token through with
 * any one of a route's scopes (the bundled authorizer requires all of them).
 */
function checkNativeAuthorizer(map: ResolvedServiceMap, warnings: string[]): void {
  const jwt = map.auth.jwt;
  if (map.auth.authorizer !== 'native' || !jwt) return;
  if (jwt.jwksUri) {
    warnings.push('auth.jwt.jwksUri: the native JWT authorizer ignores it and reads the keys from the issuer\'s /.well-known/openid-configuration; use authorizer "lambda" to fetch this URL');
  }
  const nonRsa = jwt.algorithms.filter((alg) => !/^(RS|PS)/.test(alg));
  if (nonRsa.length > 0) {
    warnings.push(`auth.jwt.algorithms: the native JWT authorizer verifies RSA signatures only; tokens signed with ${nonRsa.join(', ')} will be rejected (use authorizer "lambda" for them)`);
  }
  for (const [name, svc] of Object.entries(map.services)) {
    if (svc.scopes.length > 1 && effectiveAuth(map, svc) === 'jwt') {
      warnings.push(`services.${name}.scopes: the native JWT authorizer lets a token through with any one of ${svc.scopes.join(', ')}, not all of them (use authorizer "lambda" to require all)`);
    }
  }
}

function checkAuth(map: ResolvedServiceMap, problems: string[]): void {
  const defaultMode = map.auth.default ?? (map.auth.jwt ? 'jwt' : 'none');
  if (map.auth.default === 'jwt' && !map.auth.jwt) problems.push('auth.default: "jwt" needs auth.jwt (issuer, audience)');
  if (map.auth.authorizer === 'native' && map.frontDoor === 'rest') {
    problems.push('auth.authorizer: "native" JWT authorizers exist only on the HTTP front door; use "lambda" or set frontDoor to "http"');
  }
  for (const [name, svc] of Object.entries(map.services)) {
    const mode = svc.auth ?? defaultMode;
    if (mode === 'jwt' && !map.auth.jwt) problems.push(`services.${name}.auth: "jwt" needs auth.jwt (issuer, audience) in the map`);
    if (svc.scopes.length > 0 && mode !== 'jwt') problems.push(`services.${name}.scopes: scopes need auth "jwt" (this service uses "${mode}")`);
  }
}

/** Usage plans meter API keys, and API Gateway asks for a key only on apiKey services. */
function checkUnusedApiKeys(map: ResolvedServiceMap, warnings: string[]): void {
  if (map.frontDoor !== 'rest' || Object.keys(map.usagePlans).length === 0) return;
  if (Object.values(map.services).some((s) => effectiveAuth(map, s) === 'apiKey')) return;
  warnings.push('usagePlans: no service uses auth "apiKey", so no request needs a key and the plans\' throttles and quotas never apply; set auth "apiKey" on the services they should meter');
}

function checkFrontDoorFeatures(map: ResolvedServiceMap, raw: ServiceMap, problems: string[]): void {
  if (map.frontDoor === 'rest') {
    for (const [key, value] of Object.entries(map.apiKeys)) {
      if (!map.usagePlans[value.plan]) {
        const plans = Object.keys(map.usagePlans);
        problems.push(`apiKeys.${key}.plan: "${value.plan}" is not a usage plan (valid: ${plans.length ? plans.join(', ') : 'define one in usagePlans'})`);
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
function checkFirewall(map: ResolvedServiceMap, problems: string[], warnings: string[]): boolean {
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
      if (!isCidr(cidr)) problems.push(`firewall.${field}[${i}]: "${cidr}" is not an IPv4 or IPv6 CIDR (e.g. "203.0.113.0/24", "2001:db8::/32")`);
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
  fw.managedRuleGroups.forEach((group, i) => {
    if (fw.managedRuleGroups.indexOf(group) !== i) problems.push(`firewall.managedRuleGroups[${i}]: "${group}" is listed twice`);
  });
  // Capacity counts the rules as built, which needs well-formed rules.
  return problems.length === before;
}

/** Rules the web ACL could never apply where it sits (on the REST stage, or on the ALBs of the HTTP front door). */
function checkFirewallPlacement(map: ResolvedServiceMap, problems: string[], warnings: string[]): void {
  if (map.frontDoor !== 'http') return;
  const onAlb = 'the web ACL sits on the internal ALB (HTTP APIs cannot carry one)';
  map.firewall.managedRuleGroups.forEach((group, i) => {
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
    warnings.push(
      `firewall: on the HTTP front door ${onAlb}; requests to "url" services (${urlServices.join(', ')}) never pass it, so no WAF rule applies to them (API Gateway throttles still do; set frontDoor to "rest" to put the web ACL in front of every service)`,
    );
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
}

function checkDomain(map: ResolvedServiceMap, problems: string[]): void {
  if (map.domain && (map.domain.hostedZoneId === undefined) !== (map.domain.zoneName === undefined)) {
    problems.push('domain: hostedZoneId and zoneName go together (both for a Route 53 alias, or neither)');
  }
  const zone = map.domain?.zoneName?.replace(/\.$/, '');
  // A label boundary, not a plain suffix: "api.badexample.com" is not in "example.com" (CDK would name the record "api.badexample.com.example.com").
  if (map.domain && zone && map.domain.name !== zone && !map.domain.name.endsWith(`.${zone}`)) {
    problems.push(`domain.name: "${map.domain.name}" is not inside the zone "${map.domain.zoneName}" (valid: "${zone}" or a name ending in ".${zone}")`);
  }
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
