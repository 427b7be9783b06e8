import { authorizerModule, Clock, env, recordingLog, routeScopesFile, ROUTES, type AuthorizerModule } from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { issuerKey, token, type IssuerKey } from './support/tokens';

let mod: typeof AuthorizerModule;
let server: JwksServer;
let key: IssuerKey;
let routesPath: string;

beforeAll(async () => {
  mod = await authorizerModule();
  key = issuerKey('RS256', 'rsa-1');
  server = await JwksServer.start([key.jwk]);
  routesPath = routeScopesFile(ROUTES);
});
afterAll(() => server.close());

/** Builds an authorizer from an environment and sends it three valid requests. */
async function tryEnv(vars: Record<string, string | undefined>) {
  const clock = new Clock();
  const { log, entries } = recordingLog();
  const authorizer = mod.createAuthorizer(mod.configFromEnv(vars, '/nowhere'), { now: clock.now, log });
  const decisions = [];
  for (let i = 0; i < 3; i++) {
    decisions.push(await authorizer.verifier.decide(`Bearer ${token(key, clock.ms)}`, 'ANY /live-reading'));
  }
  return { decisions, entries, errors: entries.filter((e) => e.level === 'error') };
}

describe('authorizer configuration (environment contract)', () => {
  test('the construct environment gives a working authorizer with the documented defaults', async () => {
    expect(mod.configFromEnv(env(server.url, routesPath), '/asset')).toEqual({
      ok: true,
      config: {
        jwksUri: server.url,
        issuers: ['https://id.example.com/'],
        audience: ['other-api', 'school-api'],
        algorithms: ['RS256', 'ES256'],
        subjectClaims: ['sub', 'client_id', 'azp'],
        scopeClaims: ['scope', 'scp'],
        accessTokensOnly: false,
        clockToleranceSeconds: 5,
        jwksTimeoutMs: 1000,
        jwksCooldownMs: 30_000,
        jwksFailureBackoffMs: 10_000,
        jwksMaxAgeMs: 600_000,
        routeScopesPath: routesPath,
      },
    });
    const { decisions } = await tryEnv(env(server.url, routesPath));
    expect(decisions.every((d) => d.allow)).toBe(true);
  });

  test('JWT_ISSUER holds several issuers; without JWKS_URI the key set is discovered from the first, an https URL', () => {
    const vars = env(server.url, routesPath, { JWKS_URI: undefined, JWT_ISSUER: ' https://login.example.com/t/v2.0 , accounts.google.com ,' });
    expect(mod.configFromEnv(vars, '/x')).toMatchObject({ ok: true, config: { jwksUri: undefined, issuers: ['https://login.example.com/t/v2.0', 'accounts.google.com'] } });
    expect(mod.configFromEnv({ ...vars, JWKS_URI: ' ' }, '/x')).toMatchObject({ ok: true, config: { jwksUri: undefined } });
  });

  test('route-scopes.json is read next to the bundle unless ROUTE_SCOPES_PATH says otherwise', () => {
    const result = mod.configFromEnv(env(server.url, routesPath, { ROUTE_SCOPES_PATH: undefined }), '/var/task');
    expect(result).toMatchObject({ ok: true, config: { routeScopesPath: '/var/task/route-scopes.json' } });
  });

  test.each<[string, Record<string, string | undefined>, RegExp]>([
    ['JWT_ISSUER missing', { JWT_ISSUER: undefined }, /JWT_ISSUER/],
    ['JWT_ISSUER blank', { JWT_ISSUER: '  ' }, /JWT_ISSUER/],
    ['JWT_AUDIENCE missing', { JWT_AUDIENCE: undefined }, /JWT_AUDIENCE/],
    ['JWT_AUDIENCE only commas', { JWT_AUDIENCE: ' , ,' }, /JWT_AUDIENCE/],
    ['JWKS_URI missing and the first issuer no URL to discover it from', { JWKS_URI: undefined, JWT_ISSUER: 'accounts.google.com,https://accounts.google.com' }, /JWKS_URI: missing/],
    ['JWKS_URI missing and the first issuer plain http off loopback', { JWKS_URI: undefined, JWT_ISSUER: 'http://id.example.com/' }, /JWKS_URI: missing/],
    ['JWT_ISSUER with a plain http issuer off loopback, even with JWKS_URI', { JWT_ISSUER: 'https://id.example.com/,http://id.example.com/' }, /JWT_ISSUER: plain http/],
    ['JWT_SUBJECT_CLAIMS only commas', { JWT_SUBJECT_CLAIMS: ',' }, /JWT_SUBJECT_CLAIMS/],
    ['JWT_SCOPE_CLAIMS empty', { JWT_SCOPE_CLAIMS: '' }, /JWT_SCOPE_CLAIMS/],
    ['JWT_ACCESS_TOKENS_ONLY not a boolean', { JWT_ACCESS_TOKENS_ONLY: 'yes' }, /JWT_ACCESS_TOKENS_ONLY/],
    ['JWKS_URI plain http off loopback', { JWKS_URI: 'http://id.example.com/jwks.json' }, /JWKS_URI/],
    ['JWT_ALGORITHMS with HS256', { JWT_ALGORITHMS: 'RS256,HS256' }, /JWT_ALGORITHMS/],
    ['JWT_ALGORITHMS with none', { JWT_ALGORITHMS: 'none' }, /JWT_ALGORITHMS/],
    ['JWT_ALGORITHMS empty', { JWT_ALGORITHMS: '' }, /JWT_ALGORITHMS/],
    ['a clock tolerance that is not a number', { JWT_CLOCK_TOLERANCE_SECONDS: 'five' }, /JWT_CLOCK_TOLERANCE_SECONDS/],
    ['a negative cool-down', { JWKS_COOLDOWN_MS: '-1' }, /JWKS_COOLDOWN_MS/],
  ])('%s: every request is denied, and the problem is logged once at init', async (_name, overrides, problem) => {
    const { decisions, errors } = await tryEnv(env(server.url, routesPath, overrides));
    expect(decisions).toEqual(Array(3).fill({ allow: false, reason: 'misconfigured' }));
    expect(errors).toHaveLength(1);
    expect(String(errors[0].problems)).toMatch(problem);
  });

  test('several problems are reported together', () => {
    const result = mod.configFromEnv({ JWT_ALGORITHMS: 'HS256' }, '/x');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.split(':')[0])).toEqual(['JWT_ISSUER', 'JWKS_URI', 'JWT_AUDIENCE', 'JWT_ALGORITHMS']);
  });

  test('JWT_ALGORITHMS narrows the allow-list', async () => {
    const { decisions } = await tryEnv(env(server.url, routesPath, { JWT_ALGORITHMS: 'ES256' }));
    expect(decisions[0]).toEqual({ allow: false, reason: 'jose_alg_not_allowed' });
  });

  test('JWT_CLOCK_TOLERANCE_SECONDS=0 denies a token expired a second ago', async () => {
    const clock = new Clock();
    const authorizer = mod.createAuthorizer(
      mod.configFromEnv(env(server.url, routesPath, { JWT_CLOCK_TOLERANCE_SECONDS: '0' }), '/x'),
      { now: clock.now, log: recordingLog().log },
    );
    const now = Math.floor(clock.ms / 1000);
    const jwt = token(key, clock.ms, { claims: { iat: now - 60, exp: now - 1 } });
    await expect(authorizer.verifier.decide(`Bearer ${jwt}`, 'ANY /payment')).resolves.toMatchObject({ reason: 'jwt_expired' });
  });

  test.each<[string, string | null]>([
    ['missing', null],
    ['not JSON', '{"ANY /x": ['],
    ['an array', '["ANY /x"]'],
    ['a route with a string instead of a list', '{"ANY /live-reading": "reading:read"}'],
    ['a route with a non-string scope', '{"ANY /live-reading": [1]}'],
    ['a route with an empty scope name', '{"ANY /live-reading": [""]}'],
  ])('route-scopes.json %s: every request is denied, logged once', async (_name, content) => {
    const path = content === null ? '/nonexistent/route-scopes.json' : routeScopesFile(content);
    const { decisions, errors } = await tryEnv(env(server.url, path));
    expect(decisions).toEqual(Array(3).fill({ allow: false, reason: 'no_route_scopes' }));
    expect(errors).toHaveLength(1);
  });

  test('no JWKS fetch is made when the configuration is unusable', async () => {
    const before = server.requests;
    await tryEnv(env(server.url, '/nonexistent/route-scopes.json'));
    await tryEnv(env(server.url, routesPath, { JWT_ISSUER: undefined }));
    expect(server.requests).toBe(before);
  });
});
