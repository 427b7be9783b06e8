import { jwtIssuers } from '../../lib/service-map';
import { validateServiceMap } from '../../lib/plan';
import { rejectionOf as problemsOf } from '../support/problems';

const map = (auth: Record<string, unknown>, scopes: string[] = ['orders:read']) => ({
  name: 'shop',
  auth,
  services: { orders: { path: '/orders', container: { image: 'nginx:1.27' }, scopes } },
});
const ISSUER = 'https://id.example.com/';
const jwt = (extra: Record<string, unknown> = {}) => ({ issuer: ISSUER, audience: ['orders-api'], ...extra });

describe('auth.jwt for the tokens identity providers issue', () => {
  test('issuer: one, or a list; a value need not be a URL, but a URL must be https and none may hold a comma or space', () => {
    expect(jwtIssuers(validateServiceMap(map({ jwt: jwt() })).map.auth.jwt!)).toEqual([ISSUER]);
    const google = validateServiceMap(map({ jwt: jwt({ issuer: ['https://accounts.google.com', 'accounts.google.com'] }) })).map.auth.jwt!;
    expect(jwtIssuers(google)).toEqual(['https://accounts.google.com', 'accounts.google.com']);

    const rule = '(an https:// URL without credentials, query or fragment, or a value without a scheme such as "accounts.google.com"; no spaces, commas, quotes, braces or "$")';
    expect(problemsOf(map({ jwt: jwt({ issuer: ['http://id.example.com/', ISSUER, 'a,b', 'a b', 42] }) }))).toEqual([
      // Each bad entry at its own index (a list of issuers is the form the user wrote).
      `auth.jwt.issuer[0]: "http://id.example.com/" is not an issuer ${rule}`,
      `auth.jwt.issuer[2]: "a,b" is not an issuer ${rule}`,
      `auth.jwt.issuer[3]: "a b" is not an issuer ${rule}`,
      'auth.jwt.issuer[4]: expected a string, got 42',
    ]);
    expect(problemsOf(map({ jwt: jwt({ issuer: 'http://id.example.com/' }) }))).toEqual([`auth.jwt.issuer: "http://id.example.com/" is not an issuer ${rule}`]);
    expect(problemsOf(map({ jwt: jwt({ issuer: [] }) }))).toEqual(['auth.jwt.issuer: expected at least one issuer']);
    expect(problemsOf(map({ jwt: jwt({ issuer: { url: ISSUER } }) }))).toEqual(['auth.jwt.issuer: expected an issuer or a list of issuers, got an object']);
  });

  test('without jwksUri the key set is discovered from the first issuer, so it must be an https URL', () => {
    expect(problemsOf(map({ jwt: jwt({ issuer: ['accounts.google.com', 'https://accounts.google.com'] }) }))).toEqual([
      'auth.jwt.jwksUri: needed when the first issuer ("accounts.google.com") is not an https URL, since the key set is discovered from it; list an https issuer first or set jwksUri',
    ]);
    expect(() => validateServiceMap(map({ jwt: jwt({ issuer: ['accounts.google.com'], jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' }) }))).not.toThrow();
  });

  test('subjectClaims, scopeClaims and accessTokensOnly are optional; claim names hold no comma', () => {
    const resolved = validateServiceMap(map({ jwt: jwt() })).map.auth.jwt!;
    expect(resolved).not.toHaveProperty('subjectClaims');
    expect(resolved).not.toHaveProperty('scopeClaims');
    expect(resolved).not.toHaveProperty('accessTokensOnly');
    expect(problemsOf(map({ jwt: jwt({ subjectClaims: [], scopeClaims: ['scope', 'a,b'], accessTokensOnly: 'yes' }) }))).toEqual([
      'auth.jwt.subjectClaims: expected at least one subject claim',
      'auth.jwt.scopeClaims[1]: "a,b" is not a claim name (1 to 128 visible characters, no comma)',
      expect.stringMatching(/^auth\.jwt\.accessTokensOnly: /),
    ]);
  });
});

describe('auth.cognito', () => {
  test('a user pool and its app clients stand for the issuer, client_id audience, RS256 and access tokens only', () => {
    const { map: resolved } = validateServiceMap(map({ cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['4q2a1b3c5d6e7f8g9h0i1j2k3l'] } }));
    expect(resolved.auth.jwt).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E',
      audience: ['4q2a1b3c5d6e7f8g9h0i1j2k3l'],
      algorithms: ['RS256'],
      accessTokensOnly: true,
    });
    // Services default to jwt, as with auth.jwt.
    expect(resolved.auth.cognito).toEqual({ userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['4q2a1b3c5d6e7f8g9h0i1j2k3l'] });
    // The resolved map (as recorded for verify) is a valid map that means the same.
    expect(validateServiceMap(map(resolved.auth)).map.auth).toEqual(resolved.auth);
    const china = validateServiceMap(map({ cognito: { userPoolId: 'cn-north-1_Ab12Cd34E', clientIds: ['abc'] } })).map.auth.jwt!;
    expect(china.issuer).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab12Cd34E');
  });

  test('bad pool ids and client ids, and auth.jwt beside it, are reported with their paths', () => {
    expect(problemsOf(map({ cognito: { userPoolId: 'AbCd', clientIds: ['ok', 'not ok'] } }))).toEqual([
      'auth.cognito.userPoolId: "AbCd" is not a Cognito user pool id (such as "eu-west-1_AbCdEf123")',
      'auth.cognito.clientIds[1]: "not ok" is not a Cognito app client id',
    ]);
    expect(problemsOf(map({ cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: [] } }))).toEqual(['auth.cognito.clientIds: expected at least one app client id']);
    expect(problemsOf(map({ jwt: jwt(), cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['abc'] } }))).toEqual([
      'auth.cognito: set auth.jwt or auth.cognito, not both (auth.cognito stands for a whole auth.jwt)',
    ]);
    expect(problemsOf(map({ cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['abc'], region: 'eu-west-1' } }))).toEqual([
      'auth.cognito: unknown field "region" (valid fields: userPoolId, clientIds)',
    ]);
  });
});

describe('what the native JWT authorizer cannot honour is an error naming authorizer "lambda"', () => {
  const native = (auth: Record<string, unknown>) => map({ ...auth, authorizer: 'native' });
  test.each<[string, Record<string, unknown>, string]>([
    ['several issuers', { jwt: jwt({ issuer: [ISSUER, 'https://other.example.com/'] }) }, 'auth.jwt.issuer: the native JWT authorizer accepts one issuer, not 2; set auth.authorizer to "lambda" to accept several'],
    [
      'an issuer that is not an https URL',
      { jwt: jwt({ issuer: 'accounts.google.com', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' }) },
      'auth.jwt.issuer: the native JWT authorizer needs an https issuer URL to discover its keys from, not "accounts.google.com"; set auth.authorizer to "lambda"',
    ],
    [
      'scopes in other claims',
      { jwt: jwt({ scopeClaims: ['scp', 'roles', 'permissions'] }) },
      'auth.jwt.scopeClaims: the native JWT authorizer reads scopes from "scope" and "scp" only, not "roles", "permissions"; set auth.authorizer to "lambda"',
    ],
    [
      'a subject fallback order',
      { jwt: jwt({ subjectClaims: ['sub', 'client_id'] }) },
      'auth.jwt.subjectClaims: the native JWT authorizer names the caller by "sub" only and has no fallback order; set auth.authorizer to "lambda", or leave subjectClaims out',
    ],
    [
      'another subject claim',
      { jwt: jwt({ subjectClaims: ['oid'] }) },
      'auth.jwt.subjectClaims: the native JWT authorizer names the caller by "sub" only and has no fallback order; set auth.authorizer to "lambda", or leave subjectClaims out',
    ],
    [
      'the token type check',
      { jwt: jwt({ accessTokensOnly: true }) },
      'auth.jwt.accessTokensOnly: the native JWT authorizer cannot check the token type (token_use, typ); set auth.authorizer to "lambda", or leave accessTokensOnly out',
    ],
    [
      'the Cognito shortcut (access tokens only)',
      { cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['abc'] } },
      'auth.cognito: the native JWT authorizer cannot tell Cognito ID tokens from access tokens (both carry an app client id), and auth.cognito accepts access tokens only; set auth.authorizer to "lambda", or write auth.jwt with the pool\'s issuer and client ids to accept both kinds',
    ],
  ])('%s', (_case, auth, problem) => {
    expect(problemsOf(native(auth))).toEqual([problem]);
    // The Lambda authorizer honours it.
    expect(() => validateServiceMap(map(auth))).not.toThrow();
  });

  test('what it can honour passes: one https issuer, scope/scp, subject "sub", the audience matched on aud or client_id', () => {
    expect(() => validateServiceMap(native({ jwt: jwt({ audience: ['a', 'b'], scopeClaims: ['scp', 'scope'], subjectClaims: ['sub'], accessTokensOnly: false }) }))).not.toThrow();
  });

  test('every limitation at once', () => {
    const problems = problemsOf(native({ jwt: jwt({ issuer: [ISSUER, 'x.example.com'], scopeClaims: ['roles'], subjectClaims: ['azp'], accessTokensOnly: true }) }));
    expect(problems.map((p) => p.split(':')[0])).toEqual(['auth.jwt.issuer', 'auth.jwt.scopeClaims', 'auth.jwt.subjectClaims', 'auth.jwt.accessTokensOnly']);
  });
});
