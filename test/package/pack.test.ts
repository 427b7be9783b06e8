/**
 * The package as a user gets it: `npm pack`, installed into a fresh CDK TypeScript app that has
 * aws-cdk-lib and constructs of its own, type-checked and synthesized there with no esbuild, no Docker
 * and no network (a preload makes every socket connection throw).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const consumerApp = `import { App, Stack } from 'aws-cdk-lib';
import { ServiceGateway, ServiceMap, snapshotTemplates } from 'cdk-service-gateway';
import { writeFileSync } from 'node:fs';

const map: ServiceMap = {
  name: 'shop',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop-api'] } },
  services: {
    orders: { path: '/orders', container: { image: 'public.ecr.aws/nginx/nginx:1.27', port: 8080 }, scopes: ['orders:read'] },
    billing: { path: '/billing', url: 'https://billing.example.com', auth: 'none' },
  },
};
const app = new App({ outdir: 'cdk.out', analyticsReporting: false });
const stack = new Stack(app, 'shop-gateway', { env: { account: '123456789012', region: 'eu-west-1' } });
const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map });
// Escape hatches are typed CDK objects.
const port: number = gateway.backends.orders.taskDefinition.defaultContainer!.containerPort;
app.synth();
writeFileSync('snapshot.json', JSON.stringify({ port, templates: snapshotTemplates(stack) }));
`;

/** The README's "own CDK app" example, verbatim: the first TypeScript block after its heading. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use the constructs in your own CDK app'));
  return section.match(/```ts\n([\s\S]*?)```/)![1];
}

/** The README's stack `env`, and the two other forms CDK users write: a Region only, and none (`cdk init`). */
const README_ENV = "{ env: { account: '123456789012', region: 'eu-west-1' } }";
const ENV_FORMS: Record<string, string> = { 'account-and-region': README_ENV, 'region-only': "{ env: { region: 'eu-west-1' } }", 'no-env': '{}' };

/** Loaded with --require: any attempt to open a network connection fails the synth. */
const noNetwork = `const net = require('node:net');
const dns = require('node:dns');
const deny = () => { throw new Error('network access during synth'); };
net.Socket.prototype.connect = deny;
dns.lookup = deny;
dns.promises.lookup = deny;
`;

/**
 * The environment of the consumer app's synths: only node on PATH, no credentials. CDK's report-only
 * CloudFormation schema validation is off as in the rest of the suite (seconds per synth; it never fails
 * one): test/constructs/cfn-validate.test.ts runs it strictly.
 */
const SYNTH_ENV = (home: string): NodeJS.ProcessEnv => ({ PATH: dirname(process.execPath), HOME: home, CDK_DISABLE_VERSION_CHECK: '1', CDK_VALIDATION: 'false' });

describe('the packed package in a fresh CDK app', () => {
  let work: string;
  let app: string;

  beforeAll(() => {
    // GIVEN the package as `npm pack` makes it (the test command has just built dist/)
    work = mkdtempSync(join(tmpdir(), 'csg-pack-'));
    const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const tarball = join(work, packed[0].filename);

    // AND a fresh TypeScript CDK app that installs it (peers are the app's own, as in any CDK app)
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', tarball, '--legacy-peer-deps', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, stdio: 'ignore' });
    for (const peer of ['aws-cdk-lib', 'constructs', '@types/node']) {
      const target = join(app, 'node_modules', peer);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(join(root, 'node_modules', peer), target, 'dir');
    }
    writeFileSync(join(app, 'app.ts'), consumerApp);
    const example = readmeExample();
    expect(example).toContain(`new Stack(app, 'shop-gateway', ${README_ENV})`);
    for (const [form, env] of Object.entries(ENV_FORMS)) writeFileSync(join(app, `readme-${form}.ts`), example.replace(README_ENV, env));
    writeFileSync(join(app, 'no-network.js'), noNetwork);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'] },
        files: ['app.ts', ...Object.keys(ENV_FORMS).map((form) => `readme-${form}.ts`)],
      }),
    );
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('ships compiled JavaScript, type declarations, the authorizer bundle and the JSON Schema; no sources or tests', () => {
    const pkg = join(app, 'node_modules', 'cdk-service-gateway');
    for (const f of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/authorizer/index.js', 'dist/authorizer/logger.js', 'dist/bin/cli.js', 'schema/service-map.schema.json', 'CHANGELOG.md', 'README.md']) {
      expect(existsSync(join(pkg, f))).toBe(true);
    }
    expect(existsSync(join(pkg, 'lib'))).toBe(false);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
    expect(JSON.parse(readFileSync(join(pkg, 'schema/service-map.schema.json'), 'utf8')).properties.services).toBeDefined();
  });

  test('installs no build tool: neither esbuild nor the CDK peers come with it', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    expect(installed).not.toContain('esbuild');
    expect(installed).not.toContain('typescript');
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'cdk-service-gateway', 'package.json'), 'utf8'));
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(Object.keys(manifest.dependencies ?? {})).not.toEqual(expect.arrayContaining(['aws-cdk-lib']));
  });

  test('type-checks against the shipped declarations and synthesizes offline, without esbuild or Docker', () => {
    // WHEN the app is compiled and synthesized with only node on PATH and every socket refused
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });
    execFileSync(process.execPath, ['--require', './no-network.js', 'app.js'], {
      cwd: app,
      stdio: 'pipe',
      env: SYNTH_ENV(app),
    });

    // THEN the cloud assembly holds the gateway, with the pre-built authorizer as a plain asset
    const out = join(app, 'cdk.out');
    const template = JSON.parse(readFileSync(join(out, 'shop-gateway.template.json'), 'utf8'));
    const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.JWT_ISSUER);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Handler).toBe('index.handler');
    const assets = JSON.parse(readFileSync(join(out, 'shop-gateway.assets.json'), 'utf8'));
    const assetDir = assets.files[fn.Properties.Code.S3Key.replace(/\.zip$/, '')].source.path;
    for (const file of ['index.js', 'logger.js']) {
      const shipped = readFileSync(join(app, 'node_modules', 'cdk-service-gateway', 'dist', 'authorizer', file));
      expect(readFileSync(join(out, assetDir, file)).equals(shipped)).toBe(true);
    }
    expect(Object.values<any>(template.Resources).some((r) => r.Type === 'AWS::ApiGatewayV2::Api')).toBe(true);

    // AND the snapshot helper masked every asset hash
    const snapshot = readFileSync(join(app, 'snapshot.json'), 'utf8');
    expect(JSON.parse(snapshot).port).toBe(8080);
    expect(snapshot).toContain('[ASSET_HASH]');
    expect(snapshot).not.toMatch(/[0-9a-f]{64}/);
  });

  describe('the README example, in each stack env form', () => {
    beforeAll(() => {
      // GIVEN the compiled README example (compiled with app.ts above), run the way `cdk synth` runs an app:
      // CDK_OUTDIR set, so each App synthesizes on exit; no credentials, every socket refused. One process
      // for the three forms (each App reads its own CDK_OUTDIR when it is created).
      const runner = Object.keys(ENV_FORMS)
        .map((form) => `process.env.CDK_OUTDIR = ${JSON.stringify(join(app, `cdk.out.${form}`))}; require('./readme-${form}.js');`)
        .join('\n');
      writeFileSync(join(app, 'synth-forms.js'), runner);
      execFileSync(process.execPath, ['--require', './no-network.js', 'synth-forms.js'], {
        cwd: app,
        stdio: 'pipe',
        env: SYNTH_ENV(app),
      });
    }, 300_000);

    test.each(Object.keys(ENV_FORMS))('"%s" synthesizes offline, with nothing left to look up', (form) => {
      // THEN the assembly asks the CLI for no lookup (that would need AWS credentials) and holds no error
      const out = join(app, `cdk.out.${form}`);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.missing ?? []).toEqual([]);
      const messages = Object.values<any>(manifest.artifacts['shop-gateway'].metadata ?? {}).flat();
      expect(messages.filter((m: any) => m.type === 'aws:cdk:error')).toEqual([]);
      // AND no warning is left that the map did not acknowledge
      expect(messages.filter((m: any) => m.type === 'aws:cdk:warning' && /cdk-service-gateway:/.test(String(m.data)))).toEqual([]);
      // AND the outputs have the names the README documents
      const template = JSON.parse(readFileSync(join(out, 'shop-gateway.template.json'), 'utf8'));
      expect(Object.keys(template.Outputs).sort()).toEqual(['Alb0DnsName', 'ApiId', 'ApiUrl']);
      const subnetAzs = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::EC2::Subnet').map((r) => r.Properties.AvailabilityZone);
      expect(new Set(subnetAzs)).toEqual(new Set(['eu-west-1a', 'eu-west-1b']));
    });

    test('the forms differ where they should: only the stack with no env needs the Region mapping for ALB access logs', () => {
      const mappings = (form: string) => Object.keys(JSON.parse(readFileSync(join(app, `cdk.out.${form}`, 'shop-gateway.template.json'), 'utf8')).Mappings ?? {});
      expect(mappings('no-env')).toContain('CdkServiceGatewayElbAccount');
      expect(mappings('region-only')).not.toContain('CdkServiceGatewayElbAccount');
    });
  });

  test('installs the verify command line tool as a bin', () => {
    const help = execFileSync(join(app, 'node_modules', '.bin', 'cdk-service-gateway'), ['verify', '--help'], { cwd: app, encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
    expect(help).toMatch(/--stack <name>/);
  });

  test('the installed bin runs import: its parser is a declared runtime dependency', () => {
    writeFileSync(join(app, 'nginx.conf'), 'http { server { location /orders/ { proxy_pass https://orders.example.com/; } } }\n');
    const out = execFileSync(join(app, 'node_modules', '.bin', 'cdk-service-gateway'), ['import', 'nginx.conf', '-o', 'imported.yaml'], { cwd: app, encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
    expect(out).toMatch(/Wrote imported\.yaml \(NGINX: 1 service\)/);
    expect(readFileSync(join(app, 'imported.yaml'), 'utf8')).toContain('url: https://orders.example.com');
  });

  test('the installed bin plans the shipped example map', () => {
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
    const example = join(app, 'node_modules', 'cdk-service-gateway', 'examples', 'school.json');
    const plan = execFileSync(join(app, 'node_modules', '.bin', 'cdk-service-gateway'), ['plan', example], { cwd: app, encoding: 'utf8', env });
    expect(plan).toMatch(/^ANY \/students\/\{proxy\+\} +jwt \(CUSTOM\) +students:read /m);
  });

  test('the no-network guard really refuses connections (the offline claim can fail)', () => {
    const probe = `require('node:net').connect(443, '127.0.0.1').on('error', () => process.exit(3));`;
    expect(() => execFileSync(process.execPath, ['--require', './no-network.js', '-e', probe], { cwd: app, stdio: 'pipe' })).toThrow(/network access during synth/);
  });
});
