import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizerModule, bundleInto, env, recordingLog, routeScopesFile, ROUTES, type AuthorizerModule } from './support/authorizer';
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

/** The variables that choose the Powertools log level, all of them unset unless `vars` sets them. */
function withLogEnv<T>(vars: Record<string, string>, run: () => T): T {
  const names = ['AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'POWERTOOLS_LOGGER_SAMPLE_RATE'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, vars);
  try {
    return run();
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

describe('the Powertools logger is loaded only to write a line', () => {
  // Each row: the environment, and the level Powertools itself settles on (asserted, not assumed).
  const environments: Array<Record<string, string>> = [
    {},
    { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    { POWERTOOLS_LOG_LEVEL: ' WARN ' },
    { POWERTOOLS_LOG_LEVEL: 'debug' },
    { POWERTOOLS_LOG_LEVEL: 'LOUD' },
    { LOG_LEVEL: 'ERROR' },
    { POWERTOOLS_LOG_LEVEL: 'DEBUG', LOG_LEVEL: 'ERROR' },
    { AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    { AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    { AWS_LAMBDA_LOG_LEVEL: 'FATAL' },
    { AWS_LAMBDA_LOG_LEVEL: 'TRACE' },
    { POWERTOOLS_LOGGER_SAMPLE_RATE: '0', POWERTOOLS_LOG_LEVEL: 'WARN' },
  ];

  test.each(environments)('the level worked out without Powertools is the one it picks: %j', (vars) => {
    const [predicted, actual] = withLogEnv(vars, () => {
      // Powertools warns on stderr when the levels disagree with Lambda's: keep the test output clean.
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        return [mod.logLevelFromEnv(process.env), new Logger({ serviceName: 'test' }).level];
      } finally {
        warn.mockRestore();
      }
    });
    expect(predicted).toBe(actual);
  });

  test('with debug sampling only Powertools can tell the level, so the log is loaded at once', () => {
    expect(withLogEnv({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1' }, () => mod.logLevelFromEnv(process.env))).toBeUndefined();
  });

  /**
   * Runs the shipped bundle as Lambda would, in a fresh Node process, and answers `authorizations` in
   * turn. After each answer it records whether the logger has been loaded: Powertools' Logger is the
   * only part of the bundle that requires `node:console`.
   */
  async function coldStart(level: string, authorizations: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'lazy-log-'));
    const bundle = await bundleInto(dir);
    const results = join(dir, 'results.json');
    const script = `
      const Module = require('node:module');
      const required = new Set();
      const original = Module.prototype.require;
      Module.prototype.require = function (id) { required.add(id); return original.apply(this, arguments); };
      const lambda = require(${JSON.stringify(bundle)});
      (async () => {
        const answers = [];
        for (const authorization of ${JSON.stringify(authorizations)}) {
          const { isAuthorized } = await lambda.handler({ routeKey: 'ANY /live-reading', headers: { authorization }, requestContext: { requestId: 'cold' } });
          answers.push({ isAuthorized, loggerLoaded: required.has('node:console') });
        }
        require('node:fs').writeFileSync(${JSON.stringify(results)}, JSON.stringify(answers));
      })();`;
    const childEnv = { PATH: process.env.PATH, ...env(server.url, routesPath), POWERTOOLS_LOG_LEVEL: level };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { env: childEnv }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out))),
    );
    const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { answers: JSON.parse(readFileSync(results, 'utf8')) as Array<{ isAuthorized: boolean; loggerLoaded: boolean }>, lines };
  }

  test('at INFO, an allowed first request never loads it; the first deny does, and is logged', async () => {
    const now = Date.now();
    const { answers, lines } = await coldStart('INFO', [`Bearer ${token(key, now)}`, `Bearer ${token(key, now - 3_600_000)}`]);
    expect(answers).toEqual([
      { isAuthorized: true, loggerLoaded: false },
      { isAuthorized: false, loggerLoaded: true },
    ]);
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', message: 'deny', reason: 'jwt_expired', requestId: 'cold' })]);
  });

  test('at DEBUG, the first allow loads it and is logged', async () => {
    const { answers, lines } = await coldStart('DEBUG', [`Bearer ${token(key, Date.now())}`]);
    expect(answers).toEqual([{ isAuthorized: true, loggerLoaded: true }]);
    expect(lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'DEBUG', message: 'allow', sub: 'user-123', requestId: 'cold' })]),
    );
  });
});
