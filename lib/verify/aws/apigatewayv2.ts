import { ApiGatewayV2Client, GetApiCommand, GetAuthorizersCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import type { HttpApiReader, HttpApiState } from '../deployed/http';
import { awsCall, unlessNotFound } from './call';
import { allPages } from './pages';

/** Every API Gateway read is authorized by the one IAM action `apigateway:GET`. */
const ACTION = 'apigateway:GET';

/** Reads an HTTP API through API Gateway v2. The v2 client has no paginators, so NextToken is followed here. */
export class ApiGatewayV2HttpApiReader implements HttpApiReader {
  constructor(private readonly client: ApiGatewayV2Client) {}

  readApi(apiId: string, stageName: string): Promise<HttpApiState | undefined> {
    return awsCall(ACTION, `HTTP API ${apiId}`, async () => {
      const routes = await unlessNotFound('NotFoundException', () =>
        allPages(async (NextToken) => {
          const out = await this.client.send(new GetRoutesCommand({ ApiId: apiId, NextToken }));
          return { items: out.Items, next: out.NextToken };
        }),
      );
      if (!routes) return undefined;
      const integrations = await allPages(async (NextToken) => {
        const out = await this.client.send(new GetIntegrationsCommand({ ApiId: apiId, NextToken }));
        return { items: out.Items, next: out.NextToken };
      });
      const authorizers = await allPages(async (NextToken) => {
        const out = await this.client.send(new GetAuthorizersCommand({ ApiId: apiId, NextToken }));
        return { items: out.Items, next: out.NextToken };
      });
      const stage = await unlessNotFound('NotFoundException', () =>
        this.client.send(new GetStageCommand({ ApiId: apiId, StageName: stageName })),
      );
      // The API's own CORS configuration, which API Gateway applies before any route.
      const api = await this.client.send(new GetApiCommand({ ApiId: apiId }));
      return { routes, integrations, authorizers, stage, ...(api.CorsConfiguration ? { corsConfiguration: api.CorsConfiguration } : {}) };
    });
  }
}
