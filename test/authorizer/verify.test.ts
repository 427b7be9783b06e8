import { createHmac, generateKeyPairSync } from 'node:crypto';
import {
  authorizerModule,
  Clock,
  env,
  recordingLog,
  routeScopesFile,
  ROUTES,
  type AuthorizerModule,
} from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { b64url, issuerKey, json64, signParts, token, type IssuerKey } from './support/tokens';

let mod: typeof AuthorizerModule;
let server: JwksServer;
let rsa: IssuerKey;
let ec: IssuerKey;
let routesPath: string;

beforeAll(async () => {
  mod = await authorizerModule();
  rsa = issuerKey('RS256', 'rsa-1');
  ec = issuerKey('ES256', 'ec-1');
  server = await JwksServer.start([rsa.jwk, ec.jwk]);
  routesPath = routeScopesFile(ROUTES);
});
afterAll(() => server.close());

/** A fresh authorizer (as after a cold start) with a controllable clock. */
function fresh(extraEnv: Record<string, string | undefined> = {}) {
  const clock = new Clock();
  const { log, entries } = recordingLog();
  const authorizer = mod.createAuthorizer(mod.configFromEnv(env(server.url, routesPath, extraEnv), '/nowhere'), {
    now: clock.now,
    log,
  });
  const decide = (authorization: string | undefined, route = 'ANY /live-reading') =>
    authorizer.verifier.decide(authorization, route);
  return { authorizer, clock, entries, decide };
}

const bearer = (jwt: string) => `Bearer ${jwt}`;

describe('JWT authorizer verification core', () => {
  describe('allows a valid token for this issuer and audience', () => {
    test.each([
      ['RS256', () => rsa],
      ['ES256', () => ec],
    ])('%s', async (_alg, key) => {
      const { decide, clock } = fresh();
      await expect(decide(bearer(token(key(), clock.ms)))).resolves.toEqual({
        allow: true,
        sub: 'user-123',
        scopes: ['reading:read'],
        everyRoute: false,
      });
    });

    test('with the scheme in any case and an audience list holding ours', async () => {
      const { decide, clock } = fresh();
      const jwt = token(rsa, clock.ms, { claims: { aud: ['someone-else', 'school-api'] } });
      await expect(decide(`bEaReR ${jwt}`)).resolves.toMatchObject({ allow: true });
    });

    test('expired by less than the clock tolerance (5 s)', async () => {
      const { decide, clock } = fresh();
      const now = Math.floor(clock.ms / 1000);
      const jwt = token(rsa, clock.ms, { claims: { exp: now - 3, iat: now - 60 } });
      await expect(decide(bearer(jwt))).resolves.toMatchObject({ allow: true });
    });
  });

  describe('denies', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => string | undefined, string]> = [
      ['no Authorization header', () => undefined, 'no_token'],
      ['an empty Authorization header', () => '', 'no_token'],
      ['a Basic scheme', () => `Basic ${b64url('user:password')}`, 'bad_scheme'],
      ['a token without scheme', () => token(rsa, Date.now()), 'bad_scheme'],
      ['the scheme alone', () => 'Bearer ', 'bad_scheme'],
      ['another scheme with a valid token', () => `Token ${token(rsa, Date.now())}`, 'bad_scheme'],
      ['a token of 10 241 characters', () => bearer(`${'a'.repeat(10_237)}.b.c`), 'token_too_large'],
      ['a token longer than 10 240 bytes in claims', () => bearer(token(rsa, Date.now(), { claims: { pad: 'x'.repeat(7600) } })), 'token_too_large'],
      ['an Authorization header over 10 247 characters', () => `Bearer${' '.repeat(10_241)}x`, 'token_too_large'],
      ['two segments', () => bearer(token(rsa, Date.now()).split('.').slice(0, 2).join('.')), 'malformed'],
      ['four segments', () => bearer(`${token(rsa, Date.now())}.e30`), 'malformed'],
      ['garbage', () => 'Bearer not-a-jwt', 'malformed'],
      ['a header that is not JSON', () => bearer(signParts(b64url('alg'), json64({}), rsa.privateKey, 'RS256')), 'jws_invalid'],
      ['a payload that is not a JSON object', () => bearer(signParts(json64({ alg: 'RS256', kid: 'rsa-1' }), json64([1]), rsa.privateKey, 'RS256')), 'jwt_invalid'],
      ['alg none without signature', () => bearer(`${json64({ alg: 'none' })}.${json64({ sub: 'x' })}.`), 'malformed'],
      ['alg none with a signature', () => bearer(`${json64({ alg: 'none', kid: 'rsa-1' })}.${json64({ sub: 'x' })}.AAAA`), 'jose_alg_not_allowed'],
      [
        'HS256 signed with the RSA public key (key confusion)',
        () => {
          const header = json64({ alg: 'HS256', kid: 'rsa-1', typ: 'JWT' });
          const payload = json64({ iss: 'https://id.example.com/', aud: 'school-api', sub: 'attacker', exp: now() + 300 });
          const secret = rsa.publicKey.export({ format: 'pem', type: 'spki' });
          return bearer(`${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`);
        },
        'jose_alg_not_allowed',
      ],
      ['RS384, outside the allow-list', () => bearer(token(rsa, Date.now(), { header: { alg: 'RS384' } })), 'jose_alg_not_allowed'],
      ['RS256 claimed for the EC key', () => bearer(token(ec, Date.now(), { header: { alg: 'RS256' }, signWith: rsa.privateKey })), 'unknown_key'],
      ['an expired token', () => bearer(token(rsa, Date.now() - 3_600_000)), 'jwt_expired'],
      ['a token without exp', () => bearer(token(rsa, Date.now(), { claims: { exp: undefined } })), 'missing_exp'],
      ['a token with a string exp', () => bearer(token(rsa, Date.now(), { claims: { exp: String(now() + 300) } })), 'bad_exp'],
      ['a token not valid before a minute from now', () => bearer(token(rsa, Date.now(), { claims: { nbf: now() + 60 } })), 'bad_nbf'],
      ['a token issued a minute in the future', () => bearer(token(rsa, Date.now(), { claims: { iat: now() + 60 } })), 'iat_in_future'],
      ['another issuer', () => bearer(token(rsa, Date.now(), { claims: { iss: 'https://evil.example.com/' } })), 'bad_iss'],
      ['no issuer', () => bearer(token(rsa, Date.now(), { claims: { iss: undefined } })), 'missing_iss'],
      ['another audience', () => bearer(token(rsa, Date.now(), { claims: { aud: 'other-service' } })), 'bad_aud'],
      ['no audience', () => bearer(token(rsa, Date.now(), { claims: { aud: undefined } })), 'missing_aud'],
      ['no subject', () => bearer(token(rsa, Date.now(), { claims: { sub: undefined } })), 'missing_sub'],
      ['a numeric subject', () => bearer(token(rsa, Date.now(), { claims: { sub: 42 } })), 'bad_sub'],
      ['a subject with a line break (header injection)', () => bearer(token(rsa, Date.now(), { claims: { sub: 'a\r\nx-admin: 1' } })), 'bad_sub'],
      ['an unknown crit header', () => bearer(token(rsa, Date.now(), { header: { crit: ['exp-check'], 'exp-check': true } })), 'jose_not_supported'],
      ['a jku header', () => bearer(token(rsa, Date.now(), { header: { jku: 'https://evil.example.com/jwks.json' } })), 'key_in_header'],
      ['an x5u header', () => bearer(token(rsa, Date.now(), { header: { x5u: 'https://evil.example.com/cert.pem' } })), 'key_in_header'],
      ['an embedded jwk header', () => bearer(token(rsa, Date.now(), { header: { jwk: rsa.jwk } })), 'key_in_header'],
      ['an embedded x5c header', () => bearer(token(rsa, Date.now(), { header: { x5c: ['MIIB'] } })), 'key_in_header'],
      [
        'a signature from a foreign key with our kid',
        () => bearer(token(rsa, Date.now(), { signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })),
        'jws_signature_verification_failed',
      ],
      [
        'a tampered payload',
        () => {
          const [header, , signature] = token(rsa, Date.now()).split('.');
          const payload = json64({ iss: 'https://id.example.com/', aud: 'school-api', sub: 'admin', exp: now() + 300, scope: 'reading:read' });
          return bearer(`${header}.${payload}.${signature}`);
        },
        'jws_signature_verification_failed',
      ],
      ['an unknown kid', () => bearer(token({ ...rsa, kid: 'rsa-unknown' }, Date.now())), 'unknown_key'],
    ];

    test.each(cases)('%s', async (_name, authorization, reason) => {
      const { decide } = fresh();
      const decision = await decide(authorization());
      expect(decision).toMatchObject({ allow: false, reason });
    });

    describe('non-canonical encodings of an otherwise valid token', () => {
      const variants: Array<[string, (parts: string[]) => string]> = [
        ['base64 padding on the payload', ([h, p, s]) => `${h}.${p}${'='.repeat((4 - (p.length % 4)) % 4 || 1)}.${s}`],
        ['padding on the signature', ([h, p, s]) => `${h}.${p}.${s}==`],
        ['a space inside the payload', ([h, p, s]) => `${h}.${p.slice(0, 10)} ${p.slice(10)}.${s}`],
        ['a line break inside the signature', ([h, p, s]) => `${h}.${p}.${s.slice(0, 10)}\n${s.slice(10)}`],
        ['stray low bits in the last signature character', ([h, p, s]) => `${h}.${p}.${flipLowBit(s)}`],
        ['the standard base64 alphabet', ([h, p, s]) => `${h}.${p.replace(/-/g, '+').replace(/_/g, '/')}.${s}`],
      ];

      test.each(variants)('%s', async (_name, respell) => {
        const { decide, clock } = fresh();
        // Five '?' (0x3f) in a row hold an aligned 0x3f3f3f, spelled `Pz8_`: the payload surely has a `_`.
        const valid = token(ec, clock.ms, { claims: { note: '?????' } });
        const variant = respell(valid.split('.'));
        expect(variant).not.toBe(valid);
        // The respelled bytes are the same (a lenient decoder accepts them); only the spelling differs.
        await expect(decide(bearer(valid))).resolves.toMatchObject({ allow: true });
        await expect(decide(bearer(variant))).resolves.toMatchObject({ allow: false, reason: 'malformed' });
      });
    });
  });

  test('a key URL in a token (jku, x5u) is never fetched, even when it points at a reachable server', async () => {
    // GIVEN URLs on the very JWKS server the authorizer trusts, where a fetch would show up
    const base = server.url.replace(/\/\.well-known\/jwks\.json$/, '');
    const { decide, clock } = fresh();
    const before = server.paths.length;

    // WHEN tokens name their own key locations
    const answers = await Promise.all([
      decide(bearer(token(rsa, clock.ms, { header: { jku: `${base}/attacker/jwks.json` } }))),
      decide(bearer(token(rsa, clock.ms, { header: { x5u: `${base}/attacker/cert.pem` } }))),
    ]);

    // THEN both are denied and the server saw no request but (at most) the configured JWKS fetch
    expect(answers).toEqual([expect.objectContaining({ allow: false, reason: 'key_in_header' }), expect.objectContaining({ allow: false, reason: 'key_in_header' })]);
    expect(server.paths.slice(before).filter((p) => p !== '/.well-known/jwks.json')).toEqual([]);
  });

  describe('route scopes', () => {
    test('a route needing a scope allows a token carrying it among others', async () => {
      const { decide, clock } = fresh();
      const jwt = token(rsa, clock.ms, { claims: { scope: 'openid reading:read profile' } });
      await expect(decide(bearer(jwt), 'ANY /live-reading/{proxy+}')).resolves.toEqual({
        allow: true,
        sub: 'user-123',
        scopes: ['openid', 'reading:read', 'profile'],
        everyRoute: false,
      });
    });

    test('a token without the scope is denied, with its subject for the log', async () => {
      const { decide, clock } = fresh();
      const jwt = token(rsa, clock.ms, { claims: { scope: 'reading:write reading:readx' } });
      await expect(decide(bearer(jwt), 'ANY /live-reading')).resolves.toEqual({
        allow: false,
        reason: 'insufficient_scope',
        sub: 'user-123',
      });
    });

    test('all listed scopes are required, from `scope` and `scp` together', async () => {
      const { decide, clock } = fresh();
      const one = token(rsa, clock.ms, { claims: { scope: 'grades:read' } });
      const both = token(rsa, clock.ms, { claims: { scope: 'grades:read', scp: ['grades:write'] } });
      const scpOnly = token(rsa, clock.ms, { claims: { scope: undefined, scp: ['grades:write', 'grades:read'] } });
      await expect(decide(bearer(one), 'ANY /grades')).resolves.toMatchObject({ allow: false, reason: 'insufficient_scope' });
      await expect(decide(bearer(both), 'ANY /grades')).resolves.toMatchObject({ allow: true });
      await expect(decide(bearer(scpOnly), 'ANY /grades')).resolves.toMatchObject({ allow: true });
    });

    test('an allow says whether the token carries the scopes of every route in the file', async () => {
      const { decide, clock } = fresh();
      const all = token(rsa, clock.ms, { claims: { scope: 'grades:write reading:read grades:read' } });
      const some = token(rsa, clock.ms, { claims: { scope: 'grades:write grades:read' } });
      await expect(decide(bearer(all), 'ANY /payment')).resolves.toMatchObject({ allow: true, everyRoute: true });
      await expect(decide(bearer(some), 'ANY /payment')).resolves.toMatchObject({ allow: true, everyRoute: false });
    });

    test('scopes that could not travel in a header are dropped, not passed on', async () => {
      const { decide, clock } = fresh();
      const jwt = token(rsa, clock.ms, { claims: { scope: 'reading:read', scp: ['a"b', 'ok', 7, 'x\\y'] } });
      await expect(decide(bearer(jwt), 'ANY /payment')).resolves.toMatchObject({ scopes: ['reading:read', 'ok'] });
    });

    test('a route with no scopes needs only a valid token', async () => {
      const { decide, clock } = fresh();
      const jwt = token(rsa, clock.ms, { claims: { scope: undefined } });
      await expect(decide(bearer(jwt), 'ANY /payment')).resolves.toEqual({ allow: true, sub: 'user-123', scopes: [], everyRoute: false });
      await expect(decide(bearer('a.b.c'), 'ANY /payment')).resolves.toMatchObject({ allow: false });
    });

    test.each(['ANY /unknown', 'GET /live-reading', '$default', 'constructor', '__proto__', ''])(
      'a route key missing from the file (%p) is denied, even with a valid token',
      async (route) => {
        const { decide, clock } = fresh();
        const jwt = token(rsa, clock.ms, { claims: { scope: 'reading:read grades:read grades:write' } });
        await expect(decide(bearer(jwt), route)).resolves.toEqual({ allow: false, reason: 'unknown_route' });
      },
    );
  });
});

function flipLowBit(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment[segment.length - 1]);
  if (segment.length % 4 === 0) throw new Error('no spare bits in a full quantum');
  return segment.slice(0, -1) + alphabet[last ^ 1];
}
