import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { AUTHORIZER_BUNDLE_FILES } from '../../lib/authorizer/jwt-authorizer';
import { bundleAuthorizer, MAX_BUNDLE_BYTES, type BundleResult } from '../../scripts/bundle-authorizer';
import { env, ROUTES, type AuthorizerModule } from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { issuerKey, token } from './support/tokens';

const root = resolve(__dirname, '..', '..');
/** The goal for the minified bundle. */

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

let first: BundleResult;

beforeAll(async () => {
  first = await bundleAuthorizer(tempDir('bundle-a-'));
});

const bundleDir = () => join(first.file, '..');
/** The asset folder the construct makes: the bundle's files and a route-scopes.json. */
function assetFolder(): string {
  const asset = tempDir('asset-');
  for (const file of AUTHORIZER_BUNDLE_FILES) copyFileSync(join(bundleDir(), file), join(asset, file));
  writeFileSync(join(asset, 'route-scopes.json'), JSON.stringify(ROUTES));
  return asset;
}

describe('authorizer bundle (dist/authorizer/: index.js, logger.js)', () => {
  test('is the files the construct stages, and their licences', () => {
    expect(readdirSync(bundleDir()).sort()).toEqual([...AUTHORIZER_BUNDLE_FILES, 'THIRD-PARTY-LICENSES.txt'].sort());
  });

  test('is byte-identical when built again elsewhere, from another working directory and process', () => {
    const outdir = tempDir('bundle-b-');
    execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'bundle-authorizer.ts'), '--outdir', outdir], {
      cwd: tmpdir(),
      stdio: 'pipe',
    });
    for (const file of [...AUTHORIZER_BUNDLE_FILES, 'THIRD-PARTY-LICENSES.txt']) {
      expect(sha256(join(outdir, file))).toBe(sha256(join(bundleDir(), file)));
    }
  });

  test.each(AUTHORIZER_BUNDLE_FILES)('%s holds no machine-specific text: absolute paths, temp dirs, source maps', (file) => {
    const code = readFileSync(join(bundleDir(), file), 'utf8');
    expect(code).not.toContain(root);
    expect(code).not.toContain(tmpdir());
    expect(code).not.toContain('node_modules');
    expect(code).not.toContain('sourceMappingURL');
    expect(code).not.toMatch(/\/(home|Users|tmp|work)\//);
  });

  test(`is minified CommonJS within ${MAX_BUNDLE_BYTES} bytes, with the licences of what it bundles beside it`, () => {
    const codes = AUTHORIZER_BUNDLE_FILES.map((file) => readFileSync(join(bundleDir(), file), 'utf8'));
    expect(first.bytes).toBe(codes.reduce((sum, code) => sum + Buffer.byteLength(code), 0));
    expect(first.bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    for (const code of codes) {
      expect(code.split('\n').length).toBeLessThan(5);
      expect(code).toMatch(/module\.exports=/);
    }
    // the logger is in logger.js only, loaded by index.js when it writes its first line
    expect(codes[0]).toContain('require("./logger.js")');
    expect(codes[0]).not.toContain('node:console');
    expect(codes[1]).toContain('node:console');
    expect(first.breakdown.map(([name]) => name)).toEqual(
      expect.arrayContaining(['jose', '@aws-lambda-powertools/logger', 'lambda/authorizer']),
    );
    const licences = readFileSync(join(first.file, '..', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(licences).toMatch(/^jose@6\.\d+\.\d+ \(MIT\)/m);
    expect(licences).toContain('Permission is hereby granted');
  });

  describe('as Lambda loads it: env at init, route-scopes.json beside index.js', () => {
    let server: JwksServer;
    const names = ['JWKS_URI', 'JWT_ISSUER', 'JWT_AUDIENCE', 'ROUTE_SCOPES_PATH', 'POWERTOOLS_LOG_LEVEL'];
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    afterEach(async () => {
      for (const name of names) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await server?.close();
    });

    test('starts the JWKS fetch at module load and serves both handlers', async () => {
      // GIVEN the asset folder the construct makes: the bundle and its route-scopes.json
      const key = issuerKey('ES256', 'ec-1');
      server = await JwksServer.start([key.jwk]);
      const asset = assetFolder();
      Object.assign(process.env, env(server.url, ''), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
      delete process.env.ROUTE_SCOPES_PATH;

      // WHEN Lambda loads the module (init phase), THEN the key set is fetched before any request
      let lambda: typeof AuthorizerModule | undefined;
      jest.isolateModules(() => {
        lambda = require(join(asset, 'index.js'));
      });
      await server.receivedAtLeast(1);
      expect(server.requests).toBe(1);

      // AND both handlers answer from it
      const jwt = token(key, Date.now());
      const httpEvent = { routeKey: 'ANY /live-reading', headers: { authorization: `Bearer ${jwt}` }, requestContext: { requestId: 'r' } };
      await expect(lambda!.handler(httpEvent as unknown as APIGatewayRequestAuthorizerEventV2)).resolves.toEqual({
        isAuthorized: true,
        context: { sub: 'user-123', scope: 'reading:read' },
      });
      const restEvent = {
        methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/payment',
        resource: '/payment',
        headers: { Authorization: `Bearer ${jwt}` },
        requestContext: { requestId: 'r' },
      };
      const policy = await lambda!.restHandler(restEvent as unknown as APIGatewayRequestAuthorizerEvent);
      expect(policy).toMatchObject({ principalId: 'user-123', policyDocument: { Statement: [{ Effect: 'Allow' }] } });
      expect(server.requests).toBe(1);
    });

    test('without its configuration it loads, fetches nothing and denies everything', async () => {
      server = await JwksServer.start([]);
      const asset = assetFolder();
      for (const name of names) delete process.env[name];
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      let lambda: typeof AuthorizerModule | undefined;
      jest.isolateModules(() => {
        lambda = require(join(asset, 'index.js'));
      });
      const httpEvent = { routeKey: 'ANY /payment', headers: { authorization: 'Bearer a.b.c' }, requestContext: {} };
      await expect(lambda!.handler(httpEvent as unknown as APIGatewayRequestAuthorizerEventV2)).resolves.toEqual({ isAuthorized: false });
      expect(server.requests).toBe(0);
    });
  });
});
