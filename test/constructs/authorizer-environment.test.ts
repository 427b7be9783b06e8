import { authorizerEnvironment, jwtSettings } from '../../lib/authorizer/jwt-authorizer';
import { validateServiceMap } from '../../lib/plan';

/** The environment the construct gives the authorizer, from the map's auth block (pure: no synth). */
const environmentOf = (auth: Record<string, unknown>) =>
  authorizerEnvironment({
    gatewayName: 'school',
    ...jwtSettings(validateServiceMap({ name: 'school', auth, services: { a: { path: '/a', url: 'https://a.example.com' } } }).map.auth.jwt!),
  });

describe('authorizer environment', () => {
  test('a map with issuer and audience only: no JWKS_URI (discovery), and nothing for the settings left at their defaults', () => {
    expect(environmentOf({ jwt: { issuer: 'https://id.example.com/', audience: ['school-api'] } })).toEqual({
      JWT_ISSUER: 'https://id.example.com/',
      JWT_AUDIENCE: 'school-api',
      JWT_ALGORITHMS: 'RS256,ES256',
      POWERTOOLS_SERVICE_NAME: 'school-authorizer',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  test('several issuers, claims and the access-token switch become comma-separated variables', () => {
    expect(
      environmentOf({
        jwt: {
          issuer: ['https://accounts.google.com', 'accounts.google.com'],
          audience: ['a', 'b'],
          jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
          subjectClaims: ['sub', 'azp'],
          scopeClaims: ['scp', 'roles'],
          accessTokensOnly: true,
        },
      }),
    ).toMatchObject({
      JWKS_URI: 'https://www.googleapis.com/oauth2/v3/certs',
      JWT_ISSUER: 'https://accounts.google.com,accounts.google.com',
      JWT_AUDIENCE: 'a,b',
      JWT_SUBJECT_CLAIMS: 'sub,azp',
      JWT_SCOPE_CLAIMS: 'scp,roles',
      JWT_ACCESS_TOKENS_ONLY: 'true',
    });
  });

  test('auth.cognito: the pool\'s issuer, its clients, RS256, access tokens only, discovery', () => {
    expect(environmentOf({ cognito: { userPoolId: 'eu-west-1_Ab12Cd34E', clientIds: ['client1', 'client2'] } })).toEqual({
      JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E',
      JWT_AUDIENCE: 'client1,client2',
      JWT_ALGORITHMS: 'RS256',
      JWT_ACCESS_TOKENS_ONLY: 'true',
      POWERTOOLS_SERVICE_NAME: 'school-authorizer',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });
});
