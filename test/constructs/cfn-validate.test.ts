/**
 * CloudFormation's resource schemas, checked by aws-cdk-lib's own validator (@aws/cloudformation-validate) at
 * its strictest: errors fail synth. The rest of the suite turns this report-only check off for speed
 * (test/support/jest-setup.ts); here it runs, once, on the example map (HTTP API) and the every-feature map
 * (REST API), in one synth.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ServiceGateway } from '../../lib/service-gateway';
import { everyFeatureRest } from '../support/every-feature';
import { exampleMap } from '../support/gateway';

describe('CloudFormation schema validation (aws-cdk-lib built-in, errors fail synth)', () => {
  test('the example and every-feature gateways have no schema violation; a wrong property in the same app has one', () => {
    // GIVEN one app with both gateways and, as a control that the validator runs, a resource with an unknown property
    const saved = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    const outdir = mkdtempSync(join(tmpdir(), 'csg-cfn-validate-'));
    const app = new App({ analyticsReporting: false, outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const env = { account: '123456789012', region: 'eu-west-1' };
    new ServiceGateway(new Stack(app, 'Http', { env }), 'Gateway', { serviceMap: exampleMap() });
    new ServiceGateway(new Stack(app, 'Rest', { env }), 'Gateway', { serviceMap: everyFeatureRest });
    new CfnResource(new Stack(app, 'Control', { env }), 'Topic', { type: 'AWS::SNS::Topic', properties: { Bogus: 1 } });

    // WHEN it synthesizes
    try {
      expect(() => app.synth()).toThrow(/validation-report\.json/);
    } finally {
      process.env.CDK_VALIDATION = saved;
    }

    // THEN the only violation is the control's
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((p: any) =>
      p.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => `${v.severity} ${c.cloudFormationResource?.templatePath ?? c.constructPath}: ${v.description}`)),
    );
    expect(violations).toEqual(["error Control.template.json: Bogus: Additional properties are not allowed ('Bogus' was unexpected)"]);
  });
});
