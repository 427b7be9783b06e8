import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AUTHORIZER_BUNDLE_FILES, AUTHORIZER_RUNTIME, esbuildTarget, JwtAuthorizerFunction, authorizerBundleDir } from '../../lib/authorizer/jwt-authorizer';

/** Synthesizes one authorizer function and returns the folder its asset was staged from, and the copy in cdk.out. */
function synthAuthorizer(routeScopes: Record<string, string[]>) {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'Auth');
  const fn = new JwtAuthorizerFunction(stack, 'Authorizer', {
    gatewayName: 'asset',
    issuer: 'https://id.example.com/',
    audience: ['a'],
    jwksUri: 'https://id.example.com/.well-known/jwks.json',
    algorithms: ['RS256'],
    routeScopes,
    logRetention: 30,
  });
  const assembly = app.synth();
  const code = (fn.function.node.defaultChild as any).code;
  const key: string = stack.resolve(code).s3Key;
  const copy = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
  return { copy };
}

describe('JwtAuthorizerFunction asset staging', () => {
  const routes = { 'ANY /asset-test': ['x:read'] };

  test('stages in a folder only this user can write', () => {
    synthAuthorizer(routes);
    const uid = process.getuid?.();
    if (uid === undefined) return; // no POSIX owners to check (Windows)
    const root = join(tmpdir(), `cdk-service-gateway-${uid}`);
    const stat = lstatSync(root);
    expect(stat.isDirectory()).toBe(true);
    expect(stat.uid).toBe(uid);
    expect(stat.mode & 0o077).toBe(0);
  });

  test('a tampered staged file is replaced, so the deployed code is always the built bundle', () => {
    // GIVEN a staged folder whose bundle someone changed
    synthAuthorizer(routes);
    const root = join(tmpdir(), `cdk-service-gateway-${process.getuid?.() ?? 'user'}`);
    // (folders staged earlier from other bundles of the authorizer may sit beside it)
    const bundle = readFileSync(join(authorizerBundleDir(), 'index.js'));
    const staged = readdirSync(root)
      .filter((d) => d.startsWith('authorizer-'))
      .map((d) => join(root, d))
      .filter((d) => readFileSync(join(d, 'route-scopes.json'), 'utf8').includes('/asset-test'))
      .filter((d) => readFileSync(join(d, 'index.js')).equals(bundle));
    expect(staged).toHaveLength(1);
    writeFileSync(join(staged[0], 'index.js'), 'exports.handler = async () => ({ isAuthorized: true });');
    writeFileSync(join(staged[0], 'planted.js'), 'evil');

    // WHEN the app is synthesized again
    const { copy } = synthAuthorizer(routes);

    // THEN the asset holds the built bundle and the route scopes, nothing else
    for (const file of AUTHORIZER_BUNDLE_FILES) {
      expect(readFileSync(join(copy, file)).equals(readFileSync(join(authorizerBundleDir(), file)))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(copy, 'route-scopes.json'), 'utf8'))).toEqual(routes);
    expect(readdirSync(copy).sort()).toEqual(['index.js', 'logger.js', 'route-scopes.json']);
  });
});

describe('the authorizer runtime and its bundle target', () => {
  test('the bundle is built for the Node.js version of the runtime the construct deploys', () => {
    expect(AUTHORIZER_RUNTIME.name).toBe('nodejs24.x');
    expect(esbuildTarget(AUTHORIZER_RUNTIME)).toBe('node24');
    expect(esbuildTarget(lambda.Runtime.NODEJS_22_X)).toBe('node22');
    expect(() => esbuildTarget(lambda.Runtime.PYTHON_3_12)).toThrow(/python3\.12 is not a Node\.js Lambda runtime/);
  });
});
