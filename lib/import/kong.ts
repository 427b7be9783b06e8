/**
 * Kong declarative config (_format_version 1.1, 2.1, 3.0; YAML or JSON) -> service map. Services and their
 * routes become services; the plugins the map can express become its fields; credentials are never read out.
 */
import type { ServiceDefinition, ServiceMap } from '../service-map/schema';
import { ImportError, MAX_TIMEOUT_MS, asCidr, internalHostReason, mapName, mapPath, uniqueName, wafLimit } from './common';
import type { ImportOptions, ImportOutcome } from './outcome';
import { ImportReport, PLACEHOLDER, type SourceRef } from './report';
import type { YamlSource } from './yaml-source';
import { fitHealthCheck, successCodesFrom, type HealthCheckValues } from './health-check';

type Obj = Record<string, unknown>;
type RateLimit = NonNullable<ServiceDefinition['rateLimits']>[number];
type Path = Array<string | number>;

const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'];
const PERIODS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, month: 2_592_000, year: 31_536_000 };
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*']);
const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);
/** Consumer fields that hold credentials: never read beyond their presence. */
const CREDENTIALS = ['keyauth_credentials', 'jwt_secrets', 'basicauth_credentials', 'hmacauth_credentials', 'oauth2_credentials', 'mtls_auth_credentials'];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const refName = (v: unknown): string | undefined => (isObj(v) ? str(v.name) ?? str(v.id) : str(v));

interface KongService {
  readonly raw: Obj;
  readonly path: Path;
  readonly kongName: string;
  name?: string;
  svc?: ServiceDefinition;
  routes: Array<{ raw: Obj; path: Path }>;
}

interface Scope {
  /** Map services the plugin applies to (all for a global plugin). */
  readonly services: KongService[];
  readonly kind: 'global' | 'service' | 'route' | 'consumer';
  readonly consumer?: string;
  readonly label: string;
}

interface Limit {
  readonly count: number;
  readonly periodSeconds: number;
  readonly unit: string;
}

export function importKong(source: YamlSource, options: ImportOptions): ImportOutcome {
  const root = source.value as Obj;
  const report = new ImportReport();
  const at = (path: Path): SourceRef => ({ file: source.file, line: source.lineOf(path) });
  const rawVersion = root._format_version;
  const version = typeof rawVersion === 'number' ? rawVersion.toFixed(1) : str(rawVersion);
  if (!version || !FORMAT_VERSIONS.includes(version)) {
    throw new ImportError(source.file, source.lineOf(['_format_version']), `_format_version ${JSON.stringify(rawVersion)} is not one this import reads (valid: ${FORMAT_VERSIONS.map((v) => `"${v}"`).join(', ')})`);
  }
  report.mapped(at(['_format_version']), `_format_version ${version}`, 'services', version === '3.0' ? 'regex paths start with "~"' : 'regex paths are told by their characters (before 3.0)');
  for (const key of Object.keys(root).filter((k) => k.startsWith('_') && k !== '_format_version')) {
    report.none(at([key]), key, 'a decK/Kong processing setting', 'none needed');
  }

  // --- services and their routes ---------------------------------------------------------------
  const services: KongService[] = list(root.services).map((raw, i) => {
    if (!isObj(raw)) throw new ImportError(source.file, source.lineOf(['services', i]), 'services[] entries must be objects');
    return { raw, path: ['services', i], kongName: str(raw.name) ?? str(raw.id) ?? `service-${i + 1}`, routes: list(raw.routes).map((r, j) => ({ raw: r as Obj, path: ['services', i, 'routes', j] })) };
  });
  const byName = new Map(services.map((s) => [s.kongName, s]));
  list(root.routes).forEach((r, j) => {
    const ref = refName((r as Obj).service);
    const svc = ref ? byName.get(ref) : undefined;
    if (!svc) throw new ImportError(source.file, source.lineOf(['routes', j, 'service']), `route names service "${ref ?? ''}", which the file does not define`);
    svc.routes.push({ raw: r as Obj, path: ['routes', j] });
  });
  const upstreams = new Map(list(root.upstreams).map((u, i) => [str((u as Obj).name) ?? '', { raw: u as Obj, path: ['upstreams', i] as Path }]));

  const names = new Set<string>();
  const map: ServiceMap = { name: options.name ?? 'gateway', services: {} };
  const regex = (p: string) => (version === '3.0' ? p.startsWith('~') : /[()[\]*+?^$|\\{}]/.test(p));

  for (const s of services) {
    const usable: Array<{ path: string; route: KongService['routes'][number]; raw: string; index: number }> = [];
    for (const route of s.routes) {
      const paths = list(route.raw.paths).map(String);
      const label = `route ${str(route.raw.name) ?? route.path.join('.')}`;
      if (paths.length === 0) {
        const by = route.raw.hosts ? 'host names' : route.raw.methods ? 'methods only' : route.raw.headers ? 'headers' : 'no paths';
        report.none(at(route.path), label, `a route by ${by}: the map routes by path prefix`, by === 'host names' ? 'a gateway per host name (domain)' : 'give the route a path');
        continue;
      }
      paths.forEach((p, index) => {
        const mp = regex(p) ? undefined : mapPath(p);
        if (mp) usable.push({ path: mp, route, raw: p, index });
        else report.none(at([...route.path, 'paths', index]), `${label} path ${p}`, regex(p) ? 'a regular-expression path: the map routes by prefix' : `"${p}" is not a map path`, 'a prefix path');
      });
    }
    const chosen = usable.find((u) => !Object.values(map.services).some((o) => o.path === u.path));
    if (!chosen) {
      report.none(at(s.path), `service ${s.kongName}`, s.routes.length === 0 ? 'no route reaches it' : 'no route path the map can use', 'add a prefix route');
      continue;
    }
    for (const u of usable) {
      if (u !== chosen) report.none(at([...u.route.path, 'paths', u.index]), `route ${str(u.route.raw.name) ?? ''} path ${u.raw}`, 'a service has one path prefix in the map', `a second service for ${u.path}, or put it below ${chosen.path}`);
    }
    const name = uniqueName(mapName(s.kongName, 32, 'service'), names, 32);
    s.name = name;
    const svc: ServiceDefinition = { path: chosen.path } as ServiceDefinition;
    s.svc = svc;
    map.services[name] = svc;
    const route = chosen.route.raw;
    const strip = route.strip_path === undefined ? true : route.strip_path === true;
    svc.stripPrefix = strip;
    report.mapped(at([...chosen.route.path, 'paths', chosen.index]), `route ${str(route.name) ?? ''} path ${chosen.raw}`, `services.${name}.path`, `prefix ${chosen.raw} -> ${chosen.path}`);
    report.mapped(at([...chosen.route.path, 'strip_path']), `strip_path ${strip}${route.strip_path === undefined ? ' (Kong default)' : ''}`, `services.${name}.stripPrefix`, '');
    for (const r of s.routes) routeFields(r, name);
    backend(s, name, svc);
    serviceFields(s, name, svc);
  }

  function routeFields(route: KongService['routes'][number], name: string): void {
    const r = route.raw;
    const label = `route ${str(r.name) ?? ''}`;
    if (r.methods) report.none(at([...route.path, 'methods']), `${label} methods ${list(r.methods).join(',')}`, 'a service routes every method (ANY)', 'reject other methods in the backend');
    if (r.hosts) report.none(at([...route.path, 'hosts']), `${label} hosts`, 'host-based routing: the gateway has one domain', 'a gateway per host name');
    if (r.headers) report.none(at([...route.path, 'headers']), `${label} headers`, 'header-based routing', 'a separate path prefix');
    for (const key of ['preserve_host', 'regex_priority', 'path_handling', 'https_redirect_status_code', 'request_buffering', 'response_buffering', 'snis', 'sources', 'destinations']) {
      if (r[key] !== undefined) report.none(at([...route.path, key]), `${label} ${key}`, 'API Gateway decides this itself', 'none needed');
    }
    if (r.protocols && !list(r.protocols).some((p) => p === 'https' || p === 'http')) {
      report.none(at([...route.path, 'protocols']), `${label} protocols ${list(r.protocols).join(',')}`, 'API Gateway proxies HTTP(S) only', 'a Network Load Balancer for TCP/gRPC');
    }
    void name;
  }

  function backend(s: KongService, name: string, svc: ServiceDefinition): void {
    const raw = s.raw;
    let protocol = str(raw.protocol) ?? 'http';
    let host = str(raw.host);
    let port = typeof raw.port === 'number' ? raw.port : undefined;
    let path = str(raw.path);
    const field = raw.url !== undefined ? 'url' : 'host';
    if (raw.url !== undefined) {
      try {
        const u = new URL(String(raw.url));
        protocol = u.protocol.replace(':', '');
        host = u.hostname;
        port = u.port ? Number(u.port) : undefined;
        path = u.pathname === '/' ? undefined : u.pathname;
        if (u.username || u.password) report.none(at([...s.path, 'url']), `service ${s.kongName} url credentials`, 'credentials in the URL are not copied', 'authenticate the gateway to the backend another way');
      } catch {
        throw new ImportError(source.file, source.lineOf([...s.path, 'url']), `service ${s.kongName}: url is not a URL`);
      }
    }
    if (!host) throw new ImportError(source.file, source.lineOf(s.path), `service ${s.kongName} has neither url nor host`);
    const up = upstreams.get(host);
    const fieldsAt = at([...s.path, field]);
    if (up || internalHostReason(host)) {
      const targets = up ? list(up.raw.targets).map((t) => str((t as Obj).target) ?? '') : [];
      const targetPort = Number(targets[0]?.match(/:(\d+)$/)?.[1] ?? port ?? (protocol === 'https' ? 443 : 8000));
      svc.container = { image: PLACEHOLDER.image(name), port: port ?? targetPort };
      report.placeholder(`services.${name}.container.image`, PLACEHOLDER.image(name), `the image that runs service ${s.kongName} (${up ? `upstream "${host}" lists targets, not an image` : internalHostReason(host)})`);
      report.mapped(fieldsAt, `service ${s.kongName} ${field}`, [`services.${name}.container`, `services.${name}.container.port`], `${up ? `upstream "${host}"` : internalHostReason(host)}: API Gateway cannot reach it, so the service runs on Fargate behind the internal ALB, port ${port ?? targetPort}`);
      if (path) report.none(at([...s.path, field]), `service ${s.kongName} path ${path}`, 'the backend path prefix is not added for container services', 'serve the API under the path the gateway sends');
      if (up) upstream(up, name, svc);
      return;
    }
    svc.url = `https://${host}${port && port !== 443 && port !== 80 ? `:${port}` : ''}${path ? path.replace(/\/+$/, '') : ''}`;
    report.mapped(fieldsAt, `service ${s.kongName} ${field}`, `services.${name}.url`, protocol === 'https' ? 'an HTTP proxy integration to the public URL' : `the map's URL backends are https:// only: ${host} must answer HTTPS (or run it as a container service)`);
  }

  /**
   * healthchecks.active -> container.healthCheck. Kong keeps an interval per state (0 turns that state's probing off);
   * the ALB has one interval for both, so the shorter probing one is taken.
   */
  function activeHealthCheck(active: Obj, path: Path, name: string, svc: ServiceDefinition): void {
    const field = `services.${name}.container.healthCheck`;
    const healthy = isObj(active.healthy) ? active.healthy : {};
    const unhealthy = isObj(active.unhealthy) ? active.unhealthy : {};
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const given: HealthCheckValues = {};
    const from: Partial<Record<keyof HealthCheckValues, Path>> = {};
    const intervals = ([['healthy', num(healthy.interval)], ['unhealthy', num(unhealthy.interval)]] as const).filter(([, v]) => v !== undefined && v > 0);
    if (intervals.length) {
      const [state, interval] = intervals.reduce((a, b) => (b[1]! < a[1]! ? b : a));
      given.intervalSeconds = interval;
      from.intervalSeconds = [...path, state, 'interval'];
    }
    for (const state of ['healthy', 'unhealthy'] as const) {
      const v = num((state === 'healthy' ? healthy : unhealthy).interval);
      if (v === 0) report.none(at([...path, state, 'interval']), `healthchecks.active.${state}.interval 0`, `Kong does not probe ${state} targets; the ALB always probes every target`, `${field}.intervalSeconds`);
      else if (v !== undefined && from.intervalSeconds?.[path.length] !== state) report.mapped(at([...path, state, 'interval']), `healthchecks.active.${state}.interval ${v}`, `${field}.intervalSeconds`, 'the ALB has one interval for all targets: the shorter one is used');
    }
    if (num(healthy.successes)) { given.healthyThresholdCount = num(healthy.successes); from.healthyThresholdCount = [...path, 'healthy', 'successes']; }
    // The ALB counts every failed check alike: HTTP status, TCP error and timeout.
    const failures = (['http_failures', 'tcp_failures', 'timeouts'] as const).filter((k) => num(unhealthy[k]));
    if (failures.length) {
      const k = failures.includes('http_failures') ? 'http_failures' : failures[0];
      given.unhealthyThresholdCount = num(unhealthy[k]);
      from.unhealthyThresholdCount = [...path, 'unhealthy', k];
      for (const other of failures.filter((f) => f !== k)) report.mapped(at([...path, 'unhealthy', other]), `healthchecks.active.unhealthy.${other} ${String(unhealthy[other])}`, `${field}.unhealthyThresholdCount`, `the ALB counts every kind of failed check alike: ${k} is used`);
    }
    if (num(active.timeout) !== undefined) { given.timeoutSeconds = num(active.timeout); from.timeoutSeconds = [...path, 'timeout']; }
    if (Array.isArray(healthy.http_statuses)) {
      const { matcher, dropped } = successCodesFrom(healthy.http_statuses.map(Number));
      if (matcher) { given.successCodes = matcher; from.successCodes = [...path, 'healthy', 'http_statuses']; }
      if (dropped.length) report.none(at([...path, 'healthy', 'http_statuses']), `healthchecks.active.healthy.http_statuses ${dropped.join(', ')}`, 'an ALB check passes on HTTP codes from 200 to 499 only', `${field}.successCodes`);
    }
    if (unhealthy.http_statuses !== undefined) report.none(at([...path, 'unhealthy', 'http_statuses']), 'healthchecks.active.unhealthy.http_statuses', 'the ALB fails every code that is not a success code', `${field}.successCodes`);
    for (const key of Object.keys(active).filter((k) => !['healthy', 'unhealthy', 'timeout', 'http_path'].includes(k))) {
      report.none(at([...path, key]), `healthchecks.active.${key}`, key === 'concurrency' ? 'the ALB sets its own probing concurrency' : key === 'type' ? 'the ALB checks over the target group\'s protocol (HTTP)' : 'not something the ALB health check takes', 'the ALB health check');
    }
    const fitted = fitHealthCheck(given);
    for (const [f, v] of Object.entries(fitted.value) as Array<[keyof HealthCheckValues, number | string]>) {
      const src = from[f];
      const note = fitted.notes[f] || `${v}${f.endsWith('Seconds') ? ' s' : ''}`;
      if (src) report.mapped(at(src), `healthchecks.active.${src.slice(path.length).join('.')} ${Array.isArray(get(src)) ? (get(src) as unknown[]).join(',') : String(get(src))}`, `${field}.${f}`, note);
      else report.mapped(at(path), 'healthchecks.active', `${field}.${f}`, `set so that the check validates: the map's default ${note}`);
    }
    if (Object.keys(fitted.value).length) (svc.container as Obj).healthCheck = fitted.value;
    function get(p: Path): unknown {
      return p.slice(path.length).reduce<unknown>((o, k) => (isObj(o) ? o[k as string] : undefined), active);
    }
  }

  function upstream(up: { raw: Obj; path: Path }, name: string, svc: ServiceDefinition): void {
    const u = up.raw;
    const targets = list(u.targets);
    report.mapped(at(up.path), `upstream ${str(u.name)}`, `services.${name}.container`, `${targets.length} target(s) become Fargate tasks`);
    if (targets.length >= 2) {
      svc.scaling = { minTasks: targets.length, maxTasks: Math.max(4, targets.length) };
      report.mapped(at([...up.path, 'targets']), 'targets', `services.${name}.scaling.minTasks`, `${targets.length} targets -> at least ${targets.length} tasks`);
    }
    const algorithm = str(u.algorithm);
    if (algorithm === 'least-connections' || algorithm === 'latency') {
      svc.loadBalancing = { algorithm: 'least_outstanding_requests' };
      report.mapped(at([...up.path, 'algorithm']), `algorithm ${algorithm}`, `services.${name}.loadBalancing.algorithm`, 'least outstanding requests');
    } else if (algorithm === 'consistent-hashing') {
      report.none(at([...up.path, 'algorithm']), 'algorithm consistent-hashing', 'the ALB does not hash clients to targets', `services.${name}.loadBalancing.stickinessSeconds`);
    } else if (algorithm) report.mapped(at([...up.path, 'algorithm']), `algorithm ${algorithm}`, `services.${name}.loadBalancing.algorithm`, 'round robin (the default)');
    const active = isObj(u.healthchecks) && isObj(u.healthchecks.active) ? u.healthchecks.active : undefined;
    if (active && typeof active.http_path === 'string' && /^\/[A-Za-z0-9._~/-]*$/.test(active.http_path)) {
      (svc.container as Obj).healthCheckPath = active.http_path;
      report.mapped(at([...up.path, 'healthchecks', 'active', 'http_path']), 'healthchecks.active.http_path', `services.${name}.container.healthCheckPath`, '');
    }
    if (active) activeHealthCheck(active, [...up.path, 'healthchecks', 'active'], name, svc);
    if (isObj(u.healthchecks) && u.healthchecks.passive !== undefined) report.none(at([...up.path, 'healthchecks', 'passive']), 'healthchecks.passive', 'the ALB checks targets actively only', 'the ALB health check');
    for (const key of ['hash_on', 'hash_fallback', 'slots', 'host_header']) {
      if (u[key] !== undefined) report.none(at([...up.path, key]), key, 'the ALB balances targets itself', 'none needed');
    }
  }

  function serviceFields(s: KongService, name: string, svc: ServiceDefinition): void {
    const r = s.raw;
    if (typeof r.read_timeout === 'number') {
      svc.timeoutMs = Math.max(50, Math.min(r.read_timeout, MAX_TIMEOUT_MS));
      report.mapped(at([...s.path, 'read_timeout']), `service ${s.kongName} read_timeout ${r.read_timeout}`, `services.${name}.timeoutMs`, r.read_timeout > MAX_TIMEOUT_MS ? `${r.read_timeout} ms capped at ${MAX_TIMEOUT_MS} ms, API Gateway's integration timeout (REST; HTTP APIs allow 30 s): slower responses fail with 504` : `${r.read_timeout} ms`);
    }
    for (const key of ['connect_timeout', 'write_timeout', 'retries', 'tls_verify', 'tls_verify_depth', 'ca_certificates', 'client_certificate']) {
      if (r[key] !== undefined) report.none(at([...s.path, key]), `service ${s.kongName} ${key}`, 'API Gateway has one integration timeout and manages connections', `services.${name}.timeoutMs`);
    }
  }

  const mapped = services.filter((s) => s.svc);
  if (mapped.length === 0) throw new ImportError(source.file, source.lineOf(['services']), 'no service with a route path the map can use: nothing to import');

  // --- plugins ---------------------------------------------------------------------------------
  const routeOwner = new Map<string, KongService>();
  for (const s of services) for (const r of s.routes) for (const k of [str(r.raw.name), str(r.raw.id)]) if (k) routeOwner.set(k, s);
  const plugins: Array<{ raw: Obj; path: Path; scope: Scope }> = [];
  const scopeOf = (kind: Scope['kind'], s?: KongService, consumer?: string): Scope => ({
    kind,
    services: kind === 'global' || kind === 'consumer' ? mapped : s?.svc ? [s] : [],
    consumer,
    label: kind === 'global' ? 'global' : kind === 'consumer' ? `consumer ${consumer}` : `${kind} of ${s?.kongName}`,
  });
  services.forEach((s) => {
    list(s.raw.plugins).forEach((p, i) => plugins.push({ raw: p as Obj, path: [...s.path, 'plugins', i], scope: scopeOf('service', s) }));
    s.routes.forEach((r) => list(r.raw.plugins).forEach((p, i) => plugins.push({ raw: p as Obj, path: [...r.path, 'plugins', i], scope: scopeOf('route', s) })));
  });
  list(root.consumers).forEach((c, ci) => {
    const username = str((c as Obj).username) ?? str((c as Obj).custom_id) ?? `consumer-${ci + 1}`;
    list((c as Obj).plugins).forEach((p, i) => plugins.push({ raw: p as Obj, path: ['consumers', ci, 'plugins', i], scope: scopeOf('consumer', undefined, username) }));
  });
  list(root.plugins).forEach((p, i) => {
    const o = p as Obj;
    const svc = refName(o.service);
    const route = refName(o.route);
    const consumer = refName(o.consumer);
    const scope = svc ? scopeOf('service', byName.get(svc)) : route ? scopeOf('route', routeOwner.get(route)) : consumer ? scopeOf('consumer', undefined, consumer) : scopeOf('global');
    plugins.push({ raw: o, path: ['plugins', i], scope });
  });
  const enabled = plugins.filter((p) => {
    if (p.raw.enabled === false) report.none(at(p.path), `plugin ${str(p.raw.name)} (${p.scope.label})`, 'disabled in Kong', 'none needed');
    return p.raw.enabled !== false;
  });
  const has = (name: string) => enabled.some((p) => p.raw.name === name);

  // Auth first: rate limits by consumer depend on how consumers are identified.
  const keyAuth = enabled.filter((p) => p.raw.name === 'key-auth');
  const jwtPlugins = enabled.filter((p) => p.raw.name === 'jwt' || p.raw.name === 'openid-connect');
  const rest = keyAuth.length > 0 || has('proxy-cache');
  if (rest) map.frontDoor = 'rest';
  const svcOf = (s: KongService) => s.svc!;
  const prefix = (s: KongService) => `services.${s.name}`;
  const consumers = list(root.consumers).map((c, ci) => ({ raw: c as Obj, path: ['consumers', ci] as Path, name: str((c as Obj).username) ?? str((c as Obj).custom_id) ?? `consumer-${ci + 1}` }));

  const gatewayRules: RateLimit[] = [];
  const plans = new Map<string, { rateLimit: number; burstLimit: number; quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' } }>();
  const cors: NonNullable<ServiceMap['cors']> = { allowOrigins: [] };

  for (const p of enabled) {
    const name = str(p.raw.name) ?? '';
    const config = isObj(p.raw.config) ? p.raw.config : {};
    const item = `plugin ${name} (${p.scope.label})`;
    const where = at(p.path);
    const targets = p.scope.services;
    switch (name) {
      case 'key-auth': {
        for (const s of targets) svcOf(s).auth = 'apiKey';
        const keyNames = list(config.key_names).map(String);
        const header = keyNames.length === 0 || keyNames.some((k) => k.toLowerCase() === 'x-api-key') ? '' : `; clients send the key in the x-api-key header instead of ${keyNames.join(' / ')}`;
        report.mapped(where, item, targets.map((s) => `${prefix(s)}.auth`), `auth "apiKey" on the REST front door; API Gateway generates new key values (Kong's keys are not copied)${header}`);
        break;
      }
      case 'jwt':
      case 'openid-connect': {
        for (const s of targets) svcOf(s).auth = 'jwt';
        report.mapped(where, item, [...targets.map((s) => `${prefix(s)}.auth`), 'auth.jwt'], name === 'jwt' ? 'verified by the gateway\'s Lambda authorizer against the issuer\'s keys (consumer secrets are not copied)' : 'issuer and audience from the plugin (client secrets are not copied)');
        if (name === 'openid-connect') {
          const scopes = list(config.scopes_required).map(String);
          if (scopes.length === 1) {
            for (const s of targets) svcOf(s).scopes = scopes[0].split(/\s+/).filter(Boolean);
            report.mapped(at([...p.path, 'config', 'scopes_required']), 'scopes_required', targets.map((s) => `${prefix(s)}.scopes`), 'the token must carry all of them');
          } else if (scopes.length > 1) report.none(at([...p.path, 'config', 'scopes_required']), 'scopes_required (alternatives)', 'the map requires all listed scopes; Kong accepts any one of the alternatives', 'one combined scope');
        }
        break;
      }
      case 'rate-limiting':
      case 'rate-limiting-advanced':
        rateLimit(p, name, config, item, where);
        break;
      case 'acl': {
        const allow = list(config.allow ?? config.whitelist).map(String);
        const jwtTargets = targets.filter((s) => svcOf(s).auth === 'jwt' || (svcOf(s).auth === undefined && jwtPlugins.some((j) => j.scope.kind === 'global')));
        if (allow.length === 1 && jwtTargets.length === targets.length && targets.length > 0) {
          for (const s of targets) svcOf(s).scopes = [...new Set([...(svcOf(s).scopes ?? []), allow[0]])];
          report.mapped(where, item, targets.map((s) => `${prefix(s)}.scopes`), `group "${allow[0]}" -> scope "${allow[0]}": tokens must carry it as a scope (issue it to the group's members)`);
        } else {
          report.none(where, item, allow.length > 1 ? 'several allowed groups: the map requires every scope it lists, Kong any one group' : 'groups of API-key consumers: every key of a usage plan may call every apiKey service', 'auth "jwt" with one scope per service, or a separate gateway for the group');
        }
        break;
      }
      case 'cors': {
        const origins = list(config.origins).map(String);
        cors.allowOrigins.push(...(origins.length ? origins : ['*']));
        const methods = list(config.methods).map((m) => String(m).toUpperCase()).filter((m) => METHODS.has(m));
        if (methods.length) cors.allowMethods = [...new Set([...(cors.allowMethods ?? []), ...methods])] as never;
        const headers = list(config.headers).map((h) => String(h).toLowerCase());
        if (headers.length) cors.allowHeaders = [...new Set([...(cors.allowHeaders ?? []), ...headers])];
        const exposed = list(config.exposed_headers).map((h) => String(h).toLowerCase());
        if (exposed.length) cors.exposeHeaders = [...new Set([...(cors.exposeHeaders ?? []), ...exposed])];
        if (config.credentials === true) cors.allowCredentials = true;
        if (typeof config.max_age === 'number') cors.maxAgeSeconds = Math.min(86400, config.max_age);
        report.mapped(where, item, 'cors', `${p.scope.kind === 'global' ? '' : 'CORS is gateway-wide in the map; '}API Gateway answers the preflight`);
        break;
      }
      case 'proxy-cache': {
        const ttl = Math.min(3600, typeof config.cache_ttl === 'number' ? config.cache_ttl : 300);
        for (const s of targets) svcOf(s).cache = { ttlSeconds: ttl };
        report.mapped(where, item, targets.map((s) => `${prefix(s)}.cache`), `API Gateway response cache on the REST front door, ${ttl} s${config.cache_ttl === undefined ? ' (Kong\'s default)' : ''}${typeof config.cache_ttl === 'number' && config.cache_ttl > 3600 ? ' (API Gateway caches at most 3600 s)' : ''}`);
        break;
      }
      case 'ip-restriction': {
        const allow = list(config.allow ?? config.whitelist).map(String);
        const deny = list(config.deny ?? config.blacklist).map(String);
        const fw = (map.firewall ??= {});
        const bad: string[] = [];
        for (const [values, field] of [[allow, 'allowedIpCidrs'], [deny, 'blockedIpCidrs']] as const) {
          for (const v of values) {
            const cidr = asCidr(v);
            if (cidr) fw[field] = [...new Set([...(fw[field] ?? []), cidr])];
            else bad.push(v);
          }
        }
        report.mapped(where, item, [...(allow.length ? ['firewall.allowedIpCidrs'] : []), ...(deny.length ? ['firewall.blockedIpCidrs'] : [])], `${p.scope.kind === 'global' ? '' : 'the map\'s address lists are gateway-wide; '}${bad.length ? `not addresses, left out: ${bad.join(', ')}` : ''}`);
        break;
      }
      case 'bot-detection': {
        const fw = (map.firewall ??= {});
        fw.managedRuleGroups = [...new Set([...(fw.managedRuleGroups ?? ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']), 'AWSManagedRulesBotControlRuleSet'])] as never;
        report.mapped(where, item, 'firewall.managedRuleGroups', `AWS WAF Bot Control managed rule group (billed per request)${config.allow || config.deny ? '; the plugin\'s own allow/deny user-agent lists are not carried' : ''}`);
        break;
      }
      case 'request-size-limiting':
        report.none(where, item, `API Gateway accepts payloads up to 10 MB (a hard quota)${typeof config.allowed_payload_size === 'number' ? `; Kong allowed ${config.allowed_payload_size} ${str(config.size_unit) ?? 'megabytes'}` : ''}`, 'enforce a smaller limit in the backend; upload larger bodies straight to Amazon S3');
        break;
      default: {
        const [why, nearest] = OTHER_PLUGINS[name] ?? [`the map has no "${name}" setting`, 'review by hand'];
        report.none(where, item, why, nearest);
      }
    }
  }

  function rateLimit(p: (typeof enabled)[number], name: string, config: Obj, item: string, where: SourceRef): void {
    const limits: Limit[] = [];
    if (name === 'rate-limiting') {
      for (const [unit, seconds] of Object.entries(PERIODS)) if (typeof config[unit] === 'number') limits.push({ count: config[unit] as number, periodSeconds: seconds, unit });
    } else {
      const counts = list(config.limit).map(Number);
      list(config.window_size).map(Number).forEach((w, i) => counts[i] !== undefined && limits.push({ count: counts[i], periodSeconds: w, unit: `${w} s` }));
    }
    const by = str(name === 'rate-limiting' ? config.limit_by : config.identifier) ?? 'consumer';
    const targets = p.scope.services;
    if (limits.length === 0) return report.none(where, item, 'no limit set', 'none needed');
    const describe = limits.map((l) => `${l.count} per ${l.unit}`).join(', ');
    const identified = keyAuth.length > 0 ? 'key' : jwtPlugins.length > 0 ? 'jwt' : 'none';
    const waf = (key: RateLimit['key'], headerName?: string): void => {
      // The tightest WAF rule per window.
      const rules = new Map<number, { rule: RateLimit; text: string }>();
      for (const l of limits) {
        const w = wafLimit(l.count, l.periodSeconds);
        const rule: RateLimit = { limit: w.limit, windowSeconds: w.windowSeconds, key, ...(headerName ? { headerName } : {}) };
        const prev = rules.get(w.windowSeconds);
        if (!prev || prev.rule.limit > w.limit) rules.set(w.windowSeconds, { rule, text: w.arithmetic });
      }
      const list2 = [...rules.values()];
      if (p.scope.kind === 'global') gatewayRules.push(...list2.map((r) => r.rule));
      else for (const s of targets) svcOf(s).rateLimits = [...(svcOf(s).rateLimits ?? []), ...list2.map((r) => r.rule)];
      const field = p.scope.kind === 'global' ? ['firewall.rateLimits'] : targets.map((s) => `${prefix(s)}.rateLimits`);
      report.mapped(where, item, field, `WAF rule per ${key === 'header' ? `value of ${headerName}` : key === 'user' ? 'verified JWT subject' : 'client IP'} (limit_by ${by}): ${list2.map((r) => r.text).join('; ')}`);
    };
    // API Gateway's token bucket: the rate is the tightest limit of an hour or less; the bucket holds the shortest
    // window's count (Kong lets a client spend a whole window at once). Day and month limits become quotas or are reported.
    const short = limits.filter((l) => l.periodSeconds <= 3600);
    const basis = short.length ? short : limits;
    const rate = Math.round(Math.min(...basis.map((l) => l.count / l.periodSeconds)) * 1000) / 1000;
    const shortest = basis.reduce((a, b) => (a.periodSeconds <= b.periodSeconds ? a : b));
    const burst = Math.min(1_000_000, Math.max(1, shortest.count));
    const longNote = limits.some((l) => l.periodSeconds > 3600) ? '; limits over more than an hour have no throttle equivalent' : '';
    if (by === 'ip' || (by === 'consumer' || by === 'credential') && identified === 'none') {
      return waf('ip');
    }
    if (by === 'header') {
      const header = str(config.header_name);
      if (!header) return report.none(where, item, 'limit_by header without header_name', 'a WAF rule by header');
      return waf('header', header.toLowerCase());
    }
    if (by === 'service') {
      const throttle = { rateLimit: rate, burstLimit: burst };
      const text = `${describe} -> ${rate} requests per second (the tightest of an hour or less), burst ${burst} (${shortest.count} per ${shortest.unit} may arrive at once)${longNote}`;
      if (p.scope.kind === 'global') {
        map.throttle = throttle;
        return report.mapped(where, item, 'throttle', `${text}; API Gateway's throttle counts all clients together, like limit_by service`);
      }
      for (const s of targets) svcOf(s).throttle = throttle;
      return report.mapped(where, item, targets.map((s) => `${prefix(s)}.throttle`), text);
    }
    if ((by === 'consumer' || by === 'credential') && identified === 'key') {
      const plan = p.scope.kind === 'consumer' ? mapName(p.scope.consumer ?? '', 64, 'consumer') : 'consumers';
      const day = limits.find((l) => l.unit === 'day');
      const month = limits.find((l) => l.unit === 'month');
      const quota = day ? { limit: day.count, period: 'DAY' as const } : month ? { limit: month.count, period: 'MONTH' as const } : undefined;
      const planRate = short.length ? rate : 1000;
      const planBurst = short.length ? burst : 2000;
      plans.set(plan, { rateLimit: planRate, burstLimit: planBurst, ...(quota ? { quota } : {}) });
      const notes = [`usage plan "${plan}": ${planRate} requests per second per key (the tightest of an hour or less), burst ${planBurst}${quota ? `, quota ${quota.limit} per ${quota.period}` : ''}`];
      if (p.scope.kind !== 'consumer' && p.scope.kind !== 'global') notes.push('usage plans meter a key across every service, not one');
      if (limits.some((l) => l.unit === 'year') || (day && month)) notes.push(`usage plan quotas are per day, week or month: only the ${quota?.period.toLowerCase()} limit is the quota`);
      return report.mapped(where, item, [`usagePlans.${plan}`], notes.join('; '));
    }
    if ((by === 'consumer' || by === 'credential') && identified === 'jwt') {
      if (rest) return report.none(where, item, 'on the REST front door WAF runs before the authorizer, so it cannot count per user', 'usagePlans with API keys, or frontDoor "http"');
      return waf('user');
    }
    report.none(where, item, `limit_by ${by} has no equivalent`, 'a per-service throttle');
  }

  // --- consumers: API keys and usage plans; credentials only counted -----------------------------
  if (keyAuth.length > 0) {
    const keys: Record<string, { plan: string }> = {};
    for (const c of consumers) {
      const creds = list(c.raw.keyauth_credentials);
      if (creds.length === 0) continue;
      const key = mapName(c.name, 64, 'consumer');
      const plan = plans.has(key) ? key : 'consumers';
      keys[key] = { plan };
      report.mapped(at(c.path), `consumer ${c.name}`, [`apiKeys.${key}`], `${creds.length} key-auth credential(s) -> one API key in plan "${plan}"; API Gateway generates the key value (Kong's is not copied)`);
    }
    if (!plans.has('consumers')) plans.set('consumers', { rateLimit: map.throttle?.rateLimit ?? 1000, burstLimit: map.throttle?.burstLimit ?? 2000 });
    if (Object.keys(keys).length === 0) keys['imported-client'] = { plan: 'consumers' };
    map.apiKeys = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => a.localeCompare(b)));
  }
  if (plans.size > 0) map.usagePlans = Object.fromEntries([...plans.entries()].sort(([a], [b]) => a.localeCompare(b)));
  for (const c of consumers) {
    for (const cred of CREDENTIALS) {
      if (cred === 'keyauth_credentials' && keyAuth.length > 0) continue;
      if (list(c.raw[cred]).length > 0) report.none(at([...c.path, cred]), `consumer ${c.name} ${cred}`, 'credentials are never copied', cred === 'jwt_secrets' ? 'auth.jwt: the issuer\'s signing keys come from its JWKS URL' : 'new credentials from the new gateway');
    }
    if (list(c.raw.acls).length > 0) report.none(at([...c.path, 'acls']), `consumer ${c.name} acls`, 'group membership', 'scopes in the tokens this consumer gets');
    if (keyAuth.length === 0 && list(c.raw.keyauth_credentials).length === 0 && !list(c.raw.jwt_secrets).length) report.none(at(c.path), `consumer ${c.name}`, 'no API key or token credential', 'none needed');
  }

  if (jwtPlugins.length > 0) {
    const oidc = jwtPlugins.find((p) => p.raw.name === 'openid-connect');
    const config = oidc && isObj(oidc.raw.config) ? oidc.raw.config : {};
    const issuerText = str(config.issuer)?.replace(/\/?\.well-known\/openid-configuration$/, '/');
    const audience = list(config.audience ?? config.audience_required).map(String).filter((a) => /^[^\s,]+$/.test(a));
    const algs = new Set<string>();
    const symmetric = new Set<string>();
    for (const c of consumers) {
      for (const s of list(c.raw.jwt_secrets)) {
        const alg = str((s as Obj).algorithm) ?? 'HS256';
        (ASYMMETRIC.has(alg) ? algs : symmetric).add(alg);
      }
    }
    const issuerOk = issuerText?.startsWith('https://');
    map.auth = { jwt: { issuer: issuerOk ? issuerText! : PLACEHOLDER.issuer, audience: audience.length ? audience : [PLACEHOLDER.audience], ...(algs.size ? { algorithms: [...algs].sort() as never } : {}) } };
    if (!issuerOk) report.placeholder('auth.jwt.issuer', PLACEHOLDER.issuer, 'the "iss" claim of your tokens (Kong\'s jwt plugin matches a consumer credential\'s key, which is not copied)');
    else report.mapped(at([...oidc!.path, 'config', 'issuer']), 'openid-connect issuer', 'auth.jwt.issuer', '');
    if (!audience.length) report.placeholder('auth.jwt.audience', PLACEHOLDER.audience, 'the "aud" values your tokens carry');
    else report.mapped(at([...oidc!.path, 'config']), 'openid-connect audience', 'auth.jwt.audience', '');
    if (algs.size) report.mapped({ file: source.file }, 'consumers\' jwt_secrets algorithms', 'auth.jwt.algorithms', [...algs].sort().join(', '));
    if (symmetric.size) report.none({ file: source.file }, `jwt_secrets with ${[...symmetric].sort().join(', ')}`, 'shared-secret algorithms are never accepted by the authorizer (the secrets are not copied)', 'tokens signed with RS256 or ES256 by an identity provider');
  }

  for (const s of mapped) if (!svcOf(s).auth) svcOf(s).auth = 'none';
  if (gatewayRules.length > 0) map.firewall = { ...(map.firewall ?? {}), rateLimits: gatewayRules };
  if (cors.allowOrigins.length > 0) {
    cors.allowOrigins = [...new Set(cors.allowOrigins)].sort();
    if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
      delete cors.allowCredentials;
      report.none({ file: source.file }, 'cors credentials with origin *', 'browsers refuse credentials with "*"', 'list the origins, then set cors.allowCredentials');
    }
    map.cors = cors;
  }
  if (!rest && Object.values(map.services).some((s) => s.url && (s.rateLimits?.length ?? 0) > 0)) {
    map.frontDoor = 'rest';
  }
  if (map.frontDoor === 'rest') report.mapped({ file: source.file }, 'front door', 'frontDoor', `REST API, for ${[keyAuth.length ? 'API keys' : '', has('proxy-cache') ? 'the response cache' : '', 'WAF on every service'].filter(Boolean).join(', ')}`);

  const certificates = list(root.certificates);
  const sni = certificates.flatMap((c, ci) => list((c as Obj).snis).map((s, si) => ({ name: refName(s) ?? '', path: ['certificates', ci, 'snis', si] as Path })));
  const domain = sni.find((s) => /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(s.name.toLowerCase()));
  if (domain) {
    map.domain = { name: domain.name.toLowerCase(), certificateArn: PLACEHOLDER.certificateArn };
    report.placeholder('domain.certificateArn', PLACEHOLDER.certificateArn, `an ACM certificate for ${domain.name.toLowerCase()} in the stack's Region (import Kong's with "aws acm import-certificate", or request one)`);
    report.mapped(at(domain.path), `sni ${domain.name}`, 'domain.name', '');
    certificates.forEach((_c, ci) => report.mapped(at(['certificates', ci]), `certificate ${ci + 1}`, 'domain.certificateArn', 'placeholder ARN: the certificate and its key are not copied'));
    for (const s of sni) if (s !== domain) report.none(at(s.path), `sni ${s.name}`, 'one custom domain per gateway', 'a second gateway');
  }
  for (const key of ['upstreams', 'consumer_groups', 'vaults', 'ca_certificates', 'workspaces', 'parameters']) {
    if (key === 'upstreams') {
      for (const [n, u] of upstreams) if (!services.some((s) => s.svc?.container && (str(s.raw.host) === n || String(s.raw.url ?? '').includes(`//${n}`)))) report.none(at(u.path), `upstream ${n}`, 'no imported service uses it', 'none needed');
    } else if (root[key] !== undefined) report.none(at([key]), key, `the map has no ${key}`, 'review by hand');
  }
  report.mapped({ file: source.file }, 'gateway name', 'name', options.name ? '--name' : 'no name in Kong\'s file: "gateway" (pass --name to choose one)');
  return { map, report, format: `Kong (_format_version ${version})`, sources: [source.file] };
}

const OTHER_PLUGINS: Record<string, [string, string]> = {
  'basic-auth': ['passwords are never copied, and the gateway has no basic auth', 'auth "apiKey" (REST) or auth "jwt"'],
  'hmac-auth': ['the gateway does not verify HMAC signatures', 'auth "jwt"'],
  oauth2: ['the gateway is not an OAuth 2.0 authorization server', 'auth "jwt" with an identity provider such as Amazon Cognito'],
  'ldap-auth': ['the gateway does not call LDAP', 'auth "jwt" with an identity provider federated to the directory'],
  'mtls-auth': ['the map does not configure mutual TLS', 'API Gateway custom-domain mutual TLS, outside this map'],
  'request-transformer': ['the gateway does not rewrite requests (beyond its own headers and stripPrefix)', 'do it in the backend'],
  'request-transformer-advanced': ['the gateway does not rewrite requests', 'do it in the backend'],
  'response-transformer': ['the gateway does not rewrite responses', 'do it in the backend'],
  'correlation-id': ['API Gateway sets its own request id', 'the access log\'s requestId'],
  prometheus: ['metrics go to CloudWatch', 'alarms and the dashboard the gateway creates'],
  datadog: ['metrics go to CloudWatch', 'alarms and the dashboard the gateway creates'],
  statsd: ['metrics go to CloudWatch', 'alarms and the dashboard the gateway creates'],
  'file-log': ['access logs go to CloudWatch Logs', 'logs.retentionDays'],
  'http-log': ['access logs go to CloudWatch Logs', 'logs.retentionDays, and a subscription filter to forward them'],
  'tcp-log': ['access logs go to CloudWatch Logs', 'logs.retentionDays'],
  'udp-log': ['access logs go to CloudWatch Logs', 'logs.retentionDays'],
  syslog: ['access logs go to CloudWatch Logs', 'logs.retentionDays'],
  'request-termination': ['the gateway does not answer requests itself', 'remove the service, or answer in the backend'],
  'response-ratelimiting': ['limits by upstream response headers', 'a throttle or WAF rate limit'],
  'aws-lambda': ['the map routes to containers and URLs', 'a URL service (Lambda function URL)'],
  'ip-restriction': ['', ''],
  'grpc-gateway': ['API Gateway proxies HTTP only', 'transcode in the backend'],
  zipkin: ['tracing goes to AWS X-Ray', 'rest.xrayTracing'],
  opentelemetry: ['tracing goes to AWS X-Ray', 'rest.xrayTracing'],
};
