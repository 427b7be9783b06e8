/**
 * NGINX configuration -> service map. Each `location` that proxies becomes a service; TLS, rate limits,
 * API-key checks, auth_jwt, CORS headers, timeouts and logs become the map's fields; everything else is reported.
 */
import { domainToASCII } from 'node:url';
import type { ServiceDefinition, ServiceMap } from '../service-map/schema';
import {
  ImportError,
  MAX_PAYLOAD_BYTES,
  MAX_TIMEOUT_MS,
  asCidr,
  durationMs,
  internalHostReason,
  mapName,
  mapPath,
  sizeBytes,
  uniqueName,
  wafLimit,
} from './common';
import { ImportReport, PLACEHOLDER, type SourceRef } from './report';
import { readNginx, visit, type Directive, type NginxFile } from './nginx-source';
import type { ImportOptions, ImportOutcome } from './outcome';

type RateLimit = NonNullable<ServiceDefinition['rateLimits']>[number];

/** What each directive became, collected while mapping and written to the report in source order. */
/** A host name the map's domain.name accepts (lowercase DNS labels). */
const DOMAIN_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/** A server_name in its ASCII DNS form (internationalized labels as punycode); undefined for wildcards, expressions and invalid names. */
function asciiHostName(name: string): string | undefined {
  if (name.includes('*') || name.startsWith('~') || name === '_' || name === '') return undefined;
  return domainToASCII(name.replace(/\.$/, '')) || undefined;
}

class Ledger {
  private readonly carried = new Map<Directive, { fields: Set<string>; notes: string[] }>();
  private readonly missing = new Map<Directive, { why: string; nearest: string }>();
  readonly silent = new Set<Directive>();

  carry(d: Directive, fields: string | readonly string[], note = ''): void {
    const entry = this.carried.get(d) ?? { fields: new Set<string>(), notes: [] };
    for (const f of typeof fields === 'string' ? [fields] : fields) entry.fields.add(f);
    if (note && !entry.notes.includes(note)) entry.notes.push(note);
    this.carried.set(d, entry);
    this.missing.delete(d);
  }

  none(d: Directive, why: string, nearest: string): void {
    if (!this.carried.has(d) && !this.missing.has(d)) this.missing.set(d, { why, nearest });
  }

  seen(d: Directive): boolean {
    return this.carried.has(d) || this.missing.has(d) || this.silent.has(d);
  }

  /** Writes every directive to the report, in source order; those nothing claimed get `fallback`. */
  write(report: ImportReport, all: readonly Directive[], fallback: (d: Directive) => { why: string; nearest: string }): void {
    visit(all, (d, parents) => {
      // Entries of map/geo/types blocks are data (a map's keys may be API keys): the block stands for them.
      if (parents.some((p) => OPAQUE_BLOCKS.has(p.name))) return;
      if (this.silent.has(d)) return;
      const at: SourceRef = { file: d.file, line: d.line };
      const c = this.carried.get(d);
      if (c) return report.mapped(at, itemText(d), [...c.fields], c.notes.join('; '));
      const m = this.missing.get(d) ?? fallback(d);
      report.none(at, itemText(d), m.why, m.nearest);
    });
  }
}

const OPAQUE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'match']);
const OPERATORS = new Set(['=', '!=', '~', '~*', '!~', '!~*', '-f', '!-f', '-d', '!-d', '-e', '!-e', '-x', '!-x', '(', ')']);

/**
 * The directive as the report shows it. Arguments of directives that may carry a credential are left out
 * (kept: variables, operators, on/off), and so is every argument of an `if` comparing against a literal.
 */
export function itemText(d: Directive): string {
  // Everything after a word that names a credential (a header, a variable) may be one: left out.
  let secret = NGINX_SECRET.test(d.name) || d.name === 'if' || d.name === 'set' || d.name === 'map';
  const args = d.args.map((a) => {
    const bare = a.replace(/^\(+|\)+$/g, '');
    const keep = bare.startsWith('$') || OPERATORS.has(bare) || bare === 'on' || bare === 'off';
    const shown = keep || !secret ? (a === '' ? '""' : a) : a.startsWith('(') ? '(…' : a.endsWith(')') ? '…)' : '…';
    if (NGINX_SECRET.test(a)) secret = true;
    // user:password@ in a URL is a credential too.
    return shown.replace(/\/\/[^/@\s]+@/g, '//…@');
  });
  const text = [d.name, ...args].join(' ');
  const short = text.length > 90 ? `${text.slice(0, 87)}…` : text;
  return d.block ? `${short} { … }` : short;
}

const NGINX_SECRET = /(secret|password|passwd|token|api[_-]?key|apikey|_key$|key_file|credential|authorization|auth_basic|cookie)/i;

/** A limit_req_zone: what it counts by and its rate. */
interface Zone {
  readonly d: Directive;
  readonly key: string;
  readonly count: number;
  readonly periodSeconds: number;
}

interface ServiceDraft {
  name: string;
  location: Directive;
  server: Directive;
  svc: ServiceDefinition;
}

const child = (d: Directive | undefined, name: string): Directive[] => (d?.block ?? []).filter((c) => c.name === name);
const first = (d: Directive | undefined, name: string): Directive | undefined => child(d, name)[0];

/** The innermost of location, server, http that sets `name`, and all its directives of that name. */
function effective(levels: readonly (Directive | undefined)[], name: string): Directive[] {
  for (const level of levels) {
    const found = child(level, name);
    if (found.length > 0) return found;
  }
  return [];
}

export function importNginx(files: readonly NginxFile[], options: ImportOptions): ImportOutcome {
  const { directives, main } = readNginx(files);
  const report = new ImportReport();
  const ledger = new Ledger();
  const root: Directive = { name: '[root]', args: [], file: main.file, block: directives };
  const http = first(root, 'http') ?? root;
  if (http !== root) ledger.silent.add(http);
  const servers = child(http, 'server');
  if (servers.length === 0) throw new ImportError(main.file, undefined, 'no "server" block: nothing to import (give the nginx.conf that holds the servers, and the files it includes)');

  const upstreams = new Map(child(http, 'upstream').map((u) => [u.args[0], u]));
  const zones = new Map<string, Zone>();
  for (const z of child(http, 'limit_req_zone')) {
    const zone = z.args.find((a) => a.startsWith('zone='))?.slice(5).split(':')[0];
    const rate = z.args.find((a) => a.startsWith('rate='))?.slice(5).match(/^(\d+(?:\.\d+)?)r\/(s|m)$/);
    if (!zone || !rate) throw new ImportError(z.file, z.line, 'limit_req_zone needs zone=<name>:<size> and rate=<n>r/s or <n>r/m');
    zones.set(zone, { d: z, key: z.args[0], count: Number(rate[1]), periodSeconds: rate[2] === 's' ? 1 : 60 });
  }
  // API keys checked through a map ("map $http_x_api_key $client { ... }"): the output variable stands for the key.
  const keyMaps = child(http, 'map').filter((m) => isApiKeyVariable(m.args[0] ?? ''));
  const keyVariables = new Set([...API_KEY_VARIABLES, ...keyMaps.map((m) => m.args[1])]);

  const map: ServiceMap = { name: options.name ?? 'gateway', services: {} };
  const drafts: ServiceDraft[] = [];
  const names = new Set<string>();
  const paths = new Map<string, ServiceDraft>();

  // --- services from locations -------------------------------------------------------------
  for (const server of servers) {
    ledger.silent.add(server);
    for (const location of child(server, 'location')) {
      const draft = locationService(location, server);
      if (draft) drafts.push(draft);
    }
  }

  function locationService(location: Directive, server: Directive): ServiceDraft | undefined {
    const draft = locationServiceOrNot(location, server);
    // A location that is not a service stands for what is inside it in the report.
    if (!draft) visit(location.block ?? [], (d) => ledger.silent.add(d));
    return draft;
  }

  function locationServiceOrNot(location: Directive, server: Directive): ServiceDraft | undefined {
    const [modifier, maybePath] = location.args;
    const exact = modifier === '=';
    const prefix = ['=', '^~'].includes(modifier) ? maybePath : modifier;
    const proxy = first(location, 'proxy_pass');
    if (child(location, 'internal').length > 0) {
      ledger.none(location, 'an internal location: NGINX reaches it only from its own directives', 'none needed');
      return undefined;
    }
    if (['~', '~*'].includes(modifier)) {
      ledger.none(location, 'a regular-expression location: the map routes by path prefix', 'a service per prefix the expression matches');
      return undefined;
    }
    if (modifier?.startsWith('@')) {
      ledger.none(location, 'a named location (error_page / try_files target)', 'handle the fallback in the backend');
      return undefined;
    }
    if (!proxy) {
      for (const other of ['grpc_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass']) {
        for (const p of child(location, other)) ledger.none(p, `${other}: API Gateway proxies HTTP only`, 'run the application as a container service that speaks HTTP');
      }
      ledger.none(location, 'the location does not proxy (static files, a return or a redirect)', 'static files: Amazon S3 with CloudFront; redirects: the backend');
      return undefined;
    }
    const path = mapPath(prefix ?? '');
    if (!path) {
      ledger.none(location, `"${prefix}" is not a path the map can route (letters, digits and . _ ~ - segments)`, 'a service path of plain segments');
      return undefined;
    }
    if (paths.has(path)) {
      ledger.none(location, `another server's location already routes "${path}": the map has one set of paths for every host name`, 'a second gateway for the other host name (import that server on its own with --name)');
      return undefined;
    }
    const name = uniqueName(mapName(path.split('/').filter(Boolean).join('-'), 32, 'root'), names, 32);
    const svc: ServiceDefinition = { path } as ServiceDefinition;
    const draft: ServiceDraft = { name, location, server, svc };
    paths.set(path, draft);
    ledger.carry(location, `services.${name}.path`, exact ? `exact match "${prefix}": the service routes ${path} and everything below it` : `prefix ${prefix} -> ${path}`);
    backend(draft, proxy);
    return draft;
  }

  function backend(draft: ServiceDraft, proxy: Directive): void {
    const { name, svc, location } = draft;
    const target = proxy.args[0] ?? '';
    const m = target.match(/^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?(\/.*)?$/);
    const at = `services.${name}`;
    const containerFor = (port: number, why: string) => {
      svc.container = { image: PLACEHOLDER.image(name), port };
      report.placeholder(`${at}.container.image`, PLACEHOLDER.image(name), `the image that runs this backend (${why})`);
    };
    if (!m || m[2].includes('$')) {
      containerFor(8080, `proxy_pass ${target.includes('$') ? 'names its target through a variable' : 'is not a plain URL'}`);
      ledger.carry(proxy, `${at}.container`, 'the target cannot be known from the file: a container service whose image and port you give');
      report.placeholder(`${at}.container.port`, '8080', 'the port the backend listens on');
      return;
    }
    const [, scheme, host, portText, uri] = m;
    const upstream = upstreams.get(host);
    // A URI on proxy_pass replaces the matched prefix: the backend sees the path below it.
    if (uri !== undefined) {
      svc.stripPrefix = true;
      const slashes = location.args[location.args.length - 1].endsWith('/') && uri.endsWith('/');
      ledger.carry(proxy, `${at}.stripPrefix`, uri === '/' ? `proxy_pass ends in "/"${slashes ? ' like the location' : ''}: the backend sees the path below the prefix` : `proxy_pass replaces the prefix with ${uri}`);
    }
    if (upstream) {
      const servers = child(upstream, 'server');
      const port = Number(servers[0]?.args[0]?.match(/:(\d+)$/)?.[1] ?? 80);
      containerFor(port, `upstream "${host}" lists hosts, not an image`);
      ledger.carry(proxy, `${at}.container`, `upstream "${host}": API Gateway cannot reach its servers, so the service runs on Fargate behind the internal ALB`);
      ledger.carry(upstream, [`${at}.container.port`], `port ${port} from its first server`);
      if (servers.length >= 2) {
        svc.scaling = { minTasks: servers.length, maxTasks: Math.max(4, servers.length) };
        for (const s of servers) ledger.carry(s, `${at}.scaling.minTasks`, `${servers.length} servers -> at least ${servers.length} tasks`);
      } else for (const s of servers) ledger.carry(s, `${at}.container`, 'the server becomes Fargate tasks');
      for (const d of upstream.block ?? []) {
        if (d.name === 'least_conn') {
          svc.loadBalancing = { ...(svc.loadBalancing ?? {}), algorithm: 'least_outstanding_requests' };
          ledger.carry(d, `${at}.loadBalancing.algorithm`, 'least connections -> least outstanding requests');
        } else if (d.name === 'ip_hash' || d.name === 'hash') {
          ledger.none(d, 'the ALB does not hash clients to targets', `loadBalancing.stickinessSeconds (cookie stickiness) on ${at}`);
        } else if (d.name === 'keepalive' || d.name.startsWith('keepalive_')) {
          ledger.none(d, 'the ALB manages connections to targets itself', 'none needed');
        }
      }
      const uri2 = uri && uri !== '/' ? ` (and serve under ${uri})` : '';
      if (uri2) report.placeholder(`${at}.container.image`, PLACEHOLDER.image(name), `the image of upstream "${host}"${uri2}`);
      return;
    }
    const internal = internalHostReason(host);
    if (internal) {
      const port = Number(portText ?? (scheme === 'https' ? 443 : 80));
      containerFor(port, `${internal}`);
      ledger.carry(proxy, [`${at}.container`, `${at}.container.port`], `${internal}, which API Gateway cannot reach: a container service on port ${port}`);
      return;
    }
    const origin = `https://${host}${portText ? `:${portText}` : ''}`;
    svc.url = uri && uri !== '/' ? `${origin}${uri.replace(/\/+$/, '')}` : origin;
    ledger.carry(
      proxy,
      `${at}.url`,
      scheme === 'http' ? `the map's URL backends are https:// only: ${origin} must answer HTTPS (or run it as a container service)` : 'an HTTP proxy integration to the public URL',
    );
  }

  if (drafts.length === 0) {
    throw new ImportError(main.file, undefined, 'no location with proxy_pass to a path the map can route: nothing to import');
  }

  // --- domain ------------------------------------------------------------------------------
  const tlsServer = servers.find((s) => child(s, 'listen').some((l) => l.args.includes('ssl') || l.args.includes('quic')));
  // Internationalized hostNames are written as NGINX takes them (UTF-8); DNS, ACM and API Gateway take their ASCII (punycode) form.
  const hostNames = tlsServer ? child(tlsServer, 'server_name').flatMap((d) => d.args.map((a) => ({ d, a, ascii: asciiHostName(a) }))) : [];
  const chosen = hostNames.find(({ ascii }) => ascii !== undefined && DOMAIN_NAME.test(ascii));
  for (const server of servers) {
    for (const listen of child(server, 'listen')) {
      if (server === tlsServer && (listen.args.includes('ssl') || listen.args.includes('quic'))) {
        if (chosen) ledger.carry(listen, 'domain', 'HTTPS on a custom domain with an ACM certificate');
        else ledger.none(listen, `HTTPS on a custom domain needs a host name, and the server has ${hostNames.length ? `none the map can use (${hostNames.map((n) => n.a).join(', ')})` : 'no server_name'}`, 'domain.name and domain.certificateArn, or the API\'s default execute-api URL');
      }
      else if (first(server, 'return') && !child(server, 'location').some((l) => first(l, 'proxy_pass'))) {
        ledger.none(listen, 'plain HTTP that redirects to HTTPS: API Gateway serves HTTPS only', 'none needed');
      } else ledger.none(listen, 'API Gateway serves HTTPS only', 'clients call the https:// domain');
    }
    for (const r of child(server, 'return')) ledger.none(r, 'a redirect of the whole server', 'none needed for HTTP to HTTPS; other redirects in the backend');
  }
  if (tlsServer) {
    if (chosen) {
      const name = chosen.ascii!;
      map.domain = { name, certificateArn: PLACEHOLDER.certificateArn };
      report.placeholder('domain.certificateArn', PLACEHOLDER.certificateArn, `an ACM certificate for ${name} in the stack's Region (import the one NGINX uses with "aws acm import-certificate", or request one)`);
      const notes = [
        ...(name !== chosen.a.toLowerCase() ? [`${chosen.a} in its DNS (punycode) form ${name}`] : []),
        ...(hostNames.length > 1 ? [`the first name the map can use; other names (${hostNames.length - 1}) have no equivalent: one domain per gateway`] : []),
      ];
      ledger.carry(chosen.d, 'domain.name', notes.join('; '));
      for (const c of ['ssl_certificate', 'ssl_certificate_key']) {
        for (const d of child(tlsServer, c)) ledger.carry(d, 'domain.certificateArn', 'a certificate file cannot be used by API Gateway: placeholder ARN (file path and key not copied)');
      }
    }
  }
  for (const server of servers) {
    for (const d of child(server, 'server_name')) {
      if (map.domain && d.args.every((a) => asciiHostName(a) === map.domain!.name)) ledger.carry(d, 'domain.name', 'the same host name');
      else if (!map.domain && d.args.every((a) => !DOMAIN_NAME.test(asciiHostName(a) ?? ''))) {
        ledger.none(d, `not a host name a custom domain can have (${d.args.map((a) => (a.includes('*') || a.startsWith('~') ? `${a}: a wildcard or expression` : a === '_' || a === '' ? `"${a}": a catch-all` : `${a}: not a DNS name`)).join('; ')})`, 'domain.name, one DNS name such as api.example.com');
      } else ledger.none(d, 'host-based routing: a gateway has one custom domain', 'a second gateway for this host name');
    }
    for (const d of [...child(server, 'ssl_protocols'), ...child(server, 'ssl_ciphers'), ...child(server, 'ssl_prefer_server_ciphers'), ...child(http, 'ssl_protocols'), ...child(http, 'ssl_ciphers')]) {
      ledger.none(d, 'API Gateway custom domains use an AWS security policy, not a cipher list', 'the TLS 1.2 security policy the gateway sets on the domain');
    }
  }

  // --- per-service settings by inheritance (location, then server, then http) ----------------
  const throttles: Array<{ scope: string; d: Directive; zone: Zone; burst: number }> = [];
  const wafRules = new Map<string, { rule: RateLimit; sources: Directive[] }>();
  for (const draft of drafts) {
    const { name, svc, location, server } = draft;
    const levels = [location, server, http];
    const at = `services.${name}`;

    for (const d of effective(levels, 'limit_req')) {
      const zoneName = d.args.find((a) => a.startsWith('zone='))?.slice(5);
      const zone = zoneName ? zones.get(zoneName) : undefined;
      if (!zone) throw new ImportError(d.file, d.line, `limit_req names zone "${zoneName ?? ''}", which no limit_req_zone defines`);
      const burst = Number(d.args.find((a) => a.startsWith('burst='))?.slice(6) ?? 0);
      const nodelay = d.args.includes('nodelay');
      const perClient = /^\$(binary_remote_addr|remote_addr)$/.test(zone.key);
      const header = zone.key.match(/^\$http_([a-z0-9_]+)$/i)?.[1]?.replace(/_/g, '-');
      const delayNote = nodelay ? 'nodelay: the burst is served at once, as here' : 'without nodelay NGINX delays the burst; WAF and API Gateway cannot delay, they admit it at once';
      if (!perClient && !header) {
        throttles.push({ scope: location.block?.includes(d) ? at : '', d, zone, burst });
        continue;
      }
      const w = wafLimit(zone.count, zone.periodSeconds, burst);
      const rule: RateLimit = header ? { limit: w.limit, windowSeconds: w.windowSeconds, key: 'header', headerName: header } : { limit: w.limit, windowSeconds: w.windowSeconds, key: 'ip' };
      const keyText = header ? `per value of the ${header} header` : 'per client IP';
      // A limit set above the locations and covering every service is one counter in NGINX (the zone): one gateway-wide rule.
      const everywhere = !location.block?.includes(d) && drafts.every((o) => effective([o.location, o.server, http], 'limit_req').includes(d));
      const target = everywhere ? 'firewall.rateLimits' : `${at}.rateLimits`;
      const id = `${target}|${JSON.stringify(rule)}`;
      if (!wafRules.has(id)) wafRules.set(id, { rule, sources: [] });
      wafRules.get(id)!.sources.push(d);
      const text = `WAF rule ${keyText}: ${w.arithmetic} (zone ${zoneName}: ${zone.count}r/${zone.periodSeconds === 1 ? 's' : 'm'}); ${delayNote}`;
      ledger.carry(d, target, text);
      ledger.carry(zone.d, target, `counts ${keyText}`);
      if (perClient) {
        ledger.carry(zone.d, target, 'API Gateway throttles count all clients together, so a per-client rate is a WAF rule, not the throttle (copying it into the throttle would cap all clients at one client\'s rate)');
      }
    }

    for (const d of effective(levels, 'proxy_read_timeout')) {
      const ms = durationMs(d.args[0] ?? '');
      if (ms === undefined) throw new ImportError(d.file, d.line, `proxy_read_timeout "${d.args[0]}" is not a duration such as 60s`);
      svc.timeoutMs = Math.max(50, Math.min(ms, MAX_TIMEOUT_MS));
      ledger.carry(d, `${at}.timeoutMs`, ms > MAX_TIMEOUT_MS ? `${ms} ms capped at ${MAX_TIMEOUT_MS} ms, API Gateway's integration timeout (REST APIs; a quota increase raises it, HTTP APIs allow 30 s): slower responses fail with 504` : `${ms} ms`);
    }

    // auth_jwt (NGINX Plus) and API-key checks.
    const jwt = effective(levels, 'auth_jwt')[0];
    if (jwt && jwt.args[0] !== 'off') {
      svc.auth = 'jwt';
      ledger.carry(jwt, [`${at}.auth`, 'auth.jwt'], 'the token is verified by the gateway\'s Lambda authorizer');
    } else if (jwt) {
      ledger.carry(jwt, `${at}.auth`, 'auth_jwt off -> auth "none"');
    }
    const keyChecks = [location, server, http].flatMap((level) => child(level, 'if').filter((i) => i.args.some((a) => [...keyVariables].some((v) => a.includes(v)))));
    if (keyChecks.length > 0) {
      svc.auth = 'apiKey';
      for (const check of keyChecks) {
        ledger.carry(check, `${at}.auth`, 'API-key check -> auth "apiKey" on the REST front door (API Gateway checks the x-api-key header; the key values are not copied)');
        for (const r of child(check, 'return')) ledger.silent.add(r);
      }
    }
    if (!svc.auth) svc.auth = 'none';

    // Caching.
    const cache = effective(levels, 'proxy_cache')[0];
    if (cache && cache.args[0] !== 'off') {
      const valid = effective(levels, 'proxy_cache_valid');
      const ttl = Math.min(3600, Math.max(0, ...valid.map((v) => Math.round((durationMs(v.args[v.args.length - 1]) ?? 0) / 1000))));
      svc.cache = { ttlSeconds: ttl };
      ledger.carry(cache, `${at}.cache`, 'API Gateway response cache (REST front door)');
      for (const v of valid) ledger.carry(v, `${at}.cache.ttlSeconds`, `${ttl} s${ttl === 3600 ? ' (API Gateway caches at most 3600 s)' : ''}`);
    }

    // Body size: no field, API Gateway's own limit applies.
    for (const d of effective(levels, 'client_max_body_size')) {
      const bytes = sizeBytes(d.args[0] ?? '');
      const over = bytes === 0 || (bytes ?? 0) > MAX_PAYLOAD_BYTES;
      ledger.none(
        d,
        over
          ? `${MAX_PAYLOAD_BYTES_TEXT}; requests above it are rejected with 413 though NGINX allowed ${bytes === 0 ? 'any size' : d.args[0]}`
          : `no map field: ${MAX_PAYLOAD_BYTES_TEXT}, above this ${d.args[0]}; the smaller limit is not enforced by the gateway`,
        over ? 'upload large bodies straight to Amazon S3 with presigned URLs' : 'enforce the smaller limit in the backend',
      );
    }
    for (const name2 of ['proxy_connect_timeout', 'proxy_send_timeout']) {
      for (const d of effective(levels, name2)) ledger.none(d, 'API Gateway has one integration timeout', `services.${name}.timeoutMs`);
    }
  }

  // Throttles: a zone keyed by a constant (or the host name) counts all clients together, like API Gateway's throttle.
  for (const t of throttles) {
    const rate = t.zone.count / t.zone.periodSeconds;
    const throttle = { rateLimit: Math.round(rate * 1000) / 1000, burstLimit: Math.max(1, t.burst + 1) };
    const text = `${t.zone.count}r/${t.zone.periodSeconds === 1 ? 's' : 'm'} = ${throttle.rateLimit} requests per second; burst ${t.burst} + the request itself = bucket of ${throttle.burstLimit}`;
    if (t.scope) {
      const name = t.scope.slice('services.'.length);
      drafts.find((d) => d.name === name)!.svc.throttle = throttle;
      ledger.carry(t.d, `${t.scope}.throttle`, text);
    } else {
      map.throttle = throttle;
      ledger.carry(t.d, 'throttle', `${text} (gateway-wide)`);
    }
    ledger.carry(t.zone.d, t.scope ? `${t.scope}.throttle` : 'throttle', `counts all clients together (key ${t.zone.key}), as API Gateway's throttle does`);
  }
  const gatewayRules: RateLimit[] = [];
  for (const [id, { rule }] of [...wafRules.entries()]) {
    const target = id.split('|')[0];
    if (target === 'firewall.rateLimits') gatewayRules.push(rule);
    else {
      const svc = drafts.find((d) => `services.${d.name}.rateLimits` === target)!.svc;
      svc.rateLimits = [...(svc.rateLimits ?? []), rule];
    }
  }
  if (gatewayRules.length > 0) map.firewall = { ...(map.firewall ?? {}), rateLimits: gatewayRules };
  for (const z of zones.values()) if (!ledger.seen(z.d)) ledger.none(z.d, 'no limit_req uses this zone', 'none needed');

  // --- API keys: REST front door, usage plan and one key per client the map block names ------
  const apiKeyServices = drafts.filter((d) => d.svc.auth === 'apiKey');
  if (apiKeyServices.length > 0) {
    const plan = { rateLimit: map.throttle?.rateLimit ?? 1000, burstLimit: map.throttle?.burstLimit ?? 2000 };
    map.usagePlans = { imported: plan };
    const keyNames = new Set<string>();
    for (const m of keyMaps) {
      for (const entry of m.block ?? []) {
        const value = entry.args[0] ?? '';
        if (entry.name === 'default' || entry.name === 'hostnames' || entry.name === 'volatile' || !value || value === '0') continue;
        keyNames.add(mapName(value, 64, 'client'));
      }
      ledger.carry(m, 'apiKeys', 'one API key per client the map names; API Gateway generates new key values (the old ones are not copied)');
    }
    if (keyNames.size === 0) keyNames.add('imported-client');
    map.apiKeys = Object.fromEntries([...keyNames].sort().map((k) => [k, { plan: 'imported' }]));
    report.mapped({ file: main.file }, 'API-key clients', ['apiKeys', 'usagePlans.imported'], `${keyNames.size} key(s) in usage plan "imported" (${plan.rateLimit} requests per second, burst ${plan.burstLimit}); send each client its new key from the API Gateway console or CLI`);
  }
  for (const m of child(http, 'map')) if (!ledger.seen(m)) ledger.none(m, 'a variable map: the gateway has no variables', 'logic in the backend');

  // --- JWT issuer -----------------------------------------------------------------------------
  if (drafts.some((d) => d.svc.auth === 'jwt')) {
    const jwt: NonNullable<NonNullable<ServiceMap['auth']>['jwt']> = { issuer: PLACEHOLDER.issuer, audience: [PLACEHOLDER.audience] };
    report.placeholder('auth.jwt.issuer', PLACEHOLDER.issuer, 'the "iss" claim of your tokens (auth_jwt does not name the issuer)');
    report.placeholder('auth.jwt.audience', PLACEHOLDER.audience, 'the "aud" values your tokens carry');
    visit(directives, (d, parents) => {
      if (d.name === 'auth_jwt_key_request') {
        const keyLocation = child(parents[parents.length - 1], 'location').find((l) => l.args[l.args.length - 1] === d.args[0]);
        const target = first(keyLocation, 'proxy_pass')?.args[0];
        if (keyLocation && target?.startsWith('https://') && !target.includes('$')) {
          jwt.jwksUri = target;
          ledger.carry(d, 'auth.jwt.jwksUri', `the key set ${keyLocation.args[keyLocation.args.length - 1]} fetches`);
          ledger.silent.add(keyLocation);
          for (const c of keyLocation.block ?? []) ledger.silent.add(c);
        } else ledger.none(d, 'the key location does not proxy to an https:// URL', 'auth.jwt.jwksUri (the issuer\'s JWKS URL)');
      } else if (d.name === 'auth_jwt_key_file') {
        ledger.none(d, 'a local key file: the authorizer fetches keys from the issuer (file path not copied)', 'auth.jwt.jwksUri, or the issuer\'s /.well-known/jwks.json');
      } else if (d.name === 'auth_jwt_require' || d.name === 'auth_jwt_claim_set' || d.name === 'auth_jwt_header_set') {
        ledger.none(d, 'claim checks beyond issuer, audience, expiry and scopes', 'services.<name>.scopes for scope claims; other checks in the backend');
      }
    });
    map.auth = { jwt };
  }

  // --- CORS, IP lists, logs (gateway-wide) -----------------------------------------------------
  const cors: NonNullable<ServiceMap['cors']> = { allowOrigins: [] };
  visit(directives, (d, parents) => {
    if (d.name === 'add_header' && /^access-control-/i.test(d.args[0] ?? '')) {
      const header = d.args[0].toLowerCase();
      const value = d.args[1] ?? '';
      const list = value.split(',').map((s) => s.trim()).filter(Boolean);
      let field = 'cors';
      let note = parents.some((p) => p.name === 'location') ? 'CORS is gateway-wide in the map' : '';
      if (header === 'access-control-allow-origin') {
        field = 'cors.allowOrigins';
        if (value.startsWith('$')) {
          note = `${value} reflects any origin: "*" (list the real origins)`;
          cors.allowOrigins.push('*');
        } else cors.allowOrigins.push(...list);
      } else if (header === 'access-control-allow-methods') {
        field = 'cors.allowMethods';
        cors.allowMethods = [...new Set([...(cors.allowMethods ?? []), ...list.map((m) => m.toUpperCase()).filter((m) => METHODS.has(m))])] as never;
      } else if (header === 'access-control-allow-headers') {
        field = 'cors.allowHeaders';
        cors.allowHeaders = [...new Set([...(cors.allowHeaders ?? []), ...list.map((h) => h.toLowerCase())])];
      } else if (header === 'access-control-expose-headers') {
        field = 'cors.exposeHeaders';
        cors.exposeHeaders = [...new Set([...(cors.exposeHeaders ?? []), ...list.map((h) => h.toLowerCase())])];
      } else if (header === 'access-control-allow-credentials') {
        field = 'cors.allowCredentials';
        cors.allowCredentials = value === 'true';
      } else if (header === 'access-control-max-age') {
        field = 'cors.maxAgeSeconds';
        cors.maxAgeSeconds = Math.min(86400, Number(value) || 0);
      }
      ledger.carry(d, field, [note, 'API Gateway answers the preflight'].filter(Boolean).join('; '));
    } else if (d.name === 'add_header') {
      ledger.none(d, 'the gateway does not add response headers', 'set the header in the backend');
    } else if (d.name === 'if' && d.args.join(' ').includes('$request_method') && d.args.join(' ').includes('OPTIONS')) {
      ledger.carry(d, 'cors', 'API Gateway answers CORS preflight (OPTIONS) requests itself');
      for (const r of child(d, 'return')) ledger.silent.add(r);
    }
  });
  if (cors.allowOrigins.length > 0) {
    cors.allowOrigins = [...new Set(cors.allowOrigins)].sort();
    if (cors.allowOrigins.includes('*') && cors.allowCredentials) {
      cors.allowOrigins = [PLACEHOLDER.issuer.replace(/\/$/, '')];
      report.placeholder('cors.allowOrigins', cors.allowOrigins[0], 'the origins allowed to call with credentials (NGINX reflected every origin)');
    }
    map.cors = cors;
  }

  for (const level of [http, ...servers]) {
    const allow = child(level, 'allow');
    const deny = child(level, 'deny');
    for (const d of allow) {
      const cidr = asCidr(d.args[0] ?? '');
      if (cidr) {
        map.firewall = { ...(map.firewall ?? {}), allowedIpCidrs: [...(map.firewall?.allowedIpCidrs ?? []), cidr] };
        ledger.carry(d, 'firewall.allowedIpCidrs', level === http ? '' : 'the map\'s lists are gateway-wide');
      } else if (d.args[0] !== 'all') ledger.none(d, `"${d.args[0]}" is not an address or CIDR`, 'firewall.allowedIpCidrs');
    }
    for (const d of deny) {
      const cidr = asCidr(d.args[0] ?? '');
      if (cidr) {
        map.firewall = { ...(map.firewall ?? {}), blockedIpCidrs: [...(map.firewall?.blockedIpCidrs ?? []), cidr] };
        ledger.carry(d, 'firewall.blockedIpCidrs', '');
      } else if (d.args[0] === 'all' && allow.length > 0) ledger.carry(d, 'firewall.allowedIpCidrs', 'with an allowed list, WAF blocks every other address');
      else ledger.none(d, `"${d.args[0]}" is not an address or CIDR`, 'firewall.blockedIpCidrs');
    }
  }
  visit(directives, (d, parents) => {
    if ((d.name === 'allow' || d.name === 'deny') && parents.some((p) => p.name === 'location')) {
      ledger.none(d, 'an address list for one location: the map\'s lists are gateway-wide', 'firewall.allowedIpCidrs / blockedIpCidrs for the whole gateway');
    }
  });

  let logged = false;
  visit(directives, (d) => {
    if (d.name === 'access_log' || d.name === 'error_log') {
      if (d.args[0] === 'off') return ledger.none(d, 'the gateway always writes access logs', 'logs.retentionDays (keep them 1 day)');
      logged = true;
      ledger.carry(
        d,
        'logs.retentionDays',
        d.name === 'access_log' ? 'API Gateway access logs go to CloudWatch Logs (the file path and format are not carried; the gateway\'s format is JSON)' : 'container and authorizer logs go to CloudWatch Logs',
      );
    } else if (d.name === 'log_format') {
      ledger.none(d, 'the gateway writes its own JSON access-log format', 'CloudWatch Logs Insights queries over the JSON fields');
    }
  });
  if (logged) map.logs = { retentionDays: 30 };

  // --- front door and assembly -----------------------------------------------------------------
  const needsRest: string[] = [];
  if (apiKeyServices.length > 0) needsRest.push('API keys');
  if (drafts.some((d) => d.svc.cache)) needsRest.push('the response cache');
  if (drafts.some((d) => d.svc.url && (d.svc.rateLimits?.length ?? 0) > 0)) needsRest.push('WAF rate limits on URL backends');
  if (needsRest.length > 0) {
    map.frontDoor = 'rest';
    report.mapped({ file: main.file }, 'front door', 'frontDoor', `REST API, for ${needsRest.join(', ')}`);
  }
  // The auth mode every service shares, else each service's own.
  for (const d of drafts) map.services[d.name] = d.svc;
  report.mapped({ file: main.file }, 'gateway name', 'name', options.name ? '--name' : 'no name in NGINX: "gateway" (pass --name to choose one)');

  for (const u of upstreams.values()) if (!ledger.seen(u)) ledger.none(u, 'no proxied location uses this upstream', 'none needed');
  for (const i of readUnresolved(directives)) ledger.none(i, 'the included file was not given on the command line', 'pass it too, e.g. cdk-service-gateway import nginx.conf conf.d/*.conf');
  ledger.write(report, directives, fallback);
  return { map, report, format: 'NGINX', sources: files.map((f) => f.file) };
}

const MAX_PAYLOAD_BYTES_TEXT = 'API Gateway accepts request payloads up to 10 MB (a hard quota)';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*']);
const API_KEY_VARIABLES = ['$http_x_api_key', '$http_apikey', '$http_api_key', '$arg_api_key', '$arg_apikey'];
function isApiKeyVariable(v: string): boolean {
  return API_KEY_VARIABLES.includes(v.toLowerCase());
}
function readUnresolved(directives: readonly Directive[]): Directive[] {
  const out: Directive[] = [];
  visit(directives, (d) => {
    if (d.name === 'include') out.push(d);
  });
  return out;
}

/** Why a directive nothing claimed has no equivalent. */
function fallback(d: Directive): { why: string; nearest: string } {
  const n = d.name;
  if (/^(worker_|events$|pid$|user$|daemon$|master_process$|sendfile$|tcp_no|keepalive_|types_hash|server_names_hash|default_type$|types$|resolver|multi_accept$|use$|worker_connections$|client_body_buffer|client_header|large_client|server_tokens$|charset$)/.test(n)) {
    return { why: 'server process tuning: API Gateway and the ALB are managed by AWS', nearest: 'none needed' };
  }
  if (n.startsWith('gzip')) return { why: 'the map has no compression setting', nearest: 'compress in the backend' };
  if (n.startsWith('proxy_set_header') || n === 'proxy_http_version' || n.startsWith('proxy_buffer') || n === 'proxy_redirect' || n.startsWith('proxy_next_upstream') || n === 'proxy_hide_header') {
    return { why: 'the gateway sets its own forwarding headers (x-gateway-client-ip, x-gateway-service) and manages connections', nearest: 'read x-gateway-client-ip in the backend for the caller\'s address' };
  }
  if (n.startsWith('ssl_')) return { why: 'TLS is terminated by API Gateway with an ACM certificate', nearest: 'domain.certificateArn' };
  if (n === 'rewrite' || n === 'return' || n === 'error_page') return { why: 'the gateway does not rewrite or answer requests itself', nearest: 'do it in the backend (or stripPrefix for prefix removal)' };
  if (n === 'root' || n === 'index' || n === 'try_files' || n === 'alias' || n === 'autoindex') return { why: 'static files', nearest: 'Amazon S3 with CloudFront' };
  if (n.startsWith('limit_conn')) return { why: 'API Gateway does not limit concurrent connections per client', nearest: 'throttle.burstLimit, or a WAF rate limit per IP' };
  if (n === 'limit_req_status' || n === 'limit_req_log_level') return { why: 'throttled requests get 429 from API Gateway and 403 from WAF rate rules', nearest: 'none needed' };
  if (n === 'proxy_cache_path' || n.startsWith('proxy_cache')) return { why: 'API Gateway\'s cache is a managed cluster', nearest: 'rest.cacheClusterSizeGb and services.<name>.cache' };
  if (n === 'stream') return { why: 'TCP/UDP proxying', nearest: 'a Network Load Balancer outside this gateway' };
  if (n === 'include') return { why: 'the included file was not given on the command line', nearest: 'pass it too' };
  if (n === 'set') return { why: 'the gateway has no variables (value not copied)', nearest: 'logic in the backend' };
  if (n === 'if') return { why: 'conditional logic (condition values not copied)', nearest: 'logic in the backend' };
  if (n === 'location') return { why: 'a nested location', nearest: 'a service per prefix' };
  if (n === 'internal') return { why: 'an internal-only location', nearest: 'none needed' };
  return { why: `"${n}" is not something the service map configures`, nearest: 'review by hand' };
}
