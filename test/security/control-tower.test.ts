/**
 * AWS Control Tower proactive controls (cfn-guard rules shipped by @cdklabs/cdk-validator-cfnguard)
 * over the synthesized templates. Every control the gateway does not meet is listed here with the
 * reason; any other finding fails the suite, and a listed control that no longer fires fails it too,
 * so the list stays exactly what the gateway accepts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { everyFeatureRest } from '../support/every-feature';
import { RECOMMENDED_FLAGS } from '../support/feature-flags';
import { exampleMap } from '../support/gateway';

/** Controls the gateway does not meet, on purpose. */
export const ACCEPTED_CONTROLS: Readonly<Record<string, string>> = {
  cloudwatch_log_group_retention_period_check:
    'CT.CLOUDWATCH.PR.2 (retain logs a year): retention is the map\'s logs.retentionDays (default 30, for cost); set 365 or more to meet it.',
  cloudwatch_log_group_encrypted_check:
    'CT.CLOUDWATCH.PR.3 (KMS key on log groups): CloudWatch Logs encrypts at rest with AWS-owned keys; no customer key is created per gateway.',
  alb_http_to_https_redirection_check:
    'CT.ELASTICLOADBALANCING.PR.1 (HTTPS listener): the ALBs are internal and reachable from the VPC link only; TLS ends at API Gateway.',
  elbv2_deletion_protection_enabled_check:
    'CT.ELASTICLOADBALANCING.PR.5 (ALB deletion protection): ALBs are added and removed with the map (network.loadBalancers) and with the stack.',
  lambda_inside_vpc_check:
    'CT.LAMBDA.PR.3 (Lambda in a VPC): the authorizer reaches only the issuer\'s public JWKS; a VPC would add NAT cost and cold-start time.',
  s3_bucket_default_encryption_kms_check: 'CT.S3.PR.10 (SSE-KMS): ALB access logs can only be written to SSE-S3 buckets.',
  s3_bucket_logging_enabled_check: 'CT.S3.PR.2 (server access logs): the bucket holds logs; logging it elsewhere only moves the question.',
  s3_event_notifications_enabled_check: 'CT.S3.PR.4 (event notifications): nothing consumes events of the access-log bucket.',
  s3_bucket_object_lock_enabled_check: 'CT.S3.PR.9 (Object Lock): logs expire after logs.retentionDays, which a lock would forbid.',
  api_gw_v1_execution_logging_enabled_check:
    'CT.APIGATEWAY.PR.1 (REST execution logging): off on purpose, it can record request data; JSON access logs are on.',
};

/**
 * The control findings of each map, synthesized as one stack each in one app (one cfn-guard run per app):
 * stack name -> rule name -> construct paths.
 */
function controlFindings(maps: Readonly<Record<string, ServiceMap>>, context: Readonly<Record<string, unknown>> = {}): Map<string, Map<string, string[]>> {
  const outdir = mkdtempSync(join(tmpdir(), 'csg-guard-'));
  const app = new App({ analyticsReporting: false, outdir, context: { ...context } });
  Validations.of(app).addPlugins(new CfnGuardValidator());
  for (const [name, map] of Object.entries(maps)) {
    const stack = new Stack(app, name, { env: { account: '123456789012', region: 'eu-west-1' } });
    new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  }
  const byStack = new Map(Object.keys(maps).map((name) => [name, new Map<string, string[]>()]));
  try {
    app.synth();
    return byStack;
  } catch {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    // Under the recommended flags the report also lists the map's warnings ('Construct Annotations').
    for (const plugin of report.pluginReports.filter((p: { pluginName: string }) => p.pluginName === 'cdk-validator-cfnguard')) {
      for (const v of plugin.violations) {
        for (const { constructPath } of v.violatingConstructs as Array<{ constructPath: string }>) {
          const findings = byStack.get(constructPath.split('/')[0]);
          if (!findings) throw new Error(`finding ${v.ruleName} outside the gateway stacks: ${constructPath}`);
          findings.set(v.ruleName, [...(findings.get(v.ruleName) ?? []), constructPath]);
        }
      }
    }
    return byStack;
  }
}

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  const maps = { Example: exampleMap(), Rest: everyFeatureRest };
  const plain = controlFindings(maps);
  // As in a new `cdk init` app, and in this package's own cdk.json.
  const flagged = controlFindings(maps, RECOMMENDED_FLAGS);
  const example = plain.get('Example')!;
  const rest = plain.get('Rest')!;
  const exampleFlagged = flagged.get('Example')!;
  const restFlagged = flagged.get('Rest')!;

  test.each([
    ['the example map (HTTP front door)', example],
    ['a map with every REST feature', rest],
    ['the example map, under every recommended feature flag', exampleFlagged],
    ['a map with every REST feature, under every recommended feature flag', restFlagged],
  ])('%s meets every control but the accepted ones', (_name, findings) => {
    const unexpected = [...findings].filter(([rule]) => !(rule in ACCEPTED_CONTROLS)).map(([rule, paths]) => `${rule}: ${paths.join(', ')}`);
    expect(unexpected).toEqual([]);
  });

  test('every accepted control still fires somewhere (no stale entry)', () => {
    const fired = new Set([...example.keys(), ...rest.keys()]);
    expect(Object.keys(ACCEPTED_CONTROLS).filter((rule) => !fired.has(rule))).toEqual([]);
  });

  test('controls the gateway meets on purpose stay met', () => {
    for (const findings of [example, rest, exampleFlagged, restFlagged]) {
      for (const rule of [
        'lambda_function_public_access_prohibited_check', // authorizer permission: source ARN and account
        'kms_create_grant_aws_service_check', // alarm topic key: grants for AWS services only
        's3_bucket_versioning_enabled_check', // access-log bucket versioned
        'api_gw_cache_encrypted_check', // REST cache encrypted for every method
      ]) {
        expect(findings.has(rule)).toBe(false);
      }
    }
  });
});
