/**
 * Odd but valid maps that used to crash synth or break an AWS limit, rendered once per front door:
 * paths that differ only in - _ . ~ or "/", a service named "constructor", values long enough to push
 * an alarm description past CloudFormation's 1,024 characters, and the number form of the cache size.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceGateway } from '../../lib/service-gateway';
import { ServiceMapError } from '../../lib/service-map';
import type { ServiceMap } from '../../lib/service-map/schema';
import { resourcesOf, synthGateway, SynthesizedGateway } from '../support/gateway';

const image = 'nginx:1.27';
const longUrl = `https://backend.example.com/${'u'.repeat(1000)}`;
const longHealthCheck = `/${'h'.repeat(900)}`;

/**
 * Every alarm description of the gateway (root and nested stacks) as text; a reference (a generated log
 * group or function name) counts as 128 characters, more than CloudFormation's generated names take.
 */
function alarmDescriptions(gw: SynthesizedGateway): string[] {
  const templates = [gw.root, ...[...gw.gateway.serviceStacks.values()].map((s) => Template.fromStack(s))];
  const text = (d: unknown): string =>
    typeof d === 'string' ? d : (d as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'r'.repeat(128))).join('');
  return templates.flatMap((t) => resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([, a]) => text(a.Properties.AlarmDescription)));
}

describe('REST front door', () => {
  const gw = synthGateway({
    name: 'odd',
    frontDoor: 'rest',
    rest: { cacheClusterSizeGb: 1.6 },
    usagePlans: { constructor: { rateLimit: 10, burstLimit: 20 } },
    apiKeys: { partner: { plan: 'constructor' } },
    services: {
      dash: { path: '/a-b/x', container: { image }, cache: { ttlSeconds: 60 } },
      under: { path: '/a_b/y', container: { image }, auth: 'apiKey' },
      slash: { path: '/a/b/z', url: longUrl, throttle: { rateLimit: 1, burstLimit: 1 } },
      tilde: { path: '/a~1b~1z', url: 'https://t.example.com', throttle: { rateLimit: 2, burstLimit: 2 } },
      constructor: { path: '/c', container: { image } },
    },
  } as ServiceMap);
  const prefixes = resourcesOf(gw.root, 'AWS::ApiGateway::Resource');

  test('prefixes that differ only in - _ or / each get their own resource', () => {
    expect(prefixes.map(([, r]) => r.Properties.PathPart).sort()).toEqual(['a', 'a-b', 'a_b', 'b']);
    const [aId] = prefixes.find(([, r]) => r.Properties.PathPart === 'a')!;
    expect(prefixes.find(([, r]) => r.Properties.PathPart === 'b')![1].Properties.ParentId).toEqual({ Ref: aId });
  });

  test('stage method settings tell "/a/b/z" from "/a~1b~1z" ("~" is written "~0", "/" "~1")', () => {
    const settings = resourcesOf(gw.root, 'AWS::ApiGateway::Stage')[0][1].Properties.MethodSettings as Array<{ ResourcePath: string; ThrottlingRateLimit: number }>;
    const rate = (path: string) => settings.filter((s) => s.ResourcePath === path).map((s) => s.ThrottlingRateLimit);
    expect(rate('/~1a~1b~1z')).toEqual([1]);
    expect(rate('/~1a~01b~01z')).toEqual([2]);
    expect(rate('/~1a~01b~01z~1{proxy+}')).toEqual([2]);
  });

  test('a container service named "constructor" gets its backend and methods', () => {
    expect(Object.keys(gw.gateway.backends).sort()).toEqual(['constructor', 'dash', 'under']);
    const methods = resourcesOf(gw.serviceTemplate('constructor'), 'AWS::ApiGateway::Method').map(([, m]) => m.Properties.HttpMethod);
    expect(methods).toEqual(['ANY', 'ANY']);
  });

  test('an API key joins the usage plan named "constructor"', () => {
    const [planId] = resourcesOf(gw.root, 'AWS::ApiGateway::UsagePlan').find(([, p]) => p.Properties.UsagePlanName === 'odd-constructor')!;
    gw.root.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { UsagePlanId: { Ref: planId } });
  });

  test('the cache size written as a number reaches the stage as CloudFormation\'s string', () => {
    gw.root.hasResourceProperties('AWS::ApiGateway::Stage', { CacheClusterEnabled: true, CacheClusterSize: '1.6' });
  });

  test('a long url keeps every alarm description within 1,024 characters', () => {
    const descriptions = alarmDescriptions(gw);
    expect(descriptions.some((d) => d.includes('(url backend https://backend.example.com/uuu'))).toBe(true);
    expect(Math.max(...descriptions.map((d) => d.length))).toBeLessThanOrEqual(1024);
  });
});

describe('HTTP front door', () => {
  const gw = synthGateway({
    name: 'odd',
    services: {
      web: { path: '/w', container: { image, healthCheckPath: longHealthCheck } },
      // The HTTP API maps a url's path into a 512-character parameter: this one is near that limit.
      constructor: { path: '/c', url: `https://backend.example.com/${'u'.repeat(480)}` },
    },
  });

  test('a url service named "constructor" gets its routes, and no backend though Object has a property of its name', () => {
    expect(resourcesOf(gw.serviceTemplate('constructor'), 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey).sort()).toEqual(['ANY /c', 'ANY /c/{proxy+}']);
    expect(Object.keys(gw.gateway.backends)).toEqual(['web']);
    expect(gw.gateway.backends.constructor).toBeUndefined();
  });

  test('a long health-check path keeps every alarm description within 1,024 characters', () => {
    const descriptions = alarmDescriptions(gw);
    expect(descriptions.some((d) => d.includes('ALB health check (/hhh'))).toBe(true);
    expect(Math.max(...descriptions.map((d) => d.length))).toBeLessThanOrEqual(1024);
  });
});

describe('image folders', () => {
  test('a missing folder is a problem of the map, before anything is built', () => {
    const base = mkdtempSync(join(tmpdir(), 'no-image-'));
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
    let n = 0;
    const build = () =>
      new ServiceGateway(stack, `G${n++}`, { baseDirectory: base, serviceMap: { name: 'odd', services: { a: { path: '/a', container: { image: { directory: 'no-such-dir' } } } } } });
    expect(build).toThrow(ServiceMapError);
    expect(build).toThrow(`services.a.container.image.directory: "no-such-dir" is not a folder (looked for ${JSON.stringify(join(base, 'no-such-dir'))}`);
    // Nothing half-built: each attempt's gateway is empty.
    expect(stack.node.children.map((c) => c.node.children.length)).toEqual([0, 0]);
  });
});
