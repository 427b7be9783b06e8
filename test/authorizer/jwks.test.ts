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
import { issuerKey, token, type IssuerKey } from './support/tokens';

let mod: typeof AuthorizerModule;
let server: JwksServer;
let key1: IssuerKey;
let key2: IssuerKey;
let routesPath: string;

beforeAll(async () => {
  mod = await authorizerModule();
  key1 = issuerKey('RS256', 'key-1');
  key2 = issuerKey('ES256', 'key-2');
  routesPath = routeScopesFile(ROUTES);
});

beforeEach(async () => {
  server = await JwksServer.start([key1.jwk]);
});
afterEach(() => server.close());

function cold(extraEnv: Record<string, string | undefined> = {}) {
  const clock = new Clock();
  const { log, entries } = recordingLog();
  const authorizer = mod.createAuthorizer(mod.configFromEnv(env(server.url, routesPath, extraEnv), '/nowhere'), {
    now: clock.now,
    log,
  });
  const decide = (key: IssuerKey) => authorizer.verifier.decide(`Bearer ${token(key, clock.ms)}`, 'ANY /live-reading');
  return { authorizer, clock, entries, decide };
}

describe('JWKS handling', () => {
  test('the key set is fetched while the authorizer is created (Lambda init), before any request', async () => {
    cold();
    await server.receivedAtLeast(1);
    expect(server.paths).toEqual(['/.well-known/jwks.json']);
  });

  test('50 concurrent first requests at cold start cause exactly one fetch', async () => {
    const { decide } = cold();
    const decisions = await Promise.all(Array.from({ length: 50 }, () => decide(key1)));
    expect(decisions.every((d) => d.allow)).toBe(true);
    expect(server.requests).toBe(1);
  });

  test('50 concurrent first requests while the init fetch already failed cause exactly one more fetch', async () => {
    server.mode = 'fail';
    const { decide, clock } = cold();
    await expect(decide(key1)).resolves.toMatchObject({ allow: false, reason: 'jwks_unavailable' });
    expect(server.requests).toBe(1);
    server.mode = 'ok';
    clock.advance(10);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => decide(key1)));
    expect(decisions.every((d) => d.allow)).toBe(true);
    expect(server.requests).toBe(2);
  });

  test('a new key after rotation is picked up, with at most one refetch per 30 s cool-down', async () => {
    // GIVEN a warm authorizer that knows key-1
    const { decide, clock } = cold();
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    expect(server.requests).toBe(1);

    // WHEN the issuer rotates to key-2 within the cool-down of the last fetch
    server.keys = [key1.jwk, key2.jwk];
    clock.advance(29);
    // THEN the unknown kid is denied without a fetch
    await expect(decide(key2)).resolves.toMatchObject({ allow: false, reason: 'unknown_key' });
    expect(server.requests).toBe(1);

    // WHEN the cool-down has passed, THEN one refetch finds the new key
    clock.advance(1);
    await expect(decide(key2)).resolves.toMatchObject({ allow: true });
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    expect(server.requests).toBe(2);

    // AND a flood of tokens with random kids causes no more than one fetch per cool-down
    const stranger = issuerKey('ES256', 'key-3');
    for (let second = 0; second < 90; second += 3) {
      clock.advance(3);
      await expect(decide({ ...stranger, kid: `random-${second}` })).resolves.toMatchObject({ reason: 'unknown_key' });
    }
    expect(server.requests).toBe(2 + 3);
  });

  test('during an outage: at most one fetch per 10 s, requests in between denied without waiting', async () => {
    server.mode = 'fail';
    const { decide, clock, entries } = cold();
    await server.receivedAtLeast(1);

    for (let second = 1; second <= 60; second++) {
      clock.advance(1);
      // A hanging server would hold any request that waited on a fetch, so any fetch would show here.
      server.mode = second % 10 === 0 ? 'fail' : 'hang';
      await expect(decide(key1)).resolves.toMatchObject({ allow: false, reason: 'jwks_unavailable' });
      expect(server.requests).toBe(1 + Math.floor(second / 10));
    }
    expect(entries.filter((e) => e.reason === 'jwks_fetch_failed')).toHaveLength(7);

    // The endpoint recovers: picked up at the next allowed attempt.
    server.mode = 'ok';
    clock.advance(10);
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    expect(server.requests).toBe(8);
  });

  test.each(['hang', 'stall'] as const)('a JWKS endpoint that %ss: the request is answered (denied) once the fetch timeout expires', async (mode) => {
    server.mode = mode;
    const { decide } = cold({ JWKS_TIMEOUT_MS: '150' });
    // Generous margin over the 150 ms timeout: this checks that the answer comes, not how fast the machine is.
    let timer: NodeJS.Timeout | undefined;
    const answer = await Promise.race([decide(key1), new Promise((resolve) => (timer = setTimeout(resolve, 5000, 'no answer')))]);
    clearTimeout(timer);
    expect(answer).toEqual({ allow: false, reason: 'jwks_unavailable' });
    expect(server.requests).toBe(1);
  });

  test('the JWKS timeout defaults to 1000 ms and cannot be set above 1500 ms (the answer bound)', () => {
    const ok = mod.configFromEnv(env(server.url, routesPath), '/nowhere');
    expect(ok).toMatchObject({ ok: true, config: { jwksTimeoutMs: 1000, jwksCooldownMs: 30_000, jwksFailureBackoffMs: 10_000 } });
    expect(mod.configFromEnv(env(server.url, routesPath, { JWKS_TIMEOUT_MS: '5000' }), '/nowhere')).toMatchObject({ ok: false });
  });

  test('after a failed refetch the keys already known keep working', async () => {
    const { decide, clock } = cold();
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    server.mode = 'fail';
    clock.advance(31);
    await expect(decide(key2)).resolves.toMatchObject({ allow: false, reason: 'unknown_key' });
    expect(server.requests).toBe(2);
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
  });

  test('a key set older than 10 minutes is refreshed in the background, so a removed key stops working', async () => {
    const { decide, clock } = cold();
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    server.keys = [key2.jwk];

    clock.advance(600);
    // Served from the current set while the refresh runs: no request waits for it.
    await expect(decide(key1)).resolves.toMatchObject({ allow: true });
    await server.receivedAtLeast(2);
    await waitFor(async () => !(await decide(key1)).allow);
    await expect(decide(key1)).resolves.toMatchObject({ allow: false, reason: 'unknown_key' });
    await expect(decide(key2)).resolves.toMatchObject({ allow: true });
    expect(server.requests).toBe(2);
  });

  test.each([
    ['a redirect (not followed)', () => 'REDIRECT', 'jwks_unavailable'],
    ['larger than 1 MB', () => JSON.stringify({ keys: [key1.jwk], padding: 'x'.repeat(1 << 20) }), 'jwks_unavailable'],
    ['not JSON', () => 'oops', 'jwks_unavailable'],
    ['not a key set', () => '{"kids":[]}', 'jwks_unavailable'],
    ['a set holding a private key', () => JSON.stringify({ keys: [privateJwk()] }), 'jwks_invalid'],
  ])('a JWKS response that is %s verifies nothing', async (_name, body, reason) => {
    const bad = await startRaw(body());
    try {
      const clock = new Clock();
      const { log } = recordingLog();
      const authorizer = mod.createAuthorizer(mod.configFromEnv(env(bad.url, routesPath), '/nowhere'), { now: clock.now, log });
      const decision = await authorizer.verifier.decide(`Bearer ${token(key1, clock.ms)}`, 'ANY /live-reading');
      expect(decision).toEqual({ allow: false, reason });
    } finally {
      await bad.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}

function privateJwk() {
  return { ...key1.privateKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256' };
}

async function startRaw(body: string) {
  const { createServer } = await import('node:http');
  const raw = createServer((_req, res) =>
    body === 'REDIRECT'
      ? res.writeHead(302, { location: 'https://elsewhere.example.com/jwks.json' }).end()
      : res.writeHead(200, { 'content-type': 'application/json' }).end(body),
  );
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const port = (raw.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise((resolve) => raw.close(resolve)),
  };
}
