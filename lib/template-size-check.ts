import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { QUOTAS } from './service-map/limits';

/**
 * A synth-time check of CloudFormation's template body quota (1,000,000 bytes through S3), which only
 * the written templates can tell: every template of the app, nested ones included. ServiceGateway
 * registers it once per Stage, so an over-large gateway fails `cdk synth`, not a deployment halfway.
 */
export class TemplateSizeCheck implements IPolicyValidationPlugin {
  readonly name = 'cdk-service-gateway-template-size';
  readonly ruleIds = ['template-body-size'];

  constructor(private readonly maxBytes: number = QUOTAS.templateBytes) {}

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const dirs = [...new Set(context.templatePaths.map((p) => dirname(p)))];
    const nested = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.nested.template.json')).map((f) => join(dir, f)));
    const violations: PolicyViolation[] = [...new Set([...context.templatePaths, ...nested])]
      .map((path) => ({ path, bytes: statSync(path).size }))
      .filter(({ bytes }) => bytes > this.maxBytes)
      .map(({ path, bytes }) => ({
        ruleName: 'template-body-size',
        description:
          `${basename(path)} is ${bytes} bytes, above CloudFormation's ${this.maxBytes}-byte template body quota (a hard limit); ` +
          'split the services over more than one gateway (one map each)',
        violatingResources: [{ templatePath: path, locations: ['/'] }],
        severity: 'error',
      }));
    return { success: violations.length === 0, violations };
  }
}
