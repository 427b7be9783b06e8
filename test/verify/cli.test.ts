/**
 * The command as a user runs it: `cdk-service-gateway verify ...` in a fresh process (the built bin,
 * dist/bin/cli.js: `npm run build` first, as `npm test` does; tsx would add about 0.4 s of transpiling to each
 * of the file's runs), with credentials, region and endpoints coming only from the environment and AWS config files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAws } from './fake-aws';
import { API_ID, deployedSchool, fakeAwsEnv, REGION, STACK } from './fixtures';
import { statusOf } from './helpers';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'bin/cli.ts');
const BUILT_CLI = join(ROOT, 'dist/bin/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the fake answers from this process) with exactly `env`. */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'csg-verify-home-'));
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { env: fullEnv, cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('cdk-service-gateway CLI', () => {
  let fake: FakeAws;
  let endpoint: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    fake = new FakeAws(deployedSchool());
    endpoint = await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    // Whatever ran, no output carried the secret key.
    expect(outputs.join('\n')).not.toContain(fakeAwsEnv(endpoint).AWS_SECRET_ACCESS_KEY);
  });
  beforeEach(() => {
    fake.state = deployedSchool();
    fake.requests.length = 0;
  });

  async function run(args: string[], env: Record<string, string>): Promise<Run> {
    const result = await cli(args, env);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  test('the bin entry is an executable node script', () => {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('verify exits 0 and prints the table when nothing drifted (AWS_ENDPOINT_URL honoured)', async () => {
    const { code, stdout, stderr } = await run(['verify', '--stack', STACK], fakeAwsEnv(endpoint));

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Gateway "school" (HTTP front door, API ${API_ID}) in stack ${STACK}, map from deployed stack ${STACK}`);
    expect(statusOf(lines, 'route ANY /students/{proxy+}')).toBe('ok');
    expect(statusOf(lines, 'waf association ALB SchoolGatewayAlb0LoadBalancer9A8B7C6D')).toBe('ok');
    expect(stdout.trimEnd().endsWith('Deployed state matches the service map.')).toBe(true);
  });

  test('verify exits 1 on drift', async () => {
    fake.state.httpApis[API_ID].routes.splice(0, 1);

    const { code, stdout } = await run(['verify', '--stack', STACK], fakeAwsEnv(endpoint));

    expect(code).toBe(1);
    expect(statusOf(stdout.split('\n'), 'route ANY /live-reading')).toBe('missing');
  });

  test('per-service endpoint variables take precedence over AWS_ENDPOINT_URL', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const env = {
      ...fakeAwsEnv(dead),
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
      AWS_ENDPOINT_URL_APIGATEWAYV2: endpoint,
      AWS_ENDPOINT_URL_WAFV2: endpoint,
    };

    const { code, stderr } = await run(['verify', '--stack', STACK], env);

    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  test('--profile reads credentials and region from the shared files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-verify-aws-'));
    writeFileSync(join(dir, 'credentials'), '[verify-test]\naws_access_key_id = AKIAPROFILEVERIFY001\naws_secret_access_key = profile-secret-never-printed-000000\n');
    writeFileSync(join(dir, 'config'), `[profile verify-test]\nregion = ${REGION}\n`);
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, ...rest } = fakeAwsEnv(endpoint);
    void AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION;

    const { code, stdout, stderr } = await run(['verify', '--stack', STACK, '--profile', 'verify-test'], {
      ...rest,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(new Set(fake.requests.map((r) => r.accessKeyId))).toEqual(new Set(['AKIAPROFILEVERIFY001']));
    expect(stdout + stderr).not.toContain('profile-secret-never-printed');
  });

  test('no credentials anywhere exits 2 saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-verify-aws-'));
    writeFileSync(join(dir, 'empty'), '');
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...rest } = fakeAwsEnv(endpoint);
    void AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY;

    const { code, stdout, stderr } = await run(['verify', '--stack', STACK], {
      ...rest,
      AWS_CONFIG_FILE: join(dir, 'empty'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
    });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`cannot verify stack "${STACK}": No AWS credentials found.`);
    expect(fake.requests).toEqual([]);
  });

  test('a profile that does not exist exits 2 naming the profile', async () => {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...rest } = fakeAwsEnv(endpoint);
    void AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY;

    const { code, stderr } = await run(['verify', '--stack', STACK, '--profile', 'nope'], rest);

    expect(code).toBe(2);
    expect(stderr).toContain('No AWS credentials found for profile "nope".');
  });

  test('no region exits 2 saying how to set one', async () => {
    const { AWS_REGION, ...rest } = fakeAwsEnv(endpoint);
    void AWS_REGION;

    const { code, stderr } = await run(['verify', '--stack', STACK], rest);

    expect(code).toBe(2);
    expect(stderr).toContain('No AWS region set. Pass --region, set AWS_REGION');
  });

  test('--region overrides AWS_REGION', async () => {
    fake.state.failures.GetTemplate = { status: 400, code: 'ValidationError', message: `Stack with id ${STACK} does not exist` };

    const { code, stderr } = await run(['verify', '--stack', STACK, '--region', 'ap-southeast-2'], fakeAwsEnv(endpoint));

    expect(code).toBe(2);
    expect(stderr).toContain(`Stack "${STACK}" not found in region ap-southeast-2`);
  });

  test('an unreachable endpoint exits 2 naming the endpoint problem', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;

    const { code, stderr } = await run(['verify', '--stack', STACK], fakeAwsEnv(dead));

    expect(code).toBe(2);
    expect(stderr).toMatch(/Could not reach the AWS endpoint for cloudformation:GetTemplate \(ECONNREFUSED/);
  });

  test('--help, a missing --stack and an unknown command', async () => {
    const help = await run(['verify', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cdk-service-gateway verify --stack <name>');
    expect(help.stdout).toContain('Exit codes: 0 everything matches, 1 drift found, 2 could not verify.');

    const top = await run(['--help'], {});
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('verify    Compare what is deployed');

    const missing = await run(['verify'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing --stack <name>.');

    const unknownOption = await run(['verify', '--stack', 'x', '--bogus'], {});
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--bogus'");

    const unknown = await run(['deploy'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "deploy"');
  });
});
