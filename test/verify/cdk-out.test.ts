/**
 * `--cdk-out`: the map comes from a local cloud assembly, the physical IDs and deployed state from AWS.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVerify } from '../../lib/verify';
import { validateServiceMap } from '../../lib/plan';
import { FakeAws } from './fake-aws';
import { deployedSchool, fakeAwsEnv, gatewayTemplate, redact, STACK } from './fixtures';
import { capture, statusOf, withEnv } from './helpers';

/** A cloud assembly like `cdk synth` writes: the school stack under an artifact id unlike its name, plus a Stage. */
function writeAssembly(localTemplate: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'csg-cdk-out-'));
  writeFileSync(join(dir, 'SchoolGatewayStack.template.json'), JSON.stringify(localTemplate));
  writeFileSync(join(dir, 'SchoolGatewayStack.assets.json'), JSON.stringify({ version: '48.0.0', files: {}, dockerImages: {} }));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        'SchoolGatewayStack.assets': { type: 'cdk:asset-manifest', properties: { file: 'SchoolGatewayStack.assets.json' } },
        SchoolGatewayStack: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://123456789012/eu-west-1',
          properties: { templateFile: 'SchoolGatewayStack.template.json', stackName: STACK },
          displayName: 'SchoolGatewayStack',
        },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
        'assembly-Staging': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Staging', displayName: 'Staging' } },
      },
    }),
  );
  const stage = join(dir, 'assembly-Staging');
  mkdirSync(stage);
  writeFileSync(join(stage, 'StagingSchool.template.json'), JSON.stringify(localTemplate));
  writeFileSync(
    join(stage, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        StagingSchool: { type: 'aws:cloudformation:stack', properties: { templateFile: 'StagingSchool.template.json', stackName: 'Staging-school' } },
      },
    }),
  );
  return dir;
}

describe('verify --cdk-out', () => {
  let fake: FakeAws;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = new FakeAws(deployedSchool());
    restoreEnv = withEnv(fakeAwsEnv(await fake.start()));
  });
  afterAll(async () => {
    restoreEnv();
    await fake.stop();
  });
  beforeEach(() => {
    fake.state = deployedSchool();
    fake.requests.length = 0;
  });

  test('compares the local map with the deployed stack and does not read the deployed template', async () => {
    const dir = writeAssembly(gatewayTemplate());
    const output = capture();

    const code = await runVerify({ stack: STACK, cdkOut: dir }, output);

    expect(output.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(output.stdout[0]).toContain(`map from ${join(dir, 'SchoolGatewayStack.template.json')}`);
    expect(fake.calls('GetTemplate')).toHaveLength(0);
    expect(fake.calls('ListStackResources').length).toBeGreaterThan(0);
  });

  test('a service added locally but not deployed shows as missing routes', async () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '../../examples/school.json'), 'utf8'));
    raw.services.library = { path: '/library', url: 'https://library.example.com', auth: 'none' };
    const dir = writeAssembly(gatewayTemplate(redact(validateServiceMap(raw).map)));
    const output = capture();

    const code = await runVerify({ stack: STACK, cdkOut: dir }, output);

    expect(code).toBe(1);
    expect(statusOf(output.stdout, 'route ANY /library')).toBe('missing');
    expect(statusOf(output.stdout, 'route ANY /library/{proxy+}')).toBe('missing');
    expect(statusOf(output.stdout, 'route ANY /payment')).toBe('ok');
  });

  test('finds a stack inside a Stage by its stack name', async () => {
    const dir = writeAssembly(gatewayTemplate());
    fake.state.stacks['Staging-school'] = fake.state.stacks[STACK];
    const output = capture();

    const code = await runVerify({ stack: 'Staging-school', cdkOut: dir }, output);

    expect(output.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(output.stdout[0]).toContain(join(dir, 'assembly-Staging', 'StagingSchool.template.json'));
  });

  test('a stack the assembly does not have exits 2 listing the stacks it has', async () => {
    const output = capture();

    const code = await runVerify({ stack: 'SchoolGatewayStack-typo', cdkOut: writeAssembly(gatewayTemplate()) }, output);

    expect(code).toBe(2);
    expect(output.stderr.join('\n')).toContain('No stack named "SchoolGatewayStack-typo" in the cloud assembly');
    expect(output.stderr.join('\n')).toContain(`(stacks: ${STACK}, Staging-school)`);
  });

  test('a directory that is not a cloud assembly exits 2', async () => {
    const output = capture();

    const code = await runVerify({ stack: STACK, cdkOut: mkdtempSync(join(tmpdir(), 'csg-empty-')) }, output);

    expect(code).toBe(2);
    expect(output.stderr.join('\n')).toMatch(/is not a cloud assembly \(no manifest\.json\); run "cdk synth" first/);
  });
});
