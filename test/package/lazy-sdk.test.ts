/**
 * Importing the library must not load the AWS SDK: only `verify` uses it, and the SDK costs about half a
 * second of `require` (and, on an old Node, prints a warning). Runs against the built dist/ in a fresh
 * process, so nothing jest loaded counts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const dist = join(__dirname, '..', '..', 'dist', 'lib', 'index.js');

/** The @aws-sdk packages a fresh Node process has loaded after running `script`. */
function sdkPackagesLoadedBy(script: string): string[] {
  const probe = `
    const lib = require(${JSON.stringify(dist)});
    ${script}
    const pkgs = new Set(Object.keys(require.cache).map((f) => (f.match(/node_modules[\\\\/](@aws-sdk[\\\\/][^\\\\/]+)/) || [])[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...pkgs].sort()));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
}

describe('the AWS SDK loads only when verify runs', () => {
  test('importing the library (constructs, map, verify namespace) loads no @aws-sdk module', () => {
    expect(sdkPackagesLoadedBy('void lib.ServiceGateway; void lib.verify.runVerify;')).toEqual([]);
  });

  test('creating verify\'s AWS readers does load the SDK clients (the probe can see them)', () => {
    const loaded = sdkPackagesLoadedBy("lib.verify.awsSources({ region: 'eu-west-1' });");
    expect(loaded).toEqual(expect.arrayContaining(['@aws-sdk/client-api-gateway', '@aws-sdk/client-apigatewayv2', '@aws-sdk/client-cloudformation', '@aws-sdk/client-wafv2']));
  });
});
