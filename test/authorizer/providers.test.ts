import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authorizerEnvironment, jwtSettings } from '../../lib/authorizer/jwt-authorizer';
import { validateServiceMap } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map/schema';
import { authorizerModule, Clock, recordingLog, routeScopesFile, type AuthorizerModule } from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { PROVIDERS, type Provider, type ProviderToken } from './support/providers';
import { issuerKey, json64, signParts, type IssuerKey } from './support/tokens';

/**
 * Tokens shaped as Cognito, Auth0, Okta, Entra ID, Keycloak and Google issue them, through the bundled
 * authorizer configured exactly as the construct configures it from the map snippets of docs/authorizer.md
 * (map -> validated auth.jwt -> environment), with both API Gateway event adapters.
 */

let mod: typeof AuthorizerModule;
let key: IssuerKey;
let server: JwksServer;

beforeAll(async () => {
  mod = await authorizerModule();
  key = issuerKey('RS256', 'provider-key-1');
  server = await JwksServer.start([key.jwk]);
});
afterAll(() => server.close());

const API = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';

function httpEvent(routeKey: string, authorization: string): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `${API}/GET${routeKey.slice(4)}`,
    identitySource: [authorization],
    routeKey,
    rawPath: routeKey.slice(4),
    rawQueryString: '',
    cookies: [],
    headers: { authorization },
    requestContext: { requestId: 'req-http' } as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

function restEvent(routeKey: string, authorization: string): APIGatewayRequestAuthorizerEvent {
  const resource = routeKey.slice(4);
  return {
    type: 'REQUEST',
    methodArn: `${API}/GET${resource}`,
    resource,
    path: resource,
    httpMethod: 'GET',
    headers: { Authorization: authorization },
    multiValueHeaders: null,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'req-rest' } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

/** The map of a gateway with the provider's auth block; validated as `cdk synth` would. */
function resolvedJwt(auth: ServiceMap['auth']) {
  const map = validateServiceMap({ name: 'school', auth, services: { orders: { path: '/orders', url: 'https://orders.example.com' } } }).map;
  return map.auth.jwt!;
}

/** The function's environment, as the construct writes it for this auth block, plus the test's loopback key set. */
function environment(auth: ServiceMap['auth'], routes: Record<string, readonly string[]>, overrides: Record<string, string | undefined> = {}) {
  return {
    ...authorizerEnvironment({ gatewayName: 'school', ...jwtSettings(resolvedJwt(auth)) }),
    // The providers' hosts are not reachable from a test: their key set is served on loopback.
    JWKS_URI: server.url,
    ROUTE_SCOPES_PATH: routeScopesFile(routes as Record<string, string[]>),
    ...overrides,
  };
}

function authorizerFor(env: Record<string, string | undefined>, clock = new Clock()) {
  const { log, entries } = recordingLog();
  return { authorizer: mod.createAuthorizer(mod.configFromEnv(env, '/nowhere'), { now: clock.now, log }), entries, clock };
}

const routesOf = (provider: Provider) => ({
  [provider.user.route]: [...provider.user.routeScopes],
  [provider.machine.route]: [...provider.machine.routeScopes],
});

/** A token as the provider shapes it, signed with the test's key; `claims` replace or (undefined) remove claims. */
function sign(spec: ProviderToken, issuer: string, nowMs: number, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const all = { ...spec.claims(issuer, Math.floor(nowMs / 1000)), ...claims };
  const payload = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
  return signParts(json64({ alg: 'RS256', kid: key.kid, ...spec.header, ...header }), json64(payload), key.privateKey, 'RS256');
}

const bearer = (jwt: string) => `Bearer ${jwt}`;

describe.each(PROVIDERS.map((p) => [p.name, p] as const))('%s', (_name, provider) => {
  const env = () => environment(provider.auth, routesOf(provider));

  describe.each([
    ['user token', 'user'],
    ['machine token', 'machine'],
  ] as const)('%s', (_kind, which) => {
    const spec = provider[which];

    test('is allowed through the HTTP API adapter, named by its subject, with its scopes', async () => {
      const { authorizer, clock } = authorizerFor(env());
      const response = await authorizer.handler(httpEvent(spec.route, bearer(sign(spec, provider.issuer, clock.ms))));
      expect(response).toEqual({ isAuthorized: true, context: { sub: spec.subject, scope: expect.any(String) } });
      const granted = response.context!.scope.split(' ');
      expect(granted).toEqual(expect.arrayContaining([...spec.routeScopes]));
    });

    test('is allowed through the REST API adapter', async () => {
      const { authorizer, clock } = authorizerFor(env());
      const response = await authorizer.restHandler(restEvent(spec.route, bearer(sign(spec, provider.issuer, clock.ms))));
      expect(response.principalId).toBe(spec.subject);
      expect(response.policyDocument.Statement[0].Effect).toBe('Allow');
      expect(response.context?.sub).toBe(spec.subject);
    });

    test.each<[string, (s: ProviderToken) => Record<string, unknown>, string]>([
      ['expired an hour ago', () => ({ exp: Math.floor(Date.now() / 1000) - 3600 }), 'jwt_expired'],
      ['from another issuer (another tenant, pool or realm)', () => ({ iss: 'https://evil.example.com/' }), 'bad_iss'],
      ['without an issuer', () => ({ iss: undefined }), 'missing_iss'],
      // aud present and wrong: denied even when client_id would match (API Gateway checks client_id only without aud).
      ['for another audience', (s) => ({ aud: 'https://other-api.example.com', client_id: s.claims('', 0).client_id }), 'bad_aud'],
      ['without aud and with another client_id', () => ({ aud: undefined, client_id: 'some-other-client' }), 'bad_client_id'],
      ['without aud and client_id', () => ({ aud: undefined, client_id: undefined }), 'missing_aud'],
    ])('is denied when %s', async (_case, change, reason) => {
      const { authorizer, clock } = authorizerFor(env());
      const jwt = sign(spec, provider.issuer, clock.ms, change(spec));
      await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ allow: false, reason });
      await expect(authorizer.handler(httpEvent(spec.route, bearer(jwt)))).resolves.toEqual({ isAuthorized: false });
      const rest = await authorizer.restHandler(restEvent(spec.route, bearer(jwt)));
      expect(rest.policyDocument.Statement[0].Effect).toBe('Deny');
    });

    test('is denied without any subject claim (sub, client_id, azp)', async () => {
      const { authorizer, clock } = authorizerFor(env());
      const claims = spec.claims(provider.issuer, 0);
      const jwt = sign(spec, provider.issuer, clock.ms, { sub: undefined, azp: undefined, client_id: undefined });
      // Without client_id, a token without aud (Cognito) has no audience either.
      const reason = claims.aud === undefined ? 'missing_aud' : 'missing_sub';
      await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ allow: false, reason });
    });

    const other = which === 'user' ? provider.machine : provider.user;
    // Google's tokens carry no scopes, and its routes need none: nothing to deny there, so no such case.
    const otherNeedsMore = !other.routeScopes.every((scope) => spec.routeScopes.includes(scope));
    if (otherNeedsMore) test('is denied on the other token kind\'s route, which needs other scopes', async () => {
      const { authorizer, clock } = authorizerFor(env());
      await expect(authorizer.verifier.decide(bearer(sign(spec, provider.issuer, clock.ms)), other.route)).resolves.toMatchObject({
        allow: false,
        reason: 'insufficient_scope',
      });
    });
  });
});

describe('the issue\'s table, turned around', () => {
  const cognito = PROVIDERS.find((p) => p.name === 'Amazon Cognito')!;
  const keycloak = PROVIDERS.find((p) => p.name === 'Keycloak')!;
  const entra = PROVIDERS.find((p) => p.name === 'Microsoft Entra ID')!;
  const auth0 = PROVIDERS.find((p) => p.name === 'Auth0')!;
  const google = PROVIDERS.find((p) => p.name === 'Google')!;

  test('a Cognito access token has no aud: its client_id is matched against the audience', async () => {
    const { authorizer, clock } = authorizerFor(environment(cognito.auth, routesOf(cognito)));
    const jwt = sign(cognito.user, cognito.issuer, clock.ms);
    expect(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).aud).toBeUndefined();
    await expect(authorizer.verifier.decide(bearer(jwt), cognito.user.route)).resolves.toMatchObject({ allow: true });
  });

  test('a client-credentials token without sub is named by client_id, then azp, in the configured order', async () => {
    const routes = routesOf(keycloak);
    const { authorizer, clock } = authorizerFor(environment(keycloak.auth, routes));
    const jwt = sign(keycloak.machine, keycloak.issuer, clock.ms);
    await expect(authorizer.verifier.decide(bearer(jwt), keycloak.machine.route)).resolves.toMatchObject({ allow: true, sub: 'orders-worker' });
    const azpOnly = sign(keycloak.machine, keycloak.issuer, clock.ms, { client_id: undefined, azp: 'azp-worker' });
    await expect(authorizer.verifier.decide(bearer(azpOnly), keycloak.machine.route)).resolves.toMatchObject({ allow: true, sub: 'azp-worker' });

    // subjectClaims reorders (and narrows) the fallback.
    const azpFirst = authorizerFor(environment({ jwt: { ...(keycloak.auth.jwt as object), subjectClaims: ['azp', 'sub'] } as never }, routes)).authorizer;
    await expect(azpFirst.verifier.decide(bearer(sign(keycloak.user, keycloak.issuer, clock.ms)), keycloak.user.route)).resolves.toMatchObject({ sub: 'school-web' });
    await expect(azpFirst.verifier.decide(bearer(sign(keycloak.machine, keycloak.issuer, clock.ms, { azp: undefined })), keycloak.machine.route)).resolves.toMatchObject({
      allow: false,
      reason: 'missing_sub',
    });
    // A subject claim that is present but unusable is not skipped.
    await expect(authorizer.verifier.decide(bearer(sign(keycloak.machine, keycloak.issuer, clock.ms, { client_id: 42 })), keycloak.machine.route)).resolves.toMatchObject({
      allow: false,
      reason: 'bad_sub',
    });
  });

  test('an Entra ID token of a user in many groups is allowed up to 10,240 characters, and denied beyond', async () => {
    const { authorizer, clock } = authorizerFor(environment(entra.auth, routesOf(entra)));
    const groups = Array.from({ length: 150 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const withName = (pad: number) => sign(entra.user, entra.issuer, clock.ms, { groups, name: 'x'.repeat(pad) });
    // The longest token of at most 10,240 characters (base64url grows 4 characters per 3 bytes).
    let low = 0;
    let high = 10_000;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (withName(mid).length <= 10_240) low = mid;
      else high = mid - 1;
    }
    const padded = (_length: number) => withName(low);
    const large = padded(10_240);
    expect(large.length).toBeGreaterThanOrEqual(10_238);
    expect(large.length).toBeLessThanOrEqual(10_240);
    await expect(authorizer.verifier.decide(bearer(large), entra.user.route)).resolves.toMatchObject({ allow: true });
    const tooLarge = sign(entra.user, entra.issuer, clock.ms, { name: 'x'.repeat(7800) });
    expect(tooLarge.length).toBeGreaterThan(10_240);
    await expect(authorizer.verifier.decide(bearer(tooLarge), entra.user.route)).resolves.toMatchObject({ allow: false, reason: 'token_too_large' });
  });

  test('roles (Entra ID app-only) and permissions (Auth0 RBAC) satisfy scopes only where scopeClaims names them', async () => {
    for (const [provider, claims] of [
      [entra, ['scp']],
      [auth0, ['scope']],
    ] as const) {
      const spec = provider === entra ? provider.machine : provider.user;
      const withClaims = authorizerFor(environment(provider.auth, routesOf(provider)));
      await expect(withClaims.authorizer.verifier.decide(bearer(sign(spec, provider.issuer, withClaims.clock.ms)), spec.route)).resolves.toMatchObject({ allow: true });
      const narrowAuth = { jwt: { ...(provider.auth.jwt as object), scopeClaims: [...claims] } } as ServiceMap['auth'];
      const narrow = authorizerFor(environment(narrowAuth, routesOf(provider)));
      await expect(narrow.authorizer.verifier.decide(bearer(sign(spec, provider.issuer, narrow.clock.ms)), spec.route)).resolves.toMatchObject({
        allow: false,
        reason: 'insufficient_scope',
      });
    }
  });

  test('several issuers: both of Google\'s forms, and Entra ID v1 and v2 of one tenant; nothing else', async () => {
    const g = authorizerFor(environment(google.auth, routesOf(google)));
    for (const iss of ['accounts.google.com', 'https://accounts.google.com']) {
      await expect(g.authorizer.verifier.decide(bearer(sign(google.user, iss, g.clock.ms, { iss })), google.user.route)).resolves.toMatchObject({ allow: true });
    }
    await expect(g.authorizer.verifier.decide(bearer(sign(google.user, '', g.clock.ms, { iss: 'https://accounts.google.com/' })), google.user.route)).resolves.toMatchObject({
      allow: false,
      reason: 'bad_iss',
    });
    const e = authorizerFor(environment(entra.auth, routesOf(entra)));
    const tenant = entra.issuer.split('/')[3];
    const v1 = sign(entra.user, `https://sts.windows.net/${tenant}/`, e.clock.ms, { ver: '1.0', appid: 'b8f2c1d0-1111-2222-3333-444455556666' });
    await expect(e.authorizer.verifier.decide(bearer(v1), entra.user.route)).resolves.toMatchObject({ allow: true });
    const otherTenant = sign(entra.user, 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/', e.clock.ms);
    await expect(e.authorizer.verifier.decide(bearer(otherTenant), entra.user.route)).resolves.toMatchObject({ allow: false, reason: 'bad_iss' });
  });

  test('a Cognito ID token is denied where access tokens are required (auth.cognito), even on a route without scopes', async () => {
    const routes = { 'ANY /profile': [] };
    const { authorizer, clock } = authorizerFor(environment(cognito.auth, routes));
    const idToken = sign(cognito.user, cognito.issuer, clock.ms, {
      token_use: 'id',
      aud: cognito.user.claims('', 0).client_id,
      client_id: undefined,
      scope: undefined,
      email: 'teacher@school.example',
      'cognito:username': 'teacher-1',
    });
    await expect(authorizer.verifier.decide(bearer(idToken), 'ANY /profile')).resolves.toMatchObject({ allow: false, reason: 'not_access_token' });
    await expect(authorizer.verifier.decide(bearer(sign(cognito.user, cognito.issuer, clock.ms)), 'ANY /profile')).resolves.toMatchObject({ allow: true });
    // Without the switch (auth.jwt written out), the same ID token passes, as it does on the native authorizer.
    const plain = authorizerFor(environment({ jwt: { issuer: cognito.issuer, audience: [cognito.user.claims('', 0).client_id as string] } }, routes));
    await expect(plain.authorizer.verifier.decide(bearer(idToken), 'ANY /profile')).resolves.toMatchObject({ allow: true });
  });

  test('accessTokensOnly accepts RFC 9068 access tokens (typ at+jwt) and denies ID tokens of other issuers', async () => {
    const auth = { jwt: { ...(auth0.auth.jwt as object), accessTokensOnly: true } } as ServiceMap['auth'];
    const { authorizer, clock } = authorizerFor(environment(auth, routesOf(auth0)));
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT']) {
      await expect(authorizer.verifier.decide(bearer(sign(auth0.user, auth0.issuer, clock.ms, {}, { typ })), auth0.user.route)).resolves.toMatchObject({ allow: true });
    }
    for (const typ of ['JWT', undefined, 'at+jwt+x']) {
      await expect(authorizer.verifier.decide(bearer(sign(auth0.user, auth0.issuer, clock.ms, {}, { typ })), auth0.user.route)).resolves.toMatchObject({
        allow: false,
        reason: 'not_access_token',
      });
    }
    // A token_use claim other than Cognito's "access" is no access token either.
    await expect(authorizer.verifier.decide(bearer(sign(auth0.user, auth0.issuer, clock.ms, { token_use: 'id' })), auth0.user.route)).resolves.toMatchObject({
      reason: 'not_access_token',
    });
  });
});

describe('OIDC discovery of the key set (no jwksUri)', () => {
  let idp: JwksServer;
  beforeEach(async () => {
    idp = await JwksServer.start([key.jwk]);
  });
  afterEach(() => idp.close());

  /** The provider mirrored on loopback: its issuer path on the test server, serving its discovery document. */
  function mirror(provider: Provider): string {
    const issuer = `${idp.base}${provider.issuerPath}`;
    idp.issuer = issuer;
    idp.jwksUri = `${idp.base}/discovered/keys`;
    return issuer;
  }

  /** The authorizer configured from the provider's map block, without JWKS_URI: it discovers. */
  const discovering = (provider: Provider, issuer: string, overrides: Record<string, string | undefined> = {}) =>
    authorizerFor(environment(provider.auth, routesOf(provider), { JWKS_URI: undefined, JWT_ISSUER: issuer, ...overrides }));

  function mirrored(provider: Provider, overrides: Record<string, string | undefined> = {}) {
    const issuer = mirror(provider);
    return { issuer, ...discovering(provider, issuer, overrides) };
  }

  test.each(PROVIDERS.map((p) => [p.name, p] as const))('%s: the key set named by <issuer>/.well-known/openid-configuration', async (_name, provider) => {
    const { issuer, authorizer, clock } = mirrored(provider);
    const spec = provider.machine;
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => authorizer.handler(httpEvent(spec.route, bearer(sign(spec, issuer, clock.ms, { iss: issuer }))))),
    );
    expect(decisions.every((d) => d.isAuthorized)).toBe(true);
    // One discovery, one key set fetch, at init; none per request.
    expect(idp.paths).toEqual([`${provider.issuerPath.replace(/\/$/, '')}/.well-known/openid-configuration`, '/discovered/keys']);
    // The key set came over the discovery document's connection (no second handshake).
    expect(idp.clientPorts[1]).toBe(idp.clientPorts[0]);
  });

  test('the discovered URL is kept: an unknown kid refetches the key set, not the discovery document', async () => {
    const provider = PROVIDERS[0];
    const { issuer, authorizer, clock } = mirrored(provider);
    const spec = provider.user;
    await expect(authorizer.verifier.decide(bearer(sign(spec, issuer, clock.ms, { iss: issuer })), spec.route)).resolves.toMatchObject({ allow: true });
    const rotated = issuerKey('RS256', 'provider-key-2');
    idp.keys = [key.jwk, rotated.jwk];
    clock.advance(31); // past the refetch cool-down
    const jwt = signParts(json64({ alg: 'RS256', kid: rotated.kid }), json64({ ...spec.claims(issuer, Math.floor(clock.ms / 1000)), iss: issuer }), rotated.privateKey, 'RS256');
    await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ allow: true });
    expect(idp.paths.filter((p) => p.endsWith('openid-configuration'))).toHaveLength(1);
    expect(idp.paths.filter((p) => p === '/discovered/keys')).toHaveLength(2);
    // A refetch, minutes later, opens a connection of its own (a kept one may have died while Lambda froze).
    expect(idp.clientPorts[2]).not.toBe(idp.clientPorts[1]);
  });

  test.each<[string, () => void]>([
    ['a document naming another issuer', () => (idp.discoveryIssuer = 'https://evil.example.com/realms/school')],
    ['a plain http jwks_uri off loopback', () => (idp.jwksUri = 'http://keys.example.com/jwks.json')],
    ['a document that fails', () => (idp.mode = 'fail')],
  ])('%s: no keys, every token denied (jwks_unavailable), retried once per back-off only', async (_case, breakIt) => {
    const provider = PROVIDERS.find((p) => p.name === 'Keycloak')!;
    const issuer = mirror(provider);
    breakIt();
    const { authorizer, clock, entries } = discovering(provider, issuer);
    const spec = provider.user;
    const jwt = sign(spec, issuer, clock.ms, { iss: issuer });
    await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ allow: false, reason: 'jwks_unavailable' });
    const before = idp.requests;
    await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ reason: 'jwks_unavailable' });
    expect(idp.requests).toBe(before);
    clock.advance(10);
    await expect(authorizer.verifier.decide(bearer(jwt), spec.route)).resolves.toMatchObject({ reason: 'jwks_unavailable' });
    expect(idp.requests).toBe(before + 1);
    expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warn', reason: 'jwks_fetch_failed' })]));
    // Only the discovery document was asked for: no key URL but the one it names is ever fetched.
    expect(new Set(idp.paths)).toEqual(new Set(['/realms/school/.well-known/openid-configuration']));
  });

  test('a hanging discovery document is bounded by JWKS_TIMEOUT_MS like the key set: the request is denied, not left waiting', async () => {
    const provider = PROVIDERS.find((p) => p.name === 'Okta')!;
    idp.mode = 'hang';
    const { issuer, authorizer, clock } = mirrored(provider, { JWKS_TIMEOUT_MS: '200' });
    const started = Date.now();
    const jwt = sign(provider.user, issuer, clock.ms, { iss: issuer });
    await expect(authorizer.verifier.decide(bearer(jwt), provider.user.route)).resolves.toMatchObject({ reason: 'jwks_unavailable' });
    // 200 ms asked; the rest is headroom for a loaded machine (the documented bound is ~1.5 s).
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
