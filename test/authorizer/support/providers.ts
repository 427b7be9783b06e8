import type { ServiceMap } from '../../../lib/service-map/schema';

/**
 * Tokens shaped as each identity provider documents them (claim names, types and which claims a user or
 * a machine token has or lacks), and the map's auth block that docs/authorizer.md shows for it. Only
 * the shapes are the providers'; the values (ids, tenants) are made up, and the tests sign them with
 * their own keys.
 */
export interface ProviderToken {
  /** Header fields over `{ alg, kid }` (no `typ` unless the provider sets one). */
  readonly header?: Record<string, unknown>;
  readonly claims: (issuer: string, nowSeconds: number) => Record<string, unknown>;
  /** The route it calls and the scopes that route needs. */
  readonly route: string;
  readonly routeScopes: readonly string[];
  /** Who the gateway should say the caller is (x-gateway-user). */
  readonly subject: string;
}

export interface Provider {
  readonly name: string;
  /** The map's auth block for it (docs/authorizer.md). */
  readonly auth: NonNullable<ServiceMap['auth']>;
  /** The issuer the map names (tokens carry it as `iss`). */
  readonly issuer: string;
  /** The same issuer's path when the provider is mirrored on loopback for discovery (`''` = the host itself). */
  readonly issuerPath: string;
  readonly user: ProviderToken;
  readonly machine: ProviderToken;
}

const POOL = 'eu-west-1_Ab12Cd34E';
const COGNITO_CLIENT = '4q2a1b3c5d6e7f8g9h0i1j2k3l';
const COGNITO_M2M_CLIENT = '7m8n9o0p1q2r3s4t5u6v7w8x9y';
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const ENTRA_API = 'api://orders-api';
const GOOGLE_CLIENT = '123456789012-abcdefghijklmnop.apps.googleusercontent.com';

const times = (now: number) => ({ iat: now - 10, exp: now + 3600 });

export const PROVIDERS: readonly Provider[] = [
  {
    name: 'Amazon Cognito',
    auth: { cognito: { userPoolId: POOL, clientIds: [COGNITO_CLIENT, COGNITO_M2M_CLIENT] } },
    issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
    issuerPath: `/${POOL}`,
    // Access token after a user sign-in: no aud, client_id, token_use access.
    user: {
      claims: (iss, now) => ({
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'cognito:groups': ['teachers'],
        iss,
        version: 2,
        client_id: COGNITO_CLIENT,
        origin_jti: 'f1e2d3c4-0000-1111-2222-333344445555',
        event_id: '0a1b2c3d-4444-5555-6666-777788889999',
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin orders/read',
        auth_time: now - 10,
        ...times(now),
        jti: '12345678-aaaa-bbbb-cccc-ddddeeeeffff',
        username: 'teacher-1',
      }),
      route: 'ANY /orders',
      routeScopes: ['orders/read'],
      subject: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    },
    // Client-credentials access token: sub is the client id.
    machine: {
      claims: (iss, now) => ({
        sub: COGNITO_M2M_CLIENT,
        token_use: 'access',
        scope: 'orders/sync',
        auth_time: now - 10,
        iss,
        ...times(now),
        version: 2,
        jti: '87654321-aaaa-bbbb-cccc-ddddeeeeffff',
        client_id: COGNITO_M2M_CLIENT,
      }),
      route: 'ANY /jobs',
      routeScopes: ['orders/sync'],
      subject: COGNITO_M2M_CLIENT,
    },
  },
  {
    name: 'Auth0',
    auth: { jwt: { issuer: 'https://school.eu.auth0.com/', audience: ['https://orders.example.com'], scopeClaims: ['scope', 'permissions'] } },
    issuer: 'https://school.eu.auth0.com/',
    issuerPath: '/',
    // Access token for an API with RBAC: aud lists the API and /userinfo, permissions beside scope.
    user: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        iss,
        sub: 'auth0|64f0c0ffee0123456789abcd',
        aud: ['https://orders.example.com', `${iss}userinfo`],
        ...times(now),
        scope: 'openid profile email',
        azp: 'SPAclientIdAbCdEf0123456789',
        permissions: ['read:orders'],
      }),
      route: 'ANY /orders',
      routeScopes: ['read:orders'],
      subject: 'auth0|64f0c0ffee0123456789abcd',
    },
    // Machine-to-machine (client credentials): sub <client id>@clients, gty client-credentials.
    machine: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        iss,
        sub: 'M2MclientIdAbCdEf0123456789@clients',
        aud: 'https://orders.example.com',
        ...times(now),
        scope: 'sync:orders',
        gty: 'client-credentials',
        azp: 'M2MclientIdAbCdEf0123456789',
        permissions: ['sync:orders'],
      }),
      route: 'ANY /jobs',
      routeScopes: ['sync:orders'],
      subject: 'M2MclientIdAbCdEf0123456789@clients',
    },
  },
  {
    name: 'Okta',
    auth: { jwt: { issuer: 'https://school.okta.com/oauth2/default', audience: ['api://default'], algorithms: ['RS256'] } },
    issuer: 'https://school.okta.com/oauth2/default',
    issuerPath: '/oauth2/default',
    // Custom authorization server access token: scp array, cid, uid.
    user: {
      claims: (iss, now) => ({
        ver: 1,
        jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
        iss,
        aud: 'api://default',
        ...times(now),
        cid: '0oa1b2c3d4e5f6g7h8i9',
        uid: '00u1a2b3c4d5e6f7g8h9',
        scp: ['openid', 'orders.read'],
        auth_time: now - 10,
        sub: 'teacher@example.com',
      }),
      route: 'ANY /orders',
      routeScopes: ['orders.read'],
      subject: 'teacher@example.com',
    },
    // Client credentials: sub is the client id, no uid.
    machine: {
      claims: (iss, now) => ({
        ver: 1,
        jti: 'AT.9xYzq7_KjkfRkv4Xbc1GtGHzqS5YzNY2w2pDKdd4JIo',
        iss,
        aud: 'api://default',
        ...times(now),
        cid: '0oa9z8y7x6w5v4u3t2s1',
        scp: ['orders.sync'],
        sub: '0oa9z8y7x6w5v4u3t2s1',
      }),
      route: 'ANY /jobs',
      routeScopes: ['orders.sync'],
      subject: '0oa9z8y7x6w5v4u3t2s1',
    },
  },
  {
    name: 'Microsoft Entra ID',
    auth: {
      jwt: {
        issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`, `https://sts.windows.net/${TENANT}/`],
        audience: [ENTRA_API],
        algorithms: ['RS256'],
        scopeClaims: ['scp', 'roles'],
      },
    },
    issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    issuerPath: `/${TENANT}/v2.0`,
    // v2.0 delegated token: scp space-separated, sub pairwise, oid, tid, groups.
    user: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        aud: ENTRA_API,
        iss,
        ...times(now),
        nbf: now - 10,
        aio: 'AUQAu/8TAAAA',
        azp: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
        azpacr: '0',
        name: 'A Teacher',
        oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
        preferred_username: 'teacher@school.example',
        rh: '0.AAAA',
        scp: 'Orders.Read Orders.Write',
        sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
        tid: TENANT,
        uti: 'fqiBqXLPj0eQa82S-IYFAA',
        ver: '2.0',
      }),
      route: 'ANY /orders',
      routeScopes: ['Orders.Read'],
      subject: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
    },
    // App-only (client credentials) token: roles instead of scp, idtyp app.
    machine: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        aud: ENTRA_API,
        iss,
        ...times(now),
        nbf: now - 10,
        azp: 'b8f2c1d0-1111-2222-3333-444455556666',
        azpacr: '1',
        idtyp: 'app',
        oid: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
        roles: ['Orders.Sync.All'],
        sub: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
        tid: TENANT,
        ver: '2.0',
      }),
      route: 'ANY /jobs',
      routeScopes: ['Orders.Sync.All'],
      subject: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
    },
  },
  {
    name: 'Keycloak',
    auth: { jwt: { issuer: 'https://id.school.example/realms/school', audience: ['orders-api'], algorithms: ['RS256'] } },
    issuer: 'https://id.school.example/realms/school',
    issuerPath: '/realms/school',
    // User access token with an audience mapper: typ Bearer (a claim), azp, realm_access.
    user: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        ...times(now),
        auth_time: now - 10,
        jti: 'onrtac:4f5e6d7c-0000-1111-2222-333344445555',
        iss,
        aud: ['orders-api', 'account'],
        sub: 'f4b8c2d1-6a7e-4b3c-9d2e-1f0a9b8c7d6e',
        typ: 'Bearer',
        azp: 'school-web',
        sid: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
        acr: '1',
        realm_access: { roles: ['default-roles-school', 'teacher'] },
        scope: 'openid profile email orders:read',
        email_verified: true,
        preferred_username: 'teacher',
      }),
      route: 'ANY /orders',
      routeScopes: ['orders:read'],
      subject: 'f4b8c2d1-6a7e-4b3c-9d2e-1f0a9b8c7d6e',
    },
    // Keycloak 25+ service account without the "basic" client scope: no sub; azp and client_id name it.
    machine: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        ...times(now),
        jti: 'trrtcc:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        iss,
        aud: 'orders-api',
        typ: 'Bearer',
        azp: 'orders-worker',
        acr: '1',
        scope: 'orders:sync',
        clientHost: '10.0.0.12',
        client_id: 'orders-worker',
      }),
      route: 'ANY /jobs',
      routeScopes: ['orders:sync'],
      subject: 'orders-worker',
    },
  },
  {
    name: 'Google',
    auth: { jwt: { issuer: ['https://accounts.google.com', 'accounts.google.com'], audience: [GOOGLE_CLIENT, 'https://orders.example.com'], algorithms: ['RS256'] } },
    issuer: 'https://accounts.google.com',
    issuerPath: '',
    // Sign-in ID token (Google issues no JWT access tokens): aud = OAuth client id, sub numeric string.
    user: {
      header: { typ: 'JWT' },
      claims: (_iss, now) => ({
        // Google issues this form too; the map lists both.
        iss: 'accounts.google.com',
        azp: GOOGLE_CLIENT,
        aud: GOOGLE_CLIENT,
        sub: '110169484474386276334',
        email: 'teacher@school.example',
        email_verified: true,
        at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
        name: 'A Teacher',
        ...times(now),
      }),
      route: 'ANY /profile',
      routeScopes: [],
      subject: '110169484474386276334',
    },
    // Service account ID token (metadata server, audience = the API): sub and azp the account's id.
    machine: {
      header: { typ: 'JWT' },
      claims: (iss, now) => ({
        aud: 'https://orders.example.com',
        azp: '112233445566778899001',
        email: 'orders-worker@school-project.iam.gserviceaccount.com',
        email_verified: true,
        ...times(now),
        iss,
        sub: '112233445566778899001',
      }),
      route: 'ANY /profile',
      routeScopes: [],
      subject: '112233445566778899001',
    },
  },
];
