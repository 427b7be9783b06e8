/**
 * What the three importers share: the error they throw, naming, backend classification and the
 * arithmetic that turns a source's rate limits and timeouts into what API Gateway and WAF accept.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A source file that cannot be read or understood: names the file, the line when known, and the problem. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
  }
}

/** A map name (service, usage plan, API key): lowercase letters, digits, hyphens, starting with a letter. */
export function mapName(raw: string, max: number, fallback: string): string {
  let n = raw
    // Letters with accents keep their base letter ("über" -> "uber") rather than being dropped.
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  if (n.length > max) n = n.slice(0, max).replace(/-+$/, '');
  return n || fallback;
}

/** A name not yet in `taken`, by adding -2, -3, ...; adds it to `taken`. */
export function uniqueName(base: string, taken: Set<string>, max: number): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) {
    const suffix = `-${i}`;
    name = `${base.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(name);
  return name;
}

/** The map's path rule: "/" or segments of letters, digits and . _ ~ -, no trailing slash. */
const MAP_PATH = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

/** A source prefix ("/orders/", "orders") as a map path ("/orders"), or undefined when it has no map form. */
export function mapPath(prefix: string): string | undefined {
  let p = prefix.trim();
  if (!p.startsWith('/')) p = `/${p}`;
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return MAP_PATH.test(p) ? p : undefined;
}

/**
 * Why a backend host cannot be an API Gateway HTTP proxy target (API Gateway calls public HTTPS endpoints only),
 * or undefined when it can be one.
 */
export function internalHostReason(host: string): string | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIPv4(h)) {
    const [a, b] = h.split('.').map(Number);
    if (a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return `${h} is a private address`;
    return undefined;
  }
  if (isIPv6(h)) return /^(::1$|f[cd]|fe80)/.test(h) ? `${h} is a private address` : undefined;
  if (!h.includes('.')) return `"${h}" is a single-label name that only resolves inside the source's network`;
  if (h === 'localhost' || /\.(svc\.cluster\.local|cluster\.local|internal|local|localdomain|lan|home|corp|intranet)$/.test(h)) return `"${h}" is an internal name`;
  return undefined;
}

export const WAF_WINDOWS = [60, 120, 300, 600] as const;
export const WAF_MIN_LIMIT = 10;
export const WAF_MAX_LIMIT = 2_000_000_000;

export interface WafLimit {
  readonly limit: number;
  readonly windowSeconds: (typeof WAF_WINDOWS)[number];
  /** The arithmetic, for the report. */
  readonly arithmetic: string;
}

/**
 * A limit of `count` requests per `periodSeconds` (plus `burst` requests on top) as a WAF rate rule:
 * the shortest WAF window at least as long as the period (the longest, 600 s, for longer periods), with the
 * count scaled to it, raised to WAF's minimum of 10 when below it.
 */
export function wafLimit(count: number, periodSeconds: number, burst = 0): WafLimit {
  const window = WAF_WINDOWS.find((w) => w >= periodSeconds) ?? 600;
  const scaled = Math.floor((count * window) / periodSeconds);
  const raw = scaled + burst;
  const limit = Math.min(WAF_MAX_LIMIT, Math.max(WAF_MIN_LIMIT, raw));
  const per = periodSeconds === 1 ? 's' : `${periodSeconds} s`;
  let arithmetic =
    window === periodSeconds ? `${count} per ${window} s` : `${count} per ${per} × ${window} s${periodSeconds === 1 ? '' : ` / ${periodSeconds} s`} = ${scaled} per ${window} s`;
  if (burst > 0) arithmetic += ` + burst ${burst} = ${raw}`;
  if (raw < WAF_MIN_LIMIT) arithmetic += `; raised to ${WAF_MIN_LIMIT}, the WAF minimum (looser than the source)`;
  if (periodSeconds > 600) arithmetic += '; WAF windows are at most 600 s, so the long-period limit is enforced as its 600 s share (stricter on bursts)';
  return { limit, windowSeconds: window, arithmetic };
}

/** API Gateway's request payload limit (both front doors; a hard quota on the API Gateway quotas page). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** The integration timeout API Gateway allows without a quota increase (REST; HTTP APIs allow 30 s). */
export const MAX_TIMEOUT_MS = 29_000;

/** NGINX/Copilot style durations ("60s", "1m", "500ms", "1h", "90") in milliseconds. */
export function durationMs(text: string): number | undefined {
  const parts = String(text).trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/);
  if (!parts) {
    // NGINX also allows compound values such as "1m30s".
    const compound = [...String(text).matchAll(/(\d+)(ms|s|m|h|d)/g)];
    if (compound.length === 0 || compound.map((c) => c[0]).join('') !== String(text).trim()) return undefined;
    return compound.reduce((sum, c) => sum + Number(c[1]) * UNIT_MS[c[2]], 0);
  }
  return Number(parts[1]) * UNIT_MS[parts[2] ?? 's'];
}
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** NGINX sizes ("10m", "512k", "1g", "1024") in bytes. */
export function sizeBytes(text: string): number | undefined {
  const m = text.trim().match(/^(\d+)([kKmMgG])?$/);
  if (!m) return undefined;
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * unit;
}

/** An address or CIDR from a source as a CIDR WAF accepts (a bare address gets /32 or /128). */
export function asCidr(value: string): string | undefined {
  const [addr, bits] = value.split('/');
  if (isIPv4(addr)) return bits === undefined ? `${addr}/32` : value;
  if (isIPv6(addr)) return bits === undefined ? `${addr}/128` : value;
  return undefined;
}

/** Names that suggest a value is a credential: such values are never copied. */
export const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|apikey|private|credential|auth|signature|salt|cert)/i;

/** The parts of an import outcome the overlap pass rewrites (kept structural to avoid an import cycle). */
interface OverlapOutcome {
  readonly map: { services: Record<string, { path: string }> };
  readonly report: {
    entries: Array<{ at: { file: string; line?: number }; item: string; fields: readonly string[]; note: string; nearest?: string }>;
    placeholders: Array<{ field: string }>;
  };
}

/**
 * The map routes by prefixes that may not overlap (NGINX and Kong pick the longest match instead). Of two
 * overlapping services this keeps the broader prefix, except a catch-all "/", which would take every other
 * service's place; the dropped service's report lines say where its traffic goes now.
 */
export function dropOverlappingServices(outcome: OverlapOutcome): void {
  const services = outcome.map.services;
  const segments = (p: string) => p.toLowerCase().split('/').filter(Boolean);
  const overlaps = (a: string, b: string) => {
    const [x, y] = [segments(a), segments(b)];
    const n = Math.min(x.length, y.length);
    return x.slice(0, n).join('/') === y.slice(0, n).join('/');
  };
  const names = Object.keys(services);
  const dropped = new Map<string, string>();
  for (const a of names) {
    for (const b of names) {
      if (a === b || dropped.has(a) || dropped.has(b) || !overlaps(services[a].path, services[b].path)) continue;
      const [pa, pb] = [segments(services[a].path).length, segments(services[b].path).length];
      // Drop "/" when anything else is left; otherwise the longer prefix (the later one on a tie).
      const drop = pa === 0 ? a : pb === 0 ? b : pa > pb ? a : pb > pa ? b : names.indexOf(a) > names.indexOf(b) ? a : b;
      dropped.set(drop, drop === a ? b : a);
    }
  }
  for (const [name, kept] of dropped) {
    const path = services[name].path;
    const keptPath = services[kept].path;
    delete services[name];
    const prefix = `services.${name}`;
    const mine = (f: string) => f === prefix || f.startsWith(`${prefix}.`);
    outcome.report.entries.forEach((e, i) => {
      if (!e.fields.some(mine)) return;
      const fields = e.fields.filter((f) => !mine(f));
      const why = `its service "${name}" (${path}) overlaps "${kept}" (${keptPath}): the map's path prefixes may not overlap, so ${path === '/' ? 'the catch-all' : path} is not routed on its own`;
      outcome.report.entries[i] =
        fields.length > 0
          ? { ...e, fields, note: `${e.note ? `${e.note}; ` : ''}not for ${name}: ${why}` }
          : { at: e.at, item: e.item, fields: [], note: why, nearest: path === '/' ? `give the catch-all backend its own prefix, or serve unknown paths from ${kept}` : `route ${path} inside the ${kept} backend, or give it a prefix outside ${keptPath}` };
    });
    for (let i = outcome.report.placeholders.length - 1; i >= 0; i--) if (mine(outcome.report.placeholders[i].field)) outcome.report.placeholders.splice(i, 1);
  }
}
