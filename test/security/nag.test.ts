import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { everyFeatureRest } from '../support/every-feature';
import { RECOMMENDED_FLAGS } from '../support/feature-flags';
import { exampleMap } from '../support/gateway';

function nagViolations(map: ServiceMap, context: Readonly<Record<string, unknown>> = {}): string[] {
  const app = new App({ analyticsReporting: false, context: { ...context } });
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  app.synth();
  return checks.validateScope(app).violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

describe('cdk-nag AwsSolutions', () => {
  test('the example map has no unacknowledged finding', () => {
    expect(nagViolations(exampleMap())).toEqual([]);
  });

  test('a map with every REST feature has no unacknowledged finding', () => {
    expect(nagViolations(everyFeatureRest)).toEqual([]);
  });

  test('a map with the native JWT authorizer and every HTTP feature has no unacknowledged finding', () => {
    const { usagePlans: _p, apiKeys: _k, rest: _r, ...http } = everyFeatureRest;
    const services = Object.fromEntries(
      Object.entries(everyFeatureRest.services).map(([name, s]) => {
        const { cache: _c, ...rest } = s;
        return [name, { ...rest, auth: rest.auth === 'apiKey' ? 'jwt' : rest.auth, rateLimits: rest.url ? undefined : rest.rateLimits }];
      }),
    ) as ServiceMap['services'];
    // IP reputation judges the source address, which on the HTTP front door is the VPC link's (validation rejects it).
    const firewall = { ...http.firewall, managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] };
    expect(nagViolations({ ...http, frontDoor: 'http', firewall, auth: { ...http.auth, authorizer: 'native' }, services })).toEqual([]);
  });

  test.each([
    ['the example map', exampleMap()],
    ['a map with every REST feature', everyFeatureRest],
  ])('%s has none either under every recommended feature flag, as in a new `cdk init` app', (_name, map) => {
    expect(Object.keys(RECOMMENDED_FLAGS).length).toBeGreaterThan(50);
    expect(nagViolations(map, RECOMMENDED_FLAGS)).toEqual([]);
  });

  test('the bundled app (cdk.json) sets every feature flag aws-cdk-lib recommends', () => {
    const { context } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
    expect(context).toEqual(RECOMMENDED_FLAGS);
  });

  test('a finding that is not acknowledged fails the check (the test can fail)', () => {
    const app = new App({ analyticsReporting: false });
    const stack = new Stack(app, 'Bad');
    // A bucket without TLS enforcement or logging.
    new (require('aws-cdk-lib/aws-s3').Bucket)(stack, 'Open');
    expect(new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
