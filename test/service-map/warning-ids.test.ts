import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clashingApiKeyOutputs, gatewayOutputNames, WARNING_IDS, WARNING_RULES } from '../../lib/service-map';
import { validateServiceMap } from '../../lib/plan';
import { rejectionOf as problemsOf } from '../support/problems';

const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'school.json'), 'utf8'));
const fargate = (path: string) => ({ path, container: { image: 'nginx:1.27' } });

describe('warning ids', () => {
  test('are named after their rule, never after a position', () => {
    expect(WARNING_IDS).toHaveLength(Object.keys(WARNING_RULES).length);
    for (const id of WARNING_IDS) expect(id).toMatch(/^cdk-service-gateway:[a-z]+(-[a-z0-9]+)+$/);
    expect(WARNING_IDS.some((id) => /map-\d/.test(id))).toBe(false);
  });

  test('a warning keeps its id when other warnings come and go', () => {
    // GIVEN the url-bypasses-firewall warning alone, then together with a native-authorizer warning before it
    const alone = validateServiceMap({ name: 'gw', services: { pay: { path: '/pay', url: 'https://pay.example.com' } } }).warnings;
    const withOthers = validateServiceMap({
      name: 'gw',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['x'], jwksUri: 'https://id.example.com/keys' }, authorizer: 'native' },
      services: { pay: { path: '/pay', url: 'https://pay.example.com', auth: 'none' } },
    }).warnings;
    const idOf = (ws: readonly { id: string; message: string }[]) => ws.find((w) => w.message.startsWith('firewall:'))!.id;
    // THEN the firewall warning has the same id in both maps
    expect(idOf(alone)).toBe('cdk-service-gateway:url-bypasses-firewall');
    expect(idOf(withOthers)).toBe('cdk-service-gateway:url-bypasses-firewall');
    expect(withOthers.map((w) => w.id)).toContain('cdk-service-gateway:native-authorizer-ignores-jwks-uri');
  });

  test('the bundled example acknowledges every warning it gives, with a reason', () => {
    const { map, warnings } = validateServiceMap(example);
    for (const w of warnings) expect(map.acknowledgeWarnings[w.id]).toEqual(expect.any(String));
  });

  test('acknowledgeWarnings accepts known ids only, and names the valid ones', () => {
    const problems = problemsOf({ name: 'gw', acknowledgeWarnings: { 'cdk-service-gateway:map-0': 'old id', 'cdk-service-gateway:waf-capacity': '' }, services: { a: fargate('/a') } });
    expect(problems).toEqual(
      expect.arrayContaining([
        // A key with a ":" is quoted in the field path (formatPath), as every odd key is.
        expect.stringMatching(/^acknowledgeWarnings\["cdk-service-gateway:map-0"\]: "cdk-service-gateway:map-0" is not a warning id \(valid: .*cdk-service-gateway:url-bypasses-firewall/),
        'acknowledgeWarnings["cdk-service-gateway:waf-capacity"]: expected the reason the warning is accepted',
      ]),
    );
  });
});

describe('network.availabilityZones', () => {
  const withAzs = (network: Record<string, unknown>) => ({ name: 'gw', network, services: { a: fargate('/a') } });

  test('is a list of at least two AZs of one Region, instead of maxAzs and not with vpcId', () => {
    expect(validateServiceMap(withAzs({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] })).map.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(problemsOf(withAzs({ availabilityZones: ['eu-west-1a'] }))).toEqual(['network.availabilityZones: expected at least 2 availability zones (an ALB needs subnets in two)']);
    expect(problemsOf(withAzs({ availabilityZones: ['eu-west-1a', 'EU west'] }))).toEqual(['network.availabilityZones[1]: "EU west" is not an availability zone name such as "eu-west-1a"']);
    expect(problemsOf(withAzs({ availabilityZones: ['eu-west-1a', 'eu-west-1a'] }))).toEqual(['network.availabilityZones: an AZ is listed twice']);
    expect(problemsOf(withAzs({ availabilityZones: ['eu-west-1a', 'us-east-1b'] }))).toEqual(['network.availabilityZones: eu-west-1a, us-east-1b are not all in one Region']);
    expect(problemsOf(withAzs({ availabilityZones: ['eu-west-1a', 'eu-west-1b'], maxAzs: 2 }))).toEqual([expect.stringMatching(/^network\.availabilityZones: .* leave out maxAzs/)]);
  });
});

describe('stack output names', () => {
  test('are the documented ones, and a prefix tells two gateways apart', () => {
    const names = gatewayOutputNames();
    expect([names.apiUrl, names.apiId, names.albDnsName(0), names.apiKeyId('mobile-app')]).toEqual(['ApiUrl', 'ApiId', 'Alb0DnsName', 'ApiKeyMobileAppId']);
    expect(gatewayOutputNames('Admin').apiUrl).toBe('AdminApiUrl');
  });

  test('API key names that would share an output are a problem', () => {
    expect(clashingApiKeyOutputs(['a-1b', 'a1b', 'c'])).toEqual([['a-1b', 'a1b']]);
    const problems = problemsOf({
      name: 'gw',
      frontDoor: 'rest',
      usagePlans: { p: { rateLimit: 1, burstLimit: 1 } },
      apiKeys: { 'a-1b': { plan: 'p' }, a1b: { plan: 'p' } },
      services: { a: { ...fargate('/a'), auth: 'apiKey' } },
    });
    expect(problems).toEqual(['apiKeys: a-1b and a1b would share the stack output ApiKeyA1bId; rename one']);
  });
});
