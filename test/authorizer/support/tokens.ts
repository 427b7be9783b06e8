import { generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/** A signing key as an issuer holds it, with the public JWK it publishes. */
export interface IssuerKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: JsonWebKey;
}

export function issuerKey(alg: 'RS256' | 'ES256', kid: string): IssuerKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
export const json64 = (value: unknown) => b64url(JSON.stringify(value));

const HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', ES256: 'sha256', ES384: 'sha384' };

/** Signs `header.payload` the way any JWS library does: RSASSA-PKCS1-v1_5, or ECDSA in IEEE P1363 form. */
export function signParts(encodedHeader: string, encodedPayload: string, key: KeyObject, alg: string): string {
  const input = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = alg.startsWith('ES')
    ? sign(HASH[alg], input, { key, dsaEncoding: 'ieee-p1363' })
    : sign(HASH[alg], input, key);
  return `${encodedHeader}.${encodedPayload}.${b64url(signature)}`;
}

export interface TokenOptions {
  /** Header fields merged over `{ alg, kid, typ }`; an `undefined` value removes the field. */
  readonly header?: Record<string, unknown>;
  /** Claims merged over valid defaults; an `undefined` value removes the claim. */
  readonly claims?: Record<string, unknown>;
  /** Sign with this key instead of the one named in the header. */
  readonly signWith?: KeyObject;
}

export const ISSUER = 'https://id.example.com/';
export const AUDIENCE = 'school-api';

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A token for `key`, valid at `nowMs` unless the options say otherwise. */
export function token(key: IssuerKey, nowMs: number, options: TokenOptions = {}): string {
  const now = Math.floor(nowMs / 1000);
  const header = defined({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header });
  const claims = defined({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-123',
    iat: now,
    exp: now + 300,
    scope: 'reading:read',
    ...options.claims,
  });
  return signParts(json64(header), json64(claims), options.signWith ?? key.privateKey, String(header.alg));
}
