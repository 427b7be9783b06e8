/**
 * The imported maps synthesize: one synth per source kind, shared by its assertions.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { COPILOT, FIXTURES, KONG, NGINX, importFixture } from './helpers';

interface Synth {
  readonly templates: Template[];
  all(type: string): Array<Record<string, any>>;
}

// us-east-1: the Region of the placeholder certificate ARN the importers write (a regional API's certificate
// must be in the stack's Region; the placeholder is replaced before a real deployment anyway).
function synth(map: ServiceMap, region = 'us-east-1'): Synth {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'Imported', { env: { account: '123456789012', region } });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map, baseDirectory: FIXTURES });
  const templates = [Template.fromStack(stack), ...[...gateway.serviceStacks.values()].map((s) => Template.fromStack(s))];
  return {
    templates,
    all: (type) => templates.flatMap((t) => Object.values(t.findResources(type)).map((r) => (r as { Properties: Record<string, any> }).Properties)),
  };
}

const rateRules = (s: Synth) =>
  s.all('AWS::WAFv2::WebACL').flatMap((acl) => acl.Rules.filter((r: any) => r.Statement.RateBasedStatement ?? r.Statement.AndStatement).map((r: any) => JSON.stringify(r.Statement)));

describe('imported maps synthesize', () => {
  test('NGINX: REST API with API keys, a usage plan from the site-wide zone, per-IP WAF rules and the custom domain', () => {
    const s = synth(importFixture(NGINX).map);
    expect(s.all('AWS::ApiGateway::RestApi')).toHaveLength(1);
    expect(s.all('AWS::ApiGateway::ApiKey')).toHaveLength(2);
    expect(s.all('AWS::ApiGateway::UsagePlan')[0].Throttle).toEqual({ RateLimit: 500, BurstLimit: 101 });
    const rules = rateRules(s).join('\n');
    expect(rules).toContain('"Limit":620');
    expect(rules).toContain('"EvaluationWindowSec":60');
    expect(s.all('AWS::ApiGateway::DomainName')[0]).toMatchObject({ DomainName: 'api.shop.example.com', RegionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/REPLACE-ME' });
    expect(s.all('AWS::ECS::TaskDefinition').map((t) => t.ContainerDefinitions[0].Image).sort()).toEqual(['REPLACE-ME/orders:latest', 'REPLACE-ME/search:latest']);
  });

  test('synthesized in another Region, the placeholder certificate is named: it must be replaced by one of that Region', () => {
    expect(() => synth(importFixture(NGINX).map, 'eu-west-1')).toThrow(
      /domain\.certificateArn: arn:aws:acm:us-east-1:000000000000:certificate\/REPLACE-ME is in us-east-1; the custom domain of a regional API needs an ACM certificate in the stack's Region eu-west-1/,
    );
  });

  test('Kong: usage plans with quotas, Bot Control, the upstream\'s health-check path and the blocked addresses', () => {
    const s = synth(importFixture([KONG]).map);
    const plans = s.all('AWS::ApiGateway::UsagePlan');
    expect(plans.map((p) => p.Quota).filter(Boolean)).toEqual(expect.arrayContaining([{ Limit: 100000, Period: 'DAY' }, { Limit: 10000, Period: 'DAY' }]));
    const acl = s.all('AWS::WAFv2::WebACL')[0];
    expect(JSON.stringify(acl.Rules)).toContain('AWSManagedRulesBotControlRuleSet');
    const orders = s.all('AWS::ElasticLoadBalancingV2::TargetGroup').find((t) => t.HealthCheckPath === '/healthz')!;
    // The upstream's active health check: 5 s interval, 2 successes, 3 failures; the timeout fitted below the interval.
    expect(orders).toMatchObject({ HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3 });
    expect(s.all('AWS::WAFv2::IPSet').flatMap((i) => i.Addresses)).toEqual(expect.arrayContaining(['203.0.113.7/32', '198.51.100.0/24']));
  });

  test('Copilot --env prod: task sizes, variables, secrets by ARN, autoscaling and a built image', () => {
    const s = synth(importFixture(COPILOT, { name: 'shop', env: 'prod' }).map);
    const api = s.all('AWS::ECS::TaskDefinition').find((t) => t.Cpu === '1024')!;
    expect(api.Memory).toBe('2048');
    const container = api.ContainerDefinitions[0];
    expect(container.Environment).toEqual(expect.arrayContaining([{ Name: 'LOG_LEVEL', Value: 'warn' }]));
    expect(JSON.stringify(container.Secrets)).toContain('parameter/copilot/shop/prod/secrets/db_password');
    expect(s.all('AWS::ApplicationAutoScaling::ScalableTarget').map((t) => [t.MinCapacity, t.MaxCapacity]).sort()).toEqual([[2, 6], [3, 20]]);
    // api's http.healthcheck: success codes 200,204, 3 healthy / 2 unhealthy checks, 15 s interval, 5 s timeout, 60 s grace period.
    expect(s.all('AWS::ElasticLoadBalancingV2::TargetGroup').find((t) => t.HealthCheckPath === '/api/health')).toMatchObject({ Matcher: { HttpCode: '200,204' }, HealthyThresholdCount: 3, UnhealthyThresholdCount: 2, HealthCheckIntervalSeconds: 15, HealthCheckTimeoutSeconds: 5 });
    expect(s.all('AWS::ECS::Service').map((x) => x.HealthCheckGracePeriodSeconds)).toContain(60);
    const frontend = s.all('AWS::ECS::TaskDefinition').find((t) => t.Cpu === '256')!;
    expect(JSON.stringify(frontend.ContainerDefinitions[0].Image)).toMatch(/dkr\.ecr|cdk-hnb659fds-container-assets/);
  });
});
