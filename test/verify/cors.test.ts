/**
 * verify compares CORS with the plan on both front doors: synthesize a real ServiceGateway, "deploy" it
 * into the fake AWS endpoint, verify (all ok), then change CORS the way a console user would and check
 * that the change is reported, naming the item.
 */
import type { ServiceMap } from '../../lib/service-map';
import { runVerify } from '../../lib/verify';
import { FakeAws, type FakeAwsState, type Json } from './fake-aws';
import { fakeAwsEnv } from './fixtures';
import { capture, statusOf, tableRow, withEnv } from './helpers';
import { synthDirectory } from '../support/assembly';
import { deployAssembly } from './simulated-deployment';

const API_ID = 'corsapi001';
const image = 'public.ecr.aws/nginx/nginx:1.27';
const ORIGINS = ['https://a.example.com', 'https://b.example.com'];

function gatewayMap(frontDoor: 'http' | 'rest', cors: ServiceMap['cors'] | undefined): ServiceMap {
  return {
    name: 'shop',
    frontDoor,
    ...(cors ? { cors } : {}),
    auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] }, default: 'jwt' },
    services: {
      orders: { path: '/orders', container: { image } },
      status: { path: '/status', url: 'https://status.example.com', auth: 'none' },
    },
  };
}

/** Not ok rows: item and status. */
function problems(stdout: readonly string[]): string[] {
  return stdout.filter((l) => /  (drift|missing|unexpected)$/.test(l)).map((l) => `${l.split(/\s{2,}/)[0]}: ${l.trim().split(/\s+/).pop()}`);
}

describe('verify compares CORS with the plan', () => {
  let fake: FakeAws;
  let restoreEnv: () => void;
  const outdirs: Record<string, string> = {};

  beforeAll(async () => {
    fake = new FakeAws({ stacks: {}, httpApis: {}, restApis: {}, usagePlans: [], apiKeys: [], usagePlanKeys: {}, webAcls: [], failures: {} });
    restoreEnv = withEnv(fakeAwsEnv(await fake.start()));
    // One synth per map, shared by the tests.
    outdirs.httpCors = synthDirectory(gatewayMap('http', { allowOrigins: ORIGINS, allowMethods: ['GET', 'POST'], exposeHeaders: ['x-request-id'], allowCredentials: true, maxAgeSeconds: 60 }));
    outdirs.httpNone = synthDirectory(gatewayMap('http', undefined));
    outdirs.restCors = synthDirectory(gatewayMap('rest', { allowOrigins: ORIGINS, allowCredentials: true, exposeHeaders: ['x-request-id'] }));
    outdirs.restSingle = synthDirectory(gatewayMap('rest', { allowOrigins: ['https://a.example.com'] }));
    outdirs.restNone = synthDirectory(gatewayMap('rest', undefined));
  }, 120_000);
  afterAll(async () => {
    restoreEnv();
    await fake.stop();
  });

  /** Deploys a synthesized map, lets `edit` change the deployed state, then verifies. */
  async function verifyEdited(outdir: string, edit: (state: FakeAwsState) => void = () => {}) {
    const state = deployAssembly(outdir, 'Gw', API_ID);
    edit(state);
    fake.state = state;
    const output = capture();
    const code = await runVerify({ stack: 'Gw', cdkOut: outdir }, output);
    return { code, ...output };
  }

  const restOptions = (state: FakeAwsState, path: string): Json => {
    const resource = state.restApis[API_ID].resources.find((r) => r.path === path)!;
    return (resource.resourceMethods as Record<string, Json>).OPTIONS;
  };
  const preflight204 = (state: FakeAwsState, path: string): Json =>
    ((restOptions(state, path).methodIntegration as Json).integrationResponses as Record<string, Json>)['204'];

  describe('HTTP front door: the API\'s CORS configuration (GetApi)', () => {
    test('as synthesized: ok, with every member compared', async () => {
      const { code, stdout, stderr } = await verifyEdited(outdirs.httpCors);
      expect(stderr).toEqual([]);
      expect(problems(stdout)).toEqual([]);
      expect(code).toBe(0);
      expect(statusOf(stdout, 'cors configuration')).toBe('ok');
      expect(tableRow(stdout, 'cors configuration')).toContain(
        'origins=https://a.example.com https://b.example.com, methods=GET POST, headers=authorization content-type, exposeHeaders=x-request-id, credentials=true, maxAge=60 s  ',
      );
      expect(fake.calls('GetApi').map((c) => c.params.apiId)).toContain(API_ID);
    });

    test('an allowed origin changed in the console is drift naming the item and the origins', async () => {
      const { code, stdout } = await verifyEdited(outdirs.httpCors, (s) => {
        const cors = s.httpApis[API_ID].api!.corsConfiguration as Json;
        cors.allowOrigins = ['https://a.example.com', 'https://evil.example.com'];
      });
      expect(problems(stdout)).toEqual(['cors configuration: drift']);
      const row = tableRow(stdout, 'cors configuration')!;
      expect(row).toContain('origins=https://a.example.com https://b.example.com');
      expect(row).toContain('origins=https://a.example.com https://evil.example.com');
      expect(row).not.toContain('maxAge');
      expect(code).toBe(1);
    });

    test('credentials turned on, or the CORS configuration removed, are reported too', async () => {
      const removed = await verifyEdited(outdirs.httpCors, (s) => delete s.httpApis[API_ID].api!.corsConfiguration);
      expect(problems(removed.stdout)).toEqual(['cors configuration: missing']);
      const widened = await verifyEdited(outdirs.httpCors, (s) => {
        (s.httpApis[API_ID].api!.corsConfiguration as Json).allowHeaders = ['*'];
      });
      expect(problems(widened.stdout)).toEqual(['cors configuration: drift']);
    });

    test('a map without cors: as synthesized, no CORS row; CORS added by hand is unexpected', async () => {
      const clean = await verifyEdited(outdirs.httpNone);
      expect(problems(clean.stdout)).toEqual([]);
      expect(tableRow(clean.stdout, 'cors configuration')).toBeUndefined();
      const { code, stdout } = await verifyEdited(outdirs.httpNone, (s) => {
        s.httpApis[API_ID].api!.corsConfiguration = { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] };
      });
      expect(problems(stdout)).toEqual(['cors configuration: unexpected']);
      expect(tableRow(stdout, 'cors configuration')).toContain('origins=*');
      expect(code).toBe(1);
    });
  });

  describe('REST front door: the preflight answers and the CORS gateway responses', () => {
    test('as synthesized (several origins, credentials): every preflight and gateway response ok', async () => {
      const { code, stdout, stderr } = await verifyEdited(outdirs.restCors);
      expect(stderr).toEqual([]);
      expect(problems(stdout)).toEqual([]);
      expect(code).toBe(0);
      for (const path of ['/orders', '/orders/{proxy+}', '/status', '/status/{proxy+}']) expect(statusOf(stdout, `preflight OPTIONS ${path}`)).toBe('ok');
      expect(tableRow(stdout, 'preflight OPTIONS /orders')).toContain("header.access-control-allow-credentials='true'");
      expect(tableRow(stdout, 'preflight OPTIONS /orders')).toContain('echoes=https://a.example.com https://b.example.com  ');
      // With several origins a gateway response cannot name one; credentials and exposed headers are sent.
      expect(tableRow(stdout, 'gateway response DEFAULT_4XX cors')).toContain(
        "header.access-control-allow-credentials='true', header.access-control-expose-headers='x-request-id', header.vary='Origin'  ",
      );
      expect(statusOf(stdout, 'gateway response DEFAULT_5XX cors')).toBe('ok');
      expect(fake.calls('GetGatewayResponses').length).toBeGreaterThan(1);
    });

    test('one origin: sent as a static header by the preflight and the gateway responses, ok', async () => {
      const { code, stdout } = await verifyEdited(outdirs.restSingle);
      expect(problems(stdout)).toEqual([]);
      expect(code).toBe(0);
      expect(tableRow(stdout, 'preflight OPTIONS /status')).toContain("header.access-control-allow-origin='https://a.example.com'");
      expect(tableRow(stdout, 'gateway response DEFAULT_4XX cors')).toContain("header.access-control-allow-origin='https://a.example.com'");
    });

    test('an origin changed in one preflight\'s response template is drift naming that method', async () => {
      const { code, stdout } = await verifyEdited(outdirs.restCors, (s) => {
        const templates = preflight204(s, '/orders/{proxy+}').responseTemplates as Record<string, string>;
        templates['application/json'] = templates['application/json'].replace('https://b.example.com', 'https://evil.example.com');
      });
      expect(problems(stdout)).toEqual(['preflight OPTIONS /orders/{proxy+}: drift']);
      expect(tableRow(stdout, 'preflight OPTIONS /orders/{proxy+}')).toContain('echoes=https://a.example.com https://evil.example.com');
      expect(code).toBe(1);
    });

    test('a template edited into another shape (echo every origin) is drift, shown as a template of its own', async () => {
      const { stdout } = await verifyEdited(outdirs.restCors, (s) => {
        (preflight204(s, '/status').responseTemplates as Record<string, string>)['application/json'] =
          '#set($context.responseOverride.header.Access-Control-Allow-Origin = $input.params("Origin"))';
      });
      expect(problems(stdout)).toEqual(['preflight OPTIONS /status: drift']);
      expect(tableRow(stdout, 'preflight OPTIONS /status')).toContain('echoes=(a template of its own: ');
    });

    test('a static origin changed on a preflight and on a gateway response is drift on each', async () => {
      const { code, stdout } = await verifyEdited(outdirs.restSingle, (s) => {
        (preflight204(s, '/orders').responseParameters as Record<string, string>)['method.response.header.Access-Control-Allow-Origin'] = "'*'";
        const r4 = s.restApis[API_ID].gatewayResponses!.find((r) => r.responseType === 'DEFAULT_4XX')!;
        (r4.responseParameters as Record<string, string>)['gatewayresponse.header.Access-Control-Allow-Origin'] = "'https://evil.example.com'";
      });
      expect(problems(stdout)).toEqual(['preflight OPTIONS /orders: drift', 'gateway response DEFAULT_4XX cors: drift']);
      expect(tableRow(stdout, 'preflight OPTIONS /orders')).toContain("header.access-control-allow-origin='*'");
      expect(tableRow(stdout, 'gateway response DEFAULT_4XX cors')).toContain("header.access-control-allow-origin='https://evil.example.com'");
      expect(code).toBe(1);
    });

    test('a map without cors: CORS enabled by hand (an OPTIONS MOCK and CORS headers on a gateway response) is unexpected', async () => {
      const clean = await verifyEdited(outdirs.restNone);
      expect(problems(clean.stdout)).toEqual([]);
      const { code, stdout } = await verifyEdited(outdirs.restNone, (s) => {
        const resource = s.restApis[API_ID].resources.find((r) => r.path === '/orders')!;
        (resource.resourceMethods as Record<string, Json>).OPTIONS = {
          httpMethod: 'OPTIONS',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          methodIntegration: {
            type: 'MOCK',
            integrationResponses: { '200': { statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } } },
          },
        };
        s.restApis[API_ID].gatewayResponses = [
          { responseType: 'UNAUTHORIZED', statusCode: '401', defaultResponse: false, responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
        ];
      });
      expect(problems(stdout)).toEqual([
        'method OPTIONS /orders: unexpected',
        'integration OPTIONS /orders: unexpected',
        'preflight OPTIONS /orders: unexpected',
        'gateway response UNAUTHORIZED cors: unexpected',
      ]);
      expect(tableRow(stdout, 'preflight OPTIONS /orders')).toContain("status=200, header.access-control-allow-origin='*'");
      expect(code).toBe(1);
    });
  });
});
