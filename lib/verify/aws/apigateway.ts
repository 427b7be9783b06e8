import {
  APIGatewayClient,
  GetAuthorizersCommand,
  GetGatewayResponsesCommand,
  GetStageCommand,
  paginateGetApiKeys,
  paginateGetResources,
  paginateGetUsagePlanKeys,
  paginateGetUsagePlans,
  type UsagePlan,
} from '@aws-sdk/client-api-gateway';
import type { DeployedApiKey, RestApiReader, RestApiState } from '../deployed/rest';
import { awsCall, unlessNotFound } from './call';
import { allPages } from './pages';

/** Reads a REST API through API Gateway (v1). */
export class ApiGatewayRestApiReader implements RestApiReader {
  constructor(private readonly client: APIGatewayClient) {}

  readApi(restApiId: string, stageName: string): Promise<RestApiState | undefined> {
    return awsCall('apigateway:GET', `REST API ${restApiId}`, async () => {
      const resources = await unlessNotFound('NotFoundException', async () => {
        const all = [];
        // embed=methods returns each resource's methods in the same page, instead of one GetMethod per method.
        for await (const page of paginateGetResources({ client: this.client }, { restApiId, embed: ['methods'] })) all.push(...(page.items ?? []));
        return all;
      });
      if (!resources) return undefined;
      // The SDK has no paginator for GetAuthorizers; the position cursor is followed by hand.
      const authorizers = await allPages(async (position) => {
        const out = await this.client.send(new GetAuthorizersCommand({ restApiId, position }));
        return { items: out.items, next: out.position };
      });
      const stage = await unlessNotFound('NotFoundException', () => this.client.send(new GetStageCommand({ restApiId, stageName })));
      const usagePlans: UsagePlan[] = [];
      for await (const page of paginateGetUsagePlans({ client: this.client }, {})) {
        for (const plan of page.items ?? []) {
          if (plan.apiStages?.some((s) => s.apiId === restApiId && s.stage === stageName)) usagePlans.push(plan);
        }
      }
      // Gateway responses carry the CORS headers of API Gateway's own 4xx/5xx answers; no SDK paginator either.
      const gatewayResponses = await allPages(async (position) => {
        const out = await this.client.send(new GetGatewayResponsesCommand({ restApiId, position }));
        return { items: out.items, next: out.position };
      });
      return { resources, stage, usagePlans, authorizers, gatewayResponses, ...(await this.readApiKeys(usagePlans)) };
    });
  }

  /**
   * API keys belong to the account, not to an API: every key is listed, and the stage's usage plans say
   * which can call it. Key values are never requested, and where AWS sends one anyway (GetUsagePlanKeys)
   * only the key's ID is kept.
   */
  private async readApiKeys(usagePlans: readonly UsagePlan[]): Promise<Pick<RestApiState, 'apiKeys' | 'usagePlanKeyIds'>> {
    const apiKeys: DeployedApiKey[] = [];
    for await (const page of paginateGetApiKeys({ client: this.client, pageSize: 500 }, { includeValues: false })) {
      for (const key of page.items ?? []) apiKeys.push({ id: key.id, name: key.name, enabled: key.enabled });
    }
    const usagePlanKeyIds: Record<string, string[]> = {};
    for (const plan of usagePlans) {
      if (!plan.id) continue;
      const ids: string[] = [];
      for await (const page of paginateGetUsagePlanKeys({ client: this.client }, { usagePlanId: plan.id })) {
        for (const key of page.items ?? []) if (key.id) ids.push(key.id);
      }
      usagePlanKeyIds[plan.id] = ids;
    }
    return { apiKeys, usagePlanKeyIds };
  }
}
