import { join } from 'node:path';

/** Everything the authorizer needs, already validated. */
export interface AuthorizerConfig {
  /** The key set; `undefined`: found through OIDC discovery from the first issuer. */
  readonly jwksUri: string | undefined;
  /** Accepted `iss` values, exact; the first one is the discovery base. */
  readonly issuers: readonly string[];
  readonly audience: readonly string[];
  readonly algorithms: readonly string[];
  /** Claims that name the caller, in order: the first one present is the subject. */
  readonly subjectClaims: readonly string[];
  /** Claims whose scopes (space-separated string or array) are merged. */
  readonly scopeClaims: readonly string[];
  /** Deny every token that is not an access token (`token_use: "access"` or `typ: at+jwt`). */
  readonly accessTokensOnly: boolean;
  readonly clockToleranceSeconds: number;
  /** Bound on one key set load (discovery and key set together), bodies included. */
  readonly jwksTimeoutMs: number;
  /** Minimum time between refetches caused by an unknown `kid`. */
  readonly jwksCooldownMs: number;
  /** Minimum time between fetches while no key set could be loaded. */
  readonly jwksFailureBackoffMs: number;
  /** Age after which the key set is refreshed in the background. */
  readonly jwksMaxAgeMs: number;
  readonly routeScopesPath: string;
}

/** A usable configuration, or every reason it is not (the authorizer then denies everything). */
export type ConfigResult =
  | { readonly ok: true; readonly config: AuthorizerConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Asymmetric JWS algorithms only: an HMAC or `none` entry would let a public key act as a secret. */
const SIGNING_ALGORITHM = /^([RPE]S(256|384|512)|EdDSA|Ed25519)$/;

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Whether keys may be fetched from this URL: https, or plain http to loopback only (local tests);
 * anywhere else plain http would let the network swap the keys.
 */
export function isKeyUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return protocol === 'https:' || (protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(hostname));
  } catch {
    return false;
  }
}

/**
 * Reads the environment contract of the authorizer (see docs/authorizer.md).
 *
 * @param dir folder of the bundled index.js, where the construct writes route-scopes.json
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>, dir: string): ConfigResult {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    const value = raw ? Number(raw) : fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}: ${raw} is not an integer in ${min}..${max}`);
    }
    return value;
  };
  const claims = (name: string, fallback: string) => {
    const names = list(env[name] ?? fallback);
    if (!names.length) problems.push(`${name}: no claim names`);
    return names;
  };

  const issuers = list(env.JWT_ISSUER);
  if (!issuers.length) problems.push('JWT_ISSUER: missing');
  // An issuer need not be a URL, but a plain http one stays loopback-only (its discovery would be spoofable).
  if (issuers.some((issuer) => /^http:/i.test(issuer) && !isKeyUrl(issuer))) problems.push('JWT_ISSUER: plain http only to loopback');

  // Unset: discovered from the first issuer, which must then be a URL keys may come from.
  const jwksUri = env.JWKS_URI?.trim() || undefined;
  if (!isKeyUrl(jwksUri ?? issuers[0] ?? '')) {
    problems.push(jwksUri ? 'JWKS_URI: must be an https URL' : 'JWKS_URI: missing, and the first JWT_ISSUER is not an https URL to discover it from');
  }

  const audience = list(env.JWT_AUDIENCE);
  if (!audience.length) problems.push('JWT_AUDIENCE: missing');

  const algorithms = env.JWT_ALGORITHMS === undefined ? ['RS256', 'ES256'] : list(env.JWT_ALGORITHMS);
  const unsupported = algorithms.filter((alg) => !SIGNING_ALGORITHM.test(alg));
  if (!algorithms.length || unsupported.length) {
    problems.push(`JWT_ALGORITHMS: "${unsupported}" is not a list of asymmetric JWS algorithms`);
  }

  const accessOnly = env.JWT_ACCESS_TOKENS_ONLY?.trim() || 'false';
  if (!/^(true|false)$/.test(accessOnly)) problems.push(`JWT_ACCESS_TOKENS_ONLY: ${accessOnly} is not true or false`);

  const config: AuthorizerConfig = {
    jwksUri,
    issuers,
    audience,
    algorithms,
    subjectClaims: claims('JWT_SUBJECT_CLAIMS', 'sub,client_id,azp'),
    scopeClaims: claims('JWT_SCOPE_CLAIMS', 'scope,scp'),
    accessTokensOnly: accessOnly === 'true',
    clockToleranceSeconds: int('JWT_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
    // Capped so a request waiting on a cold key set load still gets its answer within ~1.5 s.
    jwksTimeoutMs: int('JWKS_TIMEOUT_MS', 1000, 1, 1500),
    jwksCooldownMs: int('JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
    jwksFailureBackoffMs: int('JWKS_FAILURE_BACKOFF_MS', 10_000, 0, 3_600_000),
    jwksMaxAgeMs: int('JWKS_MAX_AGE_MS', 600_000, 1000, 86_400_000),
    routeScopesPath: env.ROUTE_SCOPES_PATH?.trim() || join(dir, 'route-scopes.json'),
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
