import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authorizerModule, env, recordingLog, routeScopesFile, ROUTES, type AuthorizerModule } from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { issuerKey, json64, token, type IssuerKey } from './support/tokens';

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

/** Everything written to stdout and stderr while `run` runs (Powertools writes there), one entry per line. */
async function captureOutput(run: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('').split('\n').filter(Boolean);
}

/** Builds an authorizer with the real Powertools logger at `level`. */
function withPowertools(level: string, vars: Record<string, string | undefined>) {
  const previous = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = level;
  try {
    return mod.createAuthorizer(mod.configFromEnv(vars, '/x'));
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = previous;
  }
}

const event = (authorization: string, requestId: string, routeKey = 'ANY /live-reading') =>
  ({ routeKey, headers: { authorization }, requestContext: { requestId } }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('authorizer logging', () => {
  test('decisions are logged with reason and request id, and no token or signature ever is', async () => {
    // GIVEN tokens that are allowed and denied for many reasons
    const now = Date.now();
    const tokens = {
      valid: token(key, now),
      expired: token(key, now - 3_600_000),
      foreign: token(key, now, { signWith: issuerKey('RS256', 'x').privateKey }),
      jku: token(key, now, { header: { jku: 'https://evil.example.com/' } }),
      noScope: token(key, now, { claims: { scope: 'other' } }),
      tamperedOf: token(key, now),
    };
    const [h, , s] = tokens.tamperedOf.split('.');
    const tampered = `${h}.${json64({ sub: 'admin', exp: 1e10 })}.${s}`;
    const requests: Array<[string, string]> = [
      [`Bearer ${tokens.valid}`, 'req-allow'],
      [`Bearer ${tokens.expired}`, 'req-expired'],
      [`Bearer ${tokens.foreign}`, 'req-foreign'],
      [`Bearer ${tokens.jku}`, 'req-jku'],
      [`Bearer ${tokens.noScope}`, 'req-scope'],
      [`Bearer ${tampered}`, 'req-tampered'],
      [`Basic ${tokens.valid}`, 'req-scheme'],
      [`Bearer ${tokens.valid}x`, 'req-malformed'],
    ];

    // WHEN they go through a fully verbose authorizer, then through broken ones
    const lines = await captureOutput(async () => {
      const authorizer = withPowertools('DEBUG', env(server.url, routesPath));
      for (const [authorization, requestId] of requests) await authorizer.handler(event(authorization, requestId));
      const misconfigured = withPowertools('DEBUG', env(server.url, routesPath, { JWT_AUDIENCE: undefined }));
      await misconfigured.handler(event(`Bearer ${tokens.valid}`, 'req-misconfigured'));
      const noJwks = withPowertools('DEBUG', env('http://127.0.0.1:1/jwks.json', routesPath));
      await noJwks.handler(event(`Bearer ${tokens.valid}`, 'req-no-jwks'));
    });

    // THEN each decision is a JSON line with its reason and request id
    const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const decision = (requestId: string) => logs.find((l) => l.requestId === requestId);
    expect(decision('req-allow')).toMatchObject({ level: 'DEBUG', message: 'allow', sub: 'user-123', route: 'ANY /live-reading' });
    expect(decision('req-expired')).toMatchObject({ level: 'INFO', message: 'deny', reason: 'jwt_expired' });
    expect(decision('req-foreign')).toMatchObject({ message: 'deny', reason: 'jws_signature_verification_failed' });
    expect(decision('req-jku')).toMatchObject({ message: 'deny', reason: 'key_in_header' });
    expect(decision('req-scope')).toMatchObject({ message: 'deny', reason: 'insufficient_scope', sub: 'user-123' });
    expect(decision('req-tampered')).toMatchObject({ message: 'deny', reason: 'jws_signature_verification_failed' });
    expect(decision('req-scheme')).toMatchObject({ message: 'deny', reason: 'bad_scheme' });
    expect(decision('req-malformed')).toMatchObject({ message: 'deny', reason: 'malformed' });
    expect(decision('req-misconfigured')).toMatchObject({ message: 'deny', reason: 'misconfigured' });
    expect(decision('req-no-jwks')).toMatchObject({ message: 'deny', reason: 'jwks_unavailable' });
    expect(logs.filter((l) => l.level === 'ERROR')).toHaveLength(1);
    expect(logs.some((l) => l.reason === 'jwks_fetch_failed')).toBe(true);

    // AND no line holds any piece of any token: no 12 characters in a row of a header, payload or signature
    const output = lines.join('\n');
    for (const jwt of [...Object.values(tokens), tampered]) {
      for (let i = 0; i + 12 <= jwt.length; i++) {
        const piece = jwt.slice(i, i + 12);
        if (!piece.includes('.') && output.includes(piece)) throw new Error(`log output holds token piece ${piece}`);
      }
    }
  });

  test('at the default INFO level an allow writes nothing', async () => {
    const authorizer = withPowertools('INFO', env(server.url, routesPath));
    const lines = await captureOutput(async () => {
      const response = await authorizer.handler(event(`Bearer ${token(key, Date.now())}`, 'req-quiet'));
      expect(response.isAuthorized).toBe(true);
    });
    expect(lines).toEqual([]);
  });

  test('a disabled level is not even called, so it builds no log object', async () => {
    const { log } = recordingLog(16 /* WARN */);
    const forbidden = () => {
      throw new Error('called a disabled log level');
    };
    const quiet = { ...log, level: 16, debug: forbidden, info: forbidden } as typeof log;
    const authorizer = mod.createAuthorizer(mod.configFromEnv(env(server.url, routesPath), '/x'), { log: quiet });
    await expect(authorizer.handler(event(`Bearer ${token(key, Date.now())}`, 'r1'))).resolves.toMatchObject({ isAuthorized: true });
    await expect(authorizer.handler(event('Bearer a.b.c', 'r2'))).resolves.toEqual({ isAuthorized: false });
  });
});
