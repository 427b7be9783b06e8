/**
 * AWS Copilot "Load Balanced Web Service" manifests -> one service map (a service per manifest).
 * `environments` overrides are applied with --env, and reported otherwise.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import type { ServiceDefinition, ServiceMap } from '../service-map/schema';
import { ImportError, SECRET_NAME, asCidr, durationMs, mapName, mapPath, uniqueName } from './common';
import type { ImportOptions, ImportOutcome } from './outcome';
import { ImportReport, PLACEHOLDER, type SourceRef } from './report';
import type { YamlSource } from './yaml-source';
import { fitHealthCheck, isSuccessCodes, type HealthCheckField, type HealthCheckValues } from './health-check';

type Obj = Record<string, unknown>;
type Path = Array<string | number>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const LBWS = 'Load Balanced Web Service';
const CONTAINER_ORDER = ['image', 'port', 'cpu', 'memoryMiB', 'environment', 'secrets', 'healthCheckPath', 'healthCheck', 'command'];
/** ALB cookie stickiness lasts one day unless set: Copilot's `stickiness: true` gets that default. */
const ALB_DEFAULT_STICKINESS_SECONDS = 86400;

/** Top-level manifest fields the map has no equivalent for, with the nearest option. */
const NO_EQUIVALENT: Record<string, [string, string]> = {
  sidecars: ['the map runs one container per task', 'run the sidecar\'s job in the image, or as its own service'],
  storage: ['the map does not mount volumes (EFS, ephemeral storage size)', 'Amazon S3 or a database; or add the volume through the FargateBackend escape hatch'],
  exec: ['ECS Exec is not enabled by the map', 'enable it through the FargateBackend escape hatch (service.enableExecuteCommand)'],
  publish: ['the map does not create SNS topics for services', 'an SNS topic in your own CDK stack'],
  logging: ['FireLens log routing is not configured by the map', 'logs.retentionDays: container logs go to CloudWatch Logs'],
  observability: ['tracing sidecars are not configured by the map', 'rest.xrayTracing for the REST front door'],
  nlb: ['the gateway fronts services with API Gateway and an internal ALB', 'a Network Load Balancer in your own CDK stack'],
  network: ['the gateway places every task in its own VPC\'s private subnets', 'network.vpcId to use an existing VPC'],
  taskdef_overrides: ['CloudFormation overrides of the task definition', 'the FargateBackend escape hatch in a CDK app'],
  platform: ['tasks run on Linux x86_64', 'build the image for linux/amd64'],
  deployment: ['ECS rolling-deployment settings are the CDK defaults', 'the FargateBackend escape hatch'],
  env_file: ['the map takes variables inline, not from an S3 file', 'container.environment'],
  entrypoint: ['the map overrides the command, not the entrypoint', 'container.command, or the image\'s ENTRYPOINT'],
};

export function importCopilot(sources: readonly YamlSource[], options: ImportOptions & { outDir?: string }): ImportOutcome {
  const report = new ImportReport();
  const map: ServiceMap = { name: options.name ?? 'gateway', services: {} };
  const names = new Set<string>();
  const envs = new Set<string>();
  const lbws: Array<{ source: YamlSource; manifest: Obj; name: string }> = [];

  for (const source of sources) {
    const manifest = source.value as Obj;
    for (const env of Object.keys(isObj(manifest.environments) ? manifest.environments : {})) envs.add(env);
    if (manifest.type !== LBWS) {
      report.none({ file: source.file, line: source.lineOf(['type']) }, `type ${String(manifest.type)}`, 'only Load Balanced Web Services have a public HTTP path', 'give the service an http.path and import it as a Load Balanced Web Service, or run it outside the gateway');
      continue;
    }
    if (typeof manifest.name !== 'string') throw new ImportError(source.file, source.lineOf(['name']), 'the manifest has no "name"');
    lbws.push({ source, manifest, name: uniqueName(mapName(manifest.name, 32, 'service'), names, 32) });
  }
  if (options.env !== undefined && !envs.has(options.env)) {
    throw new ImportError(sources[0].file, undefined, `--env ${options.env}: no manifest has environments.${options.env} (valid: ${[...envs].sort().join(', ') || 'none defined'})`);
  }
  if (lbws.length === 0) throw new ImportError(sources[0].file, sources[0].lineOf(['type']), `no "${LBWS}" manifest: nothing to import`);

  for (const { source, manifest: base, name } of lbws) {
    const environments = isObj(base.environments) ? base.environments : {};
    const override = options.env !== undefined && isObj(environments[options.env]) ? (environments[options.env] as Obj) : undefined;
    const manifest = override ? (merge(base, override) as Obj) : base;
    // A field's line: in the environment override when it came from there.
    const at = (path: Path): SourceRef => {
      const fromEnv = override && get(override, path) !== undefined;
      return { file: source.file, line: source.lineOf(fromEnv ? ['environments', options.env!, ...path] : path) };
    };
    const svcAt = `services.${name}`;
    const svc: ServiceDefinition = { path: '/' } as ServiceDefinition;
    const container: Obj = {};
    const handled = new Set(['name', 'type', 'environments']);
    report.mapped(at(['name']), `name ${String(base.name)}`, svcAt, name === base.name ? '' : `service name "${name}" (lowercase letters, digits and hyphens)`);

    // Route.
    handled.add('http');
    const http = manifest.http;
    if (http === false || !isObj(http)) {
      throw new ImportError(source.file, source.lineOf(['http']), 'a Load Balanced Web Service needs http.path');
    }
    const rawPath = String(http.path ?? '/');
    const path = mapPath(rawPath);
    if (!path) throw new ImportError(source.file, source.lineOf(['http', 'path']), `http.path "${rawPath}" is not a path the map can route (segments of letters, digits and . _ ~ -)`);
    if (path === '/' && lbws.length > 1) {
      svc.path = `/${name}`;
      report.mapped(at(['http', 'path']), `http.path ${rawPath}`, `${svcAt}.path`, `a catch-all path cannot sit beside the other services' prefixes in the map: routed at /${name} instead (change clients, or give the other services their own gateway)`);
    } else {
      svc.path = path;
      report.mapped(at(['http', 'path']), `http.path ${rawPath}`, `${svcAt}.path`, path === '/' ? '' : `prefix ${path}; the backend sees the full path, as with Copilot`);
    }
    svc.stripPrefix = false;
    httpFields(http, at, svcAt, svc, container, name);

    // Image.
    handled.add('image');
    const image = isObj(manifest.image) ? manifest.image : {};
    if (typeof image.location === 'string') {
      container.image = image.location;
      report.mapped(at(['image', 'location']), 'image.location', `${svcAt}.container.image`, '');
    } else if (image.build !== undefined) {
      const build = image.build;
      const dockerfile = typeof build === 'string' ? build : isObj(build) ? String(build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      const context = isObj(build) && typeof build.context === 'string' ? build.context : dirname(dockerfile);
      // Copilot resolves build paths against the workspace (the folder that holds copilot/); the map against its own folder.
      const manifestDir = dirname(resolve(source.file));
      const workspace = basename(dirname(manifestDir)) === 'copilot' ? dirname(dirname(manifestDir)) : manifestDir;
      const directory = relative(options.outDir ? resolve(options.outDir) : process.cwd(), resolve(workspace, context)).split('\\').join('/') || '.';
      container.image = { directory };
      report.mapped(at(['image', 'build']), 'image.build', `${svcAt}.container.image.directory`, `built at deploy time from ${directory} (relative to the map's folder)${basename(dockerfile) !== 'Dockerfile' ? `; the map builds the folder's Dockerfile, not ${basename(dockerfile)}` : ''}`);
      if (isObj(build)) {
        for (const key of ['args', 'target', 'cache_from']) {
          if (build[key] !== undefined) report.none(at(['image', 'build', key]), `image.build.${key}`, 'the map builds a folder\'s Dockerfile with no build arguments or target', 'put them in the Dockerfile');
        }
      }
    } else {
      container.image = PLACEHOLDER.image(name);
      report.placeholder(`${svcAt}.container.image`, PLACEHOLDER.image(name), 'the image of this service (the manifest has neither image.location nor image.build)');
    }
    if (typeof image.port === 'number') {
      container.port = image.port;
      report.mapped(at(['image', 'port']), `image.port ${image.port}`, `${svcAt}.container.port`, '');
    }
    for (const key of Object.keys(image).filter((k) => !['location', 'build', 'port'].includes(k))) {
      report.none(at(['image', key]), `image.${key}`, key === 'healthcheck' ? 'the map checks health through the load balancer, not a container command' : 'not configured by the map', key === 'healthcheck' ? `${svcAt}.container.healthCheckPath` : 'the FargateBackend escape hatch');
    }

    // Size and scaling.
    for (const [key, field] of [['cpu', 'cpu'], ['memory', 'memoryMiB']] as const) {
      handled.add(key);
      if (typeof manifest[key] === 'number') {
        container[field] = manifest[key];
        report.mapped(at([key]), `${key} ${manifest[key]}`, `${svcAt}.container.${field}`, '');
      }
    }
    handled.add('count');
    scaling(manifest.count, at, svcAt, svc);

    // Environment and secrets.
    handled.add('variables');
    if (isObj(manifest.variables)) {
      const environment: Record<string, string> = {};
      for (const [key, value] of Object.entries(manifest.variables)) {
        if (SECRET_NAME.test(key) && (typeof value === 'string' || typeof value === 'number')) {
          report.none(at(['variables', key]), `variables.${key}`, 'the name says it holds a credential: its value is not copied', `${svcAt}.container.secrets (a Secrets Manager or SSM parameter ARN)`);
        } else if (isObj(value)) {
          report.none(at(['variables', key]), `variables.${key}`, 'a value from a CloudFormation export (from_cfn)', 'the exported value, written into container.environment');
        } else {
          environment[key] = String(value);
          report.mapped(at(['variables', key]), `variables.${key}`, `${svcAt}.container.environment.${key}`, '');
        }
      }
      if (Object.keys(environment).length) container.environment = environment;
    }
    handled.add('secrets');
    if (isObj(manifest.secrets)) {
      const secrets: Record<string, string> = {};
      for (const [key, value] of Object.entries(manifest.secrets)) {
        const ref = secretArn(value);
        if (ref) {
          secrets[key] = ref.arn;
          if (ref.placeholder) report.placeholder(`${svcAt}.container.secrets.${key}`, ref.arn, `the Region and account of ${ref.what} (the reference is copied, never a value)`);
          report.mapped(at(['secrets', key]), `secrets.${key}`, `${svcAt}.container.secrets.${key}`, `${ref.what}, read by ECS at task start`);
        } else {
          report.none(at(['secrets', key]), `secrets.${key}`, isObj(value) && 'from_cfn' in value ? 'a secret from a CloudFormation export' : 'a reference the map cannot express (such as a JSON key inside a secret)', `${svcAt}.container.secrets with the whole secret's ARN`);
        }
      }
      if (Object.keys(secrets).length) container.secrets = secrets;
    }
    handled.add('command');
    if (manifest.command !== undefined) {
      const command = Array.isArray(manifest.command) ? manifest.command.map(String) : String(manifest.command).split(/\s+/).filter(Boolean);
      container.command = command;
      report.mapped(at(['command']), 'command', `${svcAt}.container.command`, Array.isArray(manifest.command) ? '' : 'split on spaces; check quoting');
    }

    for (const key of Object.keys(manifest).filter((k) => !handled.has(k))) {
      const [why, nearest] = NO_EQUIVALENT[key] ?? [`"${key}" is not something the map configures`, 'review by hand'];
      report.none(at([key]), key, why, nearest);
    }
    for (const env of Object.keys(environments)) {
      const fields = isObj(environments[env]) ? Object.keys(environments[env] as Obj) : [];
      if (env === options.env) report.mapped({ file: source.file, line: source.lineOf(['environments', env]) }, `environments.${env}`, svcAt, `applied (--env ${env}): ${fields.join(', ')}`);
      else report.none({ file: source.file, line: source.lineOf(['environments', env]) }, `environments.${env}`, `not applied: overrides ${fields.join(', ')}`, `import again with --env ${env} for that environment's map`);
    }
    // A fixed field order, whatever order the manifest had: the same input always gives the same text.
    const ordered = Object.fromEntries(CONTAINER_ORDER.filter((k) => container[k] !== undefined).map((k) => [k, container[k]]));
    map.services[name] = {
      path: svc.path,
      stripPrefix: svc.stripPrefix,
      container: ordered as never,
      ...(svc.scaling ? { scaling: svc.scaling } : {}),
      ...(svc.loadBalancing ? { loadBalancing: svc.loadBalancing } : {}),
      auth: 'none',
    };
  }

  function httpFields(http: Obj, at: (p: Path) => SourceRef, svcAt: string, svc: ServiceDefinition, container: Obj, name: string): void {
    const hc = http.healthcheck;
    if (typeof hc === 'string' || (isObj(hc) && typeof hc.path === 'string')) {
      const p = typeof hc === 'string' ? hc : String((hc as Obj).path);
      if (/^\/[A-Za-z0-9._~/-]*$/.test(p)) {
        container.healthCheckPath = p;
        report.mapped(at(['http', 'healthcheck', ...(typeof hc === 'string' ? [] : ['path'])]), 'http.healthcheck path', `${svcAt}.container.healthCheckPath`, '');
      } else report.none(at(['http', 'healthcheck']), 'http.healthcheck path', `"${p}" is not a health-check path the map accepts`, `${svcAt}.container.healthCheckPath`);
    }
    if (isObj(hc)) healthCheckFields(hc, at, svcAt, container);
    const lb: Obj = {};
    if (http.deregistration_delay !== undefined) {
      const ms = durationMs(String(http.deregistration_delay));
      if (ms === undefined) throw new ImportError(at(['http', 'deregistration_delay']).file, at(['http', 'deregistration_delay']).line, `http.deregistration_delay "${String(http.deregistration_delay)}" is not a duration such as 30s`);
      lb.deregistrationDelaySeconds = Math.round(ms / 1000);
      report.mapped(at(['http', 'deregistration_delay']), `http.deregistration_delay ${String(http.deregistration_delay)}`, `${svcAt}.loadBalancing.deregistrationDelaySeconds`, `${lb.deregistrationDelaySeconds} s`);
    }
    if (http.stickiness === true) {
      lb.stickinessSeconds = ALB_DEFAULT_STICKINESS_SECONDS;
      report.mapped(at(['http', 'stickiness']), 'http.stickiness true', `${svcAt}.loadBalancing.stickinessSeconds`, `${ALB_DEFAULT_STICKINESS_SECONDS} s, the ALB's default cookie duration that Copilot uses`);
    } else if (http.stickiness === false) {
      lb.stickinessSeconds = 0;
      report.mapped(at(['http', 'stickiness']), 'http.stickiness false', `${svcAt}.loadBalancing.stickinessSeconds`, '0 (off, the default)');
    }
    if (Object.keys(lb).length) svc.loadBalancing = lb as never;

    const aliases = (Array.isArray(http.alias) ? http.alias : http.alias === undefined ? [] : [http.alias]).map((a) => (isObj(a) ? String(a.name) : String(a)).toLowerCase());
    aliases.forEach((alias, i) => {
      const aliasAt = at(['http', 'alias', ...(Array.isArray(http.alias) ? [i] : [])]);
      if (!map.domain && /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(alias)) {
        map.domain = { name: alias, certificateArn: PLACEHOLDER.certificateArn };
        report.placeholder('domain.certificateArn', PLACEHOLDER.certificateArn, `an ACM certificate for ${alias} in the stack's Region (Copilot's was created for its own load balancer)`);
        report.mapped(aliasAt, `http.alias ${alias}`, 'domain.name', '');
      } else if (map.domain?.name === alias) report.mapped(aliasAt, `http.alias ${alias}`, 'domain.name', 'the same domain as another service');
      else report.none(aliasAt, `http.alias ${alias}`, 'one custom domain per gateway', 'a second gateway for this domain');
    });
    if (Array.isArray(http.allowed_source_ips)) {
      const cidrs = http.allowed_source_ips.map((v) => asCidr(String(v))).filter((v): v is string => !!v);
      map.firewall = { ...(map.firewall ?? {}), allowedIpCidrs: [...new Set([...(map.firewall?.allowedIpCidrs ?? []), ...cidrs])].sort() };
      report.mapped(at(['http', 'allowed_source_ips']), 'http.allowed_source_ips', 'firewall.allowedIpCidrs', 'the map\'s address list is gateway-wide');
    }
    const other: Record<string, [string, string]> = {
      target_container: ['the map runs one container per task', 'none needed'],
      target_port: ['the load balancer targets container.port', `${svcAt}.container.port`],
      redirect_to_https: ['API Gateway serves HTTPS only', 'none needed'],
      version: ['the ALB speaks HTTP/1.1 to targets', 'none needed for HTTP; gRPC needs its own load balancer'],
      hosted_zone: ['the map needs the zone id and name together', 'domain.hostedZoneId and domain.zoneName'],
      additional_rules: ['a service has one path in the map', 'a second service for each extra path'],
      healthcheck: ['', ''],
    };
    for (const key of Object.keys(http)) {
      if (['path', 'healthcheck', 'deregistration_delay', 'stickiness', 'alias', 'allowed_source_ips'].includes(key)) continue;
      const [why, nearest] = other[key] ?? [`http.${key} is not something the map configures`, 'review by hand'];
      report.none(at(['http', key]), `http.${key}`, why, nearest);
    }
    void name;
  }

  /** http.healthcheck.{success_codes, healthy_threshold, unhealthy_threshold, interval, timeout, grace_period} -> container.healthCheck. */
  function healthCheckFields(hc: Obj, at: (p: Path) => SourceRef, svcAt: string, container: Obj): void {
    const fields: Record<string, HealthCheckField | 'successCodes'> = {
      success_codes: 'successCodes', healthy_threshold: 'healthyThresholdCount', unhealthy_threshold: 'unhealthyThresholdCount',
      interval: 'intervalSeconds', timeout: 'timeoutSeconds', grace_period: 'gracePeriodSeconds',
    };
    const given: HealthCheckValues = {};
    const from: Partial<Record<keyof HealthCheckValues, string>> = {};
    for (const key of Object.keys(hc).filter((k) => k !== 'path')) {
      const field = fields[key];
      const hcAt = at(['http', 'healthcheck', key]);
      const raw = hc[key];
      if (!field) {
        report.none(hcAt, `http.healthcheck.${key}`, key === 'port' ? 'the ALB checks the port the container serves on' : `http.healthcheck.${key} is not something the map configures`, `${svcAt}.container.port`);
        continue;
      }
      const text = String(raw);
      if (field === 'successCodes') {
        if (isSuccessCodes(text.replace(/\s+/g, ''))) {
          given.successCodes = text.replace(/\s+/g, '');
          from.successCodes = key;
        } else report.none(hcAt, `http.healthcheck.${key} ${text}`, 'not an ALB success-code matcher (HTTP codes from 200 to 499: "200", "200,204", "200-299")', `${svcAt}.container.healthCheck.successCodes`);
        continue;
      }
      const n = field.endsWith('Seconds') ? (typeof raw === 'number' ? raw : (durationMs(text) ?? Number.NaN) / 1000) : typeof raw === 'number' ? raw : Number.NaN;
      if (!Number.isFinite(n)) {
        report.none(hcAt, `http.healthcheck.${key} ${text.slice(0, 80)}`, field.endsWith('Seconds') ? 'not a duration such as 10s' : 'not a whole number', `${svcAt}.container.healthCheck.${field}`);
        continue;
      }
      given[field] = n;
      from[field] = key;
    }
    const fitted = fitHealthCheck(given);
    for (const [field, v] of Object.entries(fitted.value) as Array<[keyof HealthCheckValues, number | string]>) {
      const key = from[field];
      const unit = field.endsWith('Seconds') ? ' s' : '';
      const note = fitted.notes[field] || `${v}${unit}`;
      if (key) report.mapped(at(['http', 'healthcheck', key]), `http.healthcheck.${key} ${String(hc[key])}`, `${svcAt}.container.healthCheck.${field}`, note);
      else report.mapped(at(['http', 'healthcheck']), 'http.healthcheck', `${svcAt}.container.healthCheck.${field}`, `set so that the check validates: the map's default ${note}`);
    }
    if (Object.keys(fitted.value).length) container.healthCheck = fitted.value;
  }

  function scaling(count: unknown, at: (p: Path) => SourceRef, svcAt: string, svc: ServiceDefinition): void {
    if (count === undefined) return;
    if (typeof count === 'number') {
      const n = Math.max(1, count);
      svc.scaling = { minTasks: n, maxTasks: n };
      report.mapped(at(['count']), `count ${count}`, [`${svcAt}.scaling.minTasks`, `${svcAt}.scaling.maxTasks`], `${n} task${n === 1 ? '' : 's'}, no autoscaling${count < 1 ? ' (the map runs at least 1)' : ''}`);
      return;
    }
    if (!isObj(count)) return;
    const s: Obj = {};
    const range = count.range;
    let min: number | undefined;
    let max: number | undefined;
    if (typeof range === 'string' && /^\d+-\d+$/.test(range)) [min, max] = range.split('-').map(Number);
    else if (isObj(range)) {
      min = typeof range.min === 'number' ? range.min : undefined;
      max = typeof range.max === 'number' ? range.max : undefined;
      if (range.spot_from !== undefined) report.none(at(['count', 'range', 'spot_from']), 'count.range.spot_from', 'the map runs tasks on on-demand Fargate', 'a Fargate Spot capacity provider through the escape hatch');
    }
    if (min !== undefined && max !== undefined) {
      s.minTasks = Math.max(1, min);
      s.maxTasks = Math.max(1, max);
      report.mapped(at(['count', 'range']), `count.range ${typeof range === 'string' ? range : `${min}-${max}`}`, [`${svcAt}.scaling.minTasks`, `${svcAt}.scaling.maxTasks`], '');
    }
    const value = (v: unknown) => (typeof v === 'number' ? v : isObj(v) && typeof v.value === 'number' ? v.value : undefined);
    const cpu = value(count.cpu_percentage);
    if (cpu !== undefined) {
      s.cpuTargetPercent = cpu;
      report.mapped(at(['count', 'cpu_percentage']), `count.cpu_percentage ${cpu}`, `${svcAt}.scaling.cpuTargetPercent`, '');
    }
    const requests = value(count.requests);
    if (requests !== undefined) {
      s.requestsPerTarget = requests;
      report.mapped(at(['count', 'requests']), `count.requests ${requests}`, `${svcAt}.scaling.requestsPerTarget`, 'ALB requests per task per minute');
    }
    for (const key of ['memory_percentage', 'response_time', 'cooldown', 'queue_delay']) {
      if (count[key] !== undefined) report.none(at(['count', key]), `count.${key}`, 'the map scales on CPU and requests per task', `${svcAt}.scaling.cpuTargetPercent or requestsPerTarget`);
    }
    if (Object.keys(s).length) svc.scaling = s as never;
  }

  report.mapped({ file: sources[0].file }, 'gateway name', 'name', options.name ? '--name' : 'the application name is not in a manifest: "gateway" (pass --name, e.g. the Copilot application name)');
  return { map, report, format: `Copilot${options.env ? ` (environment ${options.env})` : ''}`, sources: sources.map((s) => s.file) };
}

/** A Copilot secret reference as an ARN: SSM parameter names and Secrets Manager names get a placeholder Region and account. */
function secretArn(value: unknown): { arn: string; what: string; placeholder: boolean } | undefined {
  if (typeof value === 'string') {
    if (/^arn:aws[a-z-]*:(ssm|secretsmanager):/.test(value)) return { arn: value, what: 'the referenced ARN', placeholder: false };
    const name = value.replace(/^\//, '');
    if (!/^[A-Za-z0-9/_.-]+$/.test(name)) return undefined;
    return { arn: `arn:aws:ssm:${PLACEHOLDER.region}:${PLACEHOLDER.account}:parameter/${name}`, what: `SSM parameter ${value}`, placeholder: true };
  }
  if (isObj(value) && typeof value.secretsmanager === 'string') {
    const ref = value.secretsmanager;
    if (ref.startsWith('arn:')) return /:secret:[A-Za-z0-9/_+=.@-]+$/.test(ref) ? { arn: ref, what: 'the referenced secret', placeholder: false } : undefined;
    if (!/^[A-Za-z0-9/_+=.@-]+$/.test(ref)) return undefined;
    return { arn: `arn:aws:secretsmanager:${PLACEHOLDER.region}:${PLACEHOLDER.account}:secret:${ref}`, what: `Secrets Manager secret ${ref}`, placeholder: true };
  }
  return undefined;
}

/** Copilot's override rule: maps merge key by key, anything else (lists, scalars) replaces. */
function merge(base: unknown, override: unknown): unknown {
  if (!isObj(base) || !isObj(override)) return override === null ? base : override;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? merge(base[k], v) : v;
  return out;
}

function get(o: unknown, path: Path): unknown {
  let cur = o;
  for (const k of path) cur = isObj(cur) ? cur[k as string] : Array.isArray(cur) ? cur[k as number] : undefined;
  return cur;
}
