/**
 * Verification of one stack: reads the recorded map and the deployed state, and compares them gateway by
 * gateway. AWS is reached only through the reader interfaces, so this runs the same against AWS, a fake
 * endpoint, or in-memory state.
 */
import { planResolvedMap, type FirewallPlan, type GatewayPlan } from '../plan';
import { restStageArn } from '../service-map/conventions';
import { deployedAuthorizerItems, deployedIntegrationParameterItems, deployedRouteItems, deployedStageItems, type HttpApiReader } from './deployed/http';
import { deployedRuleItems, type FirewallReader, parseWebAclPhysicalId } from './deployed/firewall';
import {
  deployedApiKeyItems,
  deployedIntegrationItems,
  deployedMethods,
  deployedMethodItems,
  deployedRestAuthorizerItems,
  deployedStageCacheItems,
  deployedStageThrottleItems,
  deployedUsagePlanItems,
  isCachedMethod,
  type RestApiReader,
} from './deployed/rest';
import type { StackReader, StackResource } from './deployed/stack';
import { deployedGatewayResponseCorsItems, deployedHttpCorsItems, deployedPreflightItems } from './deployed/cors';
import { expectedGatewayResponseCorsItems, expectedHttpCorsItems, expectedPreflightItems } from './expected/cors';
import { expectedRuleItems } from './expected/firewall';
import { expectedAuthorizerItems, expectedIntegrationParameterItems, expectedRouteItems, expectedStageItems } from './expected/http';
import {
  expectedApiKeyItems,
  expectedApiKeyNames,
  expectedIntegrationItems,
  expectedMethodItems,
  expectedRestAuthorizerItems,
  expectedRestCacheItems,
  expectedRestStageItems,
  expectedUsagePlanItems,
} from './expected/rest';
import { ABSENT, compareItems, type Row } from './items';
import { readAssemblyTemplate } from './record/cloud-assembly';
import { API_RESOURCE_TYPES, type RecordedGateway, readGatewayRecords } from './record/gateway-record';
import { parseTemplate } from './record/template';

export interface VerifySources {
  readonly stack: StackReader;
  readonly httpApi: HttpApiReader;
  readonly restApi: RestApiReader;
  readonly firewall: FirewallReader;
}

export interface VerifyRequest {
  /** The deployed stack (its CloudFormation name). */
  readonly stackName: string;
  /**
   * A cloud assembly directory to read the map from instead of the deployed template.
   *
   * @default the template of the deployed stack
   */
  readonly cdkOut?: string;
}

export interface GatewayReport {
  readonly gatewayName: string;
  readonly frontDoor: RecordedGateway['frontDoor'];
  /** The API's physical ID, when the stack has one. */
  readonly apiId?: string;
  readonly rows: readonly Row[];
  /** What this version does not compare, said out loud rather than passed silently. */
  readonly notChecked: readonly string[];
}

export interface VerifyReport {
  readonly stackName: string;
  /** Where the map was read from: the deployed stack or a template file. */
  readonly mapSource: string;
  readonly gateways: readonly GatewayReport[];
}

const LOAD_BALANCER_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

export async function verifyStack(request: VerifyRequest, sources: VerifySources): Promise<VerifyReport> {
  const { stackName } = request;
  let body: string;
  let mapSource: string;
  if (request.cdkOut) {
    const local = readAssemblyTemplate(request.cdkOut, stackName);
    body = local.body;
    mapSource = local.file;
  } else {
    body = await sources.stack.templateBody(stackName);
    mapSource = `deployed stack ${stackName}`;
  }
  const records = readGatewayRecords(parseTemplate(body, mapSource), mapSource);
  const resources = await sources.stack.resources(stackName);
  const gateways: GatewayReport[] = [];
  for (const record of records) gateways.push(await verifyGateway(record, resources, sources));
  return { stackName, mapSource, gateways };
}

async function verifyGateway(record: RecordedGateway, resources: readonly StackResource[], sources: VerifySources): Promise<GatewayReport> {
  // What verify expects is what the gateway rendered: the plan of the recorded map, decided by the same code.
  const plan = planResolvedMap(record.map);
  const { map } = plan;
  const apiId = resources.find((r) => r.logicalId === record.apiLogicalId)?.physicalId;
  const rows: Row[] = [];
  const notChecked: string[] = [];
  if (!apiId) {
    rows.push(missingResource(`api ${record.apiLogicalId}`, API_RESOURCE_TYPES[record.frontDoor], 'not in the deployed stack'));
  } else if (record.frontDoor === 'http') {
    rows.push(...(await checkHttpApi(plan, apiId, record.stageName, sources.httpApi)));
  } else {
    rows.push(...(await checkRestApi(plan, apiId, record.stageName, sources.restApi)));
  }
  if (plan.firewall) rows.push(...(await checkFirewall(record, plan.firewall, apiId, resources, sources.firewall)));
  return { gatewayName: map.name, frontDoor: record.frontDoor, apiId, rows, notChecked };
}

async function checkHttpApi(plan: GatewayPlan, apiId: string, stageName: string, reader: HttpApiReader): Promise<Row[]> {
  const state = await reader.readApi(apiId, stageName);
  if (!state) return [missingResource(`api ${apiId}`, 'HTTP API', 'does not exist')];
  return [
    ...compareItems(expectedRouteItems(plan), deployedRouteItems(state)),
    ...compareItems(expectedIntegrationParameterItems(plan), deployedIntegrationParameterItems(state)),
    ...compareItems(expectedAuthorizerItems(plan), deployedAuthorizerItems(state, plan.authorizer?.name)),
    ...compareItems(expectedStageItems(plan, stageName), deployedStageItems(state, stageName)),
    // The API's CORS configuration: a map without cors expects none, so one added by hand is unexpected.
    ...compareItems(expectedHttpCorsItems(plan), deployedHttpCorsItems(state.corsConfiguration)),
  ];
}

async function checkRestApi(plan: GatewayPlan, restApiId: string, stageName: string, reader: RestApiReader): Promise<Row[]> {
  const state = await reader.readApi(restApiId, stageName);
  if (!state) return [missingResource(`api ${restApiId}`, 'REST API', 'does not exist')];
  return [
    ...compareItems(expectedMethodItems(plan), deployedMethodItems(state)),
    ...compareItems(expectedIntegrationItems(plan), deployedIntegrationItems(state)),
    ...compareItems(expectedRestAuthorizerItems(plan), deployedRestAuthorizerItems(state)),
    // Every method setting reports throttles, inherited ones included, so extras are not evidence of drift.
    ...compareItems(expectedRestStageItems(plan, stageName), deployedStageThrottleItems(state, stageName), { reportUnexpected: false }),
    // Likewise for caches, except that a method the map does not cache must not cache.
    ...compareItems(expectedRestCacheItems(plan, stageName), deployedStageCacheItems(state, stageName), { reportUnexpected: isCachedMethod }),
    ...compareItems(expectedUsagePlanItems(plan), deployedUsagePlanItems(state)),
    ...compareItems(expectedApiKeyItems(plan), deployedApiKeyItems(state, expectedApiKeyNames(plan))),
    // CORS: each preflight's answer (a MOCK OPTIONS method, whoever added it) and the CORS headers of API Gateway's own answers.
    ...compareItems(expectedPreflightItems(plan), deployedPreflightItems(deployedMethods(state))),
    ...(state.gatewayResponses ? compareItems(expectedGatewayResponseCorsItems(plan), deployedGatewayResponseCorsItems(state.gatewayResponses)) : []),
  ];
}

async function checkFirewall(
  record: RecordedGateway,
  firewall: FirewallPlan,
  apiId: string | undefined,
  resources: readonly StackResource[],
  reader: FirewallReader,
): Promise<Row[]> {
  if (!record.webAclLogicalId) {
    return [missingResource('waf web ACL', 'AWS::WAFv2::WebACL (firewall.enabled is true)', 'not recorded in the template')];
  }
  const physicalId = resources.find((r) => r.logicalId === record.webAclLogicalId)?.physicalId;
  const ref = physicalId ? parseWebAclPhysicalId(physicalId) : undefined;
  if (!ref) return [missingResource(`waf web ACL ${record.webAclLogicalId}`, 'AWS::WAFv2::WebACL', 'not in the deployed stack')];
  const webAcl = await reader.webAcl(ref);
  if (!webAcl?.ARN) return [missingResource(`waf web ACL ${ref.name}`, `${ref.scope} web ACL`, 'does not exist')];

  const rows: Row[] = [{ item: `waf web ACL ${ref.name}`, expected: 'present', deployed: 'present', status: 'ok' }];
  rows.push(...compareItems(expectedRuleItems(firewall), deployedRuleItems(webAcl)));

  // Where the plan puts the web ACL: on every internal ALB, or on the REST stage.
  if (firewall.target.kind === 'alb') {
    const albs = resources.filter((r) => r.type === LOAD_BALANCER_TYPE && r.physicalId);
    if (albs.length === 0) {
      rows.push(missingResource('waf association', 'an ALB of the stack', 'the stack has no ALB'));
      return rows;
    }
    const associated = new Set(await reader.associatedResources(webAcl.ARN, 'APPLICATION_LOAD_BALANCER'));
    rows.push(...associationRows(albs.map((alb) => ({ what: `ALB ${alb.logicalId}`, arn: alb.physicalId! })), associated));
  } else if (apiId) {
    // A regional web ACL lives in the partition and region of the stage it protects.
    const [, partition, , region] = webAcl.ARN.split(':');
    const stageArn = restStageArn(partition, region, apiId, record.stageName);
    const associated = new Set(await reader.associatedResources(webAcl.ARN, 'API_GATEWAY'));
    rows.push(...associationRows([{ what: `stage ${record.stageName}`, arn: stageArn }], associated));
  }
  return rows;
}

/** Other stacks' resources may share the web ACL, so only missing associations count. */
function associationRows(expected: ReadonlyArray<{ what: string; arn: string }>, associated: ReadonlySet<string>): Row[] {
  const items = expected.map((e) => ({ item: `waf association ${e.what}`, attributes: {}, arn: e.arn }));
  return compareItems(items, items.filter((i) => associated.has(i.arn)), { reportUnexpected: false });
}

function missingResource(item: string, expected: string, deployed: string): Row {
  return { item, expected, deployed: deployed || ABSENT, status: 'missing' };
}
