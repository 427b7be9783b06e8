import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { ServiceGateway } from '../../lib/service-gateway';
import { TemplateSizeCheck } from '../../lib/template-size-check';
import { generatedMap } from '../support/generated-map';

describe('TemplateSizeCheck (CloudFormation template body quota)', () => {
  test('names every template over the limit, nested ones included, and passes the others', () => {
    // GIVEN a cloud assembly folder with a small stack template and a large nested one
    const dir = mkdtempSync(join(tmpdir(), 'csg-size-'));
    writeFileSync(join(dir, 'Small.template.json'), 'x'.repeat(100));
    writeFileSync(join(dir, 'SmallNested1.nested.template.json'), 'x'.repeat(201));
    const check = new TemplateSizeCheck(200);
    const context = { templatePaths: [join(dir, 'Small.template.json')], stackTemplates: [], appConstruct: new App() };

    // WHEN the check runs on it, as CDK runs validation plugins after synth
    const report = check.validate(context);

    // THEN only the large template is a violation, with its size and the limit
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.description)).toEqual([
      "SmallNested1.nested.template.json is 201 bytes, above CloudFormation's 200-byte template body quota (a hard limit); split the services over more than one gateway (one map each)",
    ]);
    expect(new TemplateSizeCheck(201).validate(context).success).toBe(true);
  });

  test('a gateway too large for one template fails synth with the template named, instead of failing a deployment', () => {
    // With the benchmark's generated map, 633 services take the root template past 1 MB (632 pass), half of it
    // the dashboards and 30 % the nested-stack resources (`npx tsx bench/synth.ts 632 633`); synthesizing that
    // many costs most of a minute. The check only needs a gateway whose root template is over 1 MB, so a
    // small gateway gets 1 MB of template metadata. Under test: ServiceGateway registers the check, so that
    // `app.synth()` itself fails, naming the template and its size.
    const app = new App({ analyticsReporting: false, outdir: mkdtempSync(join(tmpdir(), 'csg-size-')) });
    const stack = new Stack(app, 'Huge', { env: { account: '123456789012', region: 'eu-west-1' } });
    new ServiceGateway(stack, 'Gateway', { serviceMap: generatedMap(3) });
    stack.templateOptions.metadata = { padding: 'x'.repeat(1_000_000) };
    expect(() => app.synth()).toThrow(/Huge\.template\.json is \d{7} bytes, above CloudFormation's 1000000-byte template body quota/);
  });

  test('the same gateway with a root template just under 1 MB synthesizes', () => {
    const app = new App({ analyticsReporting: false, outdir: mkdtempSync(join(tmpdir(), 'csg-size-')) });
    const stack = new Stack(app, 'Large', { env: { account: '123456789012', region: 'eu-west-1' } });
    new ServiceGateway(stack, 'Gateway', { serviceMap: generatedMap(3) });
    stack.templateOptions.metadata = { padding: 'x'.repeat(900_000) };
    const body = JSON.stringify(app.synth().getStackByName('Large').template);
    expect(Buffer.byteLength(body)).toBeGreaterThan(900_000);
  });
});
