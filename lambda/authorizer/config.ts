import { join } from 'node:path';

/** Everything the authorizer needs, already validated. */
export interface AuthorizerConfig {
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  /** Bound on one JWKS fetch, body included. */
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
 * Reads the environment contract of the authorizer (see README.md).
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

  const jwksUri = env.JWKS_URI?.trim() ?? '';
  let url: URL | undefined;
  try {
    url = new URL(jwksUri);
  } catch {
    problems.push('JWKS_URI: missing or not a URL');
  }
  // Plain http only to loopback (local tests): anywhere else it would let the network swap the keys.
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))) {
    problems.push('JWKS_URI: must be an https URL');
  }

  const issuer = env.JWT_ISSUER?.trim() ?? '';
  if (!issuer) problems.push('JWT_ISSUER: missing');

  const audience = list(env.JWT_AUDIENCE);
  if (!audience.length) problems.push('JWT_AUDIENCE: missing');

  const algorithms = env.JWT_ALGORITHMS === undefined ? ['RS256', 'ES256'] : list(env.JWT_ALGORITHMS);
  const unsupported = algorithms.filter((alg) => !SIGNING_ALGORITHM.test(alg));
  if (!algorithms.length || unsupported.length) {
    problems.push(`JWT_ALGORITHMS: "${unsupported}" is not a list of asymmetric JWS algorithms`);
  }

  const config: AuthorizerConfig = {
    jwksUri,
    issuer,
    audience,
    algorithms,
    clockToleranceSeconds: int('JWT_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
    // Capped so a request waiting on a cold JWKS fetch still gets its answer within ~1.5 s.
    jwksTimeoutMs: int('JWKS_TIMEOUT_MS', 1000, 1, 1500),
    jwksCooldownMs: int('JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
    jwksFailureBackoffMs: int('JWKS_FAILURE_BACKOFF_MS', 10_000, 0, 3_600_000),
    jwksMaxAgeMs: int('JWKS_MAX_AGE_MS', 600_000, 1000, 86_400_000),
    routeScopesPath: env.ROUTE_SCOPES_PATH?.trim() || join(dir, 'route-scopes.json'),
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
