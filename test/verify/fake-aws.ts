/**
 * A loopback stand-in for the AWS APIs verify calls, answering in each API's wire protocol: CloudFormation
 * (query protocol, XML), API Gateway v2 and v1 (REST-JSON), WAFv2 (awsJson1_1). List calls page with a small
 * page size so every caller must follow the service's cursor.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** JSON as API Gateway v2 sends it (camelCase members). */
export type Json = Record<string, unknown>;

export interface FakeStack {
  templateBody: string;
  resources: Array<{ logicalId: string; physicalId: string; type: string }>;
}

export interface FakeHttpApi {
  /** The API as GetApi returns it (camelCase: apiId, name, corsConfiguration); absent: an API without CORS. */
  api?: Json;
  routes: Json[];
  integrations: Json[];
  authorizers: Json[];
  stages: Record<string, Json>;
}

export interface FakeRestApi {
  /** As GetResources returns them with embed=methods: each method with its `methodIntegration`. */
  resources: Json[];
  authorizers: Json[];
  stages: Record<string, Json>;
  /** The gateway responses the API customizes; GetGatewayResponses adds API Gateway's defaults for the other types. */
  gatewayResponses?: Json[];
}

export interface FakeWebAcl {
  /** The WebACL object as WAF returns it (PascalCase), including Name, Id and ARN. */
  webAcl: Json;
  /** ARNs by ResourceType. */
  associations: Record<string, string[]>;
}

export interface FakeFailure {
  status: number;
  /** The AWS error code, e.g. AccessDeniedException. */
  code: string;
  message: string;
  /** Fail this many times, then answer normally. @default every time */
  times?: number;
}

export interface FakeAwsState {
  stacks: Record<string, FakeStack>;
  httpApis: Record<string, FakeHttpApi>;
  restApis: Record<string, FakeRestApi>;
  usagePlans: Json[];
  /** As API Gateway stores them, values included: GetApiKeys returns a value only when asked to. */
  apiKeys: Json[];
  /** The IDs of the API keys bound to each usage plan, by plan ID. */
  usagePlanKeys: Record<string, string[]>;
  webAcls: FakeWebAcl[];
  /** Failures by operation name (GetTemplate, GetRoutes, GetWebACL, ...). */
  failures: Record<string, FakeFailure>;
}

export interface LoggedRequest {
  operation: string;
  params: Record<string, string | undefined>;
  /** The access key ID the request was signed with. */
  accessKeyId?: string;
}

const PAGE_SIZE = 2;

/** Some of API Gateway's response types, with their status codes (the DEFAULT_ ones have none). */
const DEFAULT_GATEWAY_RESPONSES: ReadonlyArray<readonly [string, string | undefined]> = [
  ['DEFAULT_4XX', undefined],
  ['DEFAULT_5XX', undefined],
  ['UNAUTHORIZED', '401'],
  ['ACCESS_DENIED', '403'],
  ['THROTTLED', '429'],
];

export class FakeAws {
  readonly requests: LoggedRequest[] = [];
  private server?: Server;

  constructor(public state: FakeAwsState) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  calls(operation: string): LoggedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    const target = req.headers['x-amz-target'];
    try {
      if (typeof target === 'string' && target.startsWith('AWSWAF_20190729.')) {
        this.waf(target.slice('AWSWAF_20190729.'.length), JSON.parse(body || '{}') as Json, accessKeyId, res);
      } else if (req.method === 'POST' && body.includes('Action=')) {
        this.cloudFormation(Object.fromEntries(new URLSearchParams(body)), accessKeyId, res);
      } else if (url.pathname.startsWith('/v2/apis/')) {
        this.apiGatewayV2(url, accessKeyId, res);
      } else {
        this.apiGatewayV1(url, accessKeyId, res);
      }
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  }

  /** Logs the call and answers with a configured failure if there is one. */
  private failed(operation: string, params: LoggedRequest['params'], accessKeyId: string | undefined): FakeFailure | undefined {
    this.requests.push({ operation, params, accessKeyId });
    const failure = this.state.failures[operation];
    if (!failure) return undefined;
    if (failure.times !== undefined) {
      if (failure.times <= 0) return undefined;
      failure.times -= 1;
    }
    return failure;
  }

  // CloudFormation: query protocol, XML answers --------------------------------------------------------

  private cloudFormation(params: Record<string, string>, accessKeyId: string | undefined, res: ServerResponse): void {
    const op = params.Action;
    const failure = this.failed(op, params, accessKeyId);
    if (failure) return queryError(res, failure.status, failure.code, failure.message);
    const stack = this.state.stacks[params.StackName];
    if (!stack) return queryError(res, 400, 'ValidationError', `Stack with id ${params.StackName} does not exist`);
    if (op === 'GetTemplate') {
      return xml(
        res,
        op,
        `<TemplateBody>${escapeXml(stack.templateBody)}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`,
      );
    }
    if (op === 'ListStackResources') {
      const { page, next } = paginate(stack.resources, params.NextToken);
      const members = page
        .map(
          (r) =>
            `<member><LogicalResourceId>${escapeXml(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${escapeXml(r.physicalId)}</PhysicalResourceId>` +
            `<ResourceType>${r.type}</ResourceType><LastUpdatedTimestamp>2025-01-01T00:00:00.000Z</LastUpdatedTimestamp>` +
            `<ResourceStatus>CREATE_COMPLETE</ResourceStatus><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation></member>`,
        )
        .join('');
      return xml(res, op, `<StackResourceSummaries>${members}</StackResourceSummaries>${next ? `<NextToken>${next}</NextToken>` : ''}`);
    }
    return queryError(res, 400, 'InvalidAction', `Could not find operation ${op}`);
  }

  // API Gateway v2: REST-JSON, camelCase ---------------------------------------------------------------

  private apiGatewayV2(url: URL, accessKeyId: string | undefined, res: ServerResponse): void {
    const [, , , apiId, collection, stageName] = url.pathname.split('/').map(decodeURIComponent);
    const operation =
      collection === undefined
        ? 'GetApi'
        : collection === 'stages'
          ? 'GetStage'
          : collection === 'routes'
            ? 'GetRoutes'
            : collection === 'integrations'
              ? 'GetIntegrations'
              : 'GetAuthorizers';
    const failure = this.failed(operation, { apiId, stageName, nextToken: url.searchParams.get('nextToken') ?? undefined }, accessKeyId);
    if (failure) return restJsonError(res, failure.status, failure.code, failure.message);
    const api = this.state.httpApis[apiId];
    if (!api) return restJsonError(res, 404, 'NotFoundException', `Invalid API identifier specified 123456789012:${apiId}`);
    if (operation === 'GetApi') return json(res, 200, { apiId, name: apiId, protocolType: 'HTTP', ...api.api });
    if (operation === 'GetStage') {
      const stage = api.stages[stageName];
      if (!stage) return restJsonError(res, 404, 'NotFoundException', `Invalid stage identifier specified`);
      return json(res, 200, stage);
    }
    const items = operation === 'GetRoutes' ? api.routes : operation === 'GetIntegrations' ? api.integrations : api.authorizers;
    const { page, next } = paginate(items, url.searchParams.get('nextToken') ?? undefined);
    return json(res, 200, { items: page, ...(next ? { nextToken: next } : {}) });
  }

  // API Gateway v1: REST-JSON, lists under "item" with a "position" cursor -----------------------------

  private apiGatewayV1(url: URL, accessKeyId: string | undefined, res: ServerResponse): void {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const position = url.searchParams.get('position') ?? undefined;
    if (parts[0] === 'apikeys') {
      const includeValues = url.searchParams.get('includeValues') ?? undefined;
      const failure = this.failed('GetApiKeys', { position, includeValues, limit: url.searchParams.get('limit') ?? undefined }, accessKeyId);
      if (failure) return restJsonError(res, failure.status, failure.code, failure.message);
      const keys = includeValues === 'true' ? this.state.apiKeys : this.state.apiKeys.map(({ value: _value, ...key }) => key);
      const { page, next } = paginate(keys, position);
      return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
    }
    if (parts[0] === 'usageplans' && parts[2] === 'keys') {
      const usagePlanId = parts[1];
      const failure = this.failed('GetUsagePlanKeys', { usagePlanId, position }, accessKeyId);
      if (failure) return restJsonError(res, failure.status, failure.code, failure.message);
      if (!this.state.usagePlans.some((p) => p.id === usagePlanId)) return restJsonError(res, 404, 'NotFoundException', 'Invalid Usage Plan ID specified');
      // As AWS answers: each bound key with its value, asked for or not.
      const bound = (this.state.usagePlanKeys[usagePlanId] ?? []).map((id) => this.state.apiKeys.find((k) => k.id === id)!);
      const { page, next } = paginate(bound.map((k) => ({ id: k.id, type: 'API_KEY', value: k.value, name: k.name })), position);
      return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
    }
    if (parts[0] === 'usageplans') {
      const failure = this.failed('GetUsagePlans', { position }, accessKeyId);
      if (failure) return restJsonError(res, failure.status, failure.code, failure.message);
      const { page, next } = paginate(this.state.usagePlans, position);
      return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
    }
    const [, restApiId, collection, stageName] = parts;
    const operation =
      collection === 'stages' ? 'GetStage' : collection === 'authorizers' ? 'GetAuthorizers' : collection === 'gatewayresponses' ? 'GetGatewayResponses' : 'GetResources';
    const failure = this.failed(operation, { restApiId, stageName, position, embed: url.searchParams.get('embed') ?? undefined }, accessKeyId);
    if (failure) return restJsonError(res, failure.status, failure.code, failure.message);
    const api = this.state.restApis[restApiId];
    if (!api) return restJsonError(res, 404, 'NotFoundException', 'Invalid API identifier specified');
    if (operation === 'GetStage') {
      const stage = api.stages[stageName];
      return stage ? json(res, 200, stage) : restJsonError(res, 404, 'NotFoundException', 'Invalid stage identifier specified');
    }
    if (operation === 'GetGatewayResponses') {
      // As AWS answers: the customized responses, then a default (defaultResponse: true, no headers) for the types not customized.
      const custom = api.gatewayResponses ?? [];
      const defaults = DEFAULT_GATEWAY_RESPONSES.filter(([type]) => !custom.some((r) => r.responseType === type)).map(([responseType, statusCode]) => ({
        responseType,
        ...(statusCode ? { statusCode } : {}),
        defaultResponse: true,
        responseParameters: {},
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      }));
      const { page, next } = paginate([...custom, ...defaults], position);
      return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
    }
    if (operation === 'GetAuthorizers') {
      const { page, next } = paginate(api.authorizers, position);
      return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
    }
    const embedMethods = url.searchParams.get('embed') === 'methods';
    // Without embed=methods, AWS lists method names only, with empty bodies: no authorization, no integration.
    const resources = api.resources.map((r) =>
      embedMethods ? r : { ...r, resourceMethods: Object.fromEntries(Object.keys((r.resourceMethods as Json) ?? {}).map((m) => [m, {}])) },
    );
    const { page, next } = paginate(resources, position);
    return json(res, 200, { item: page, ...(next ? { position: next } : {}) });
  }

  // WAFv2: awsJson1_1, PascalCase ----------------------------------------------------------------------

  private waf(operation: string, input: Json, accessKeyId: string | undefined, res: ServerResponse): void {
    const failure = this.failed(operation, { Name: input.Name as string, WebACLArn: input.WebACLArn as string, ResourceType: input.ResourceType as string }, accessKeyId);
    if (failure) return awsJsonError(res, failure.status, failure.code, failure.message);
    const missing = () => awsJsonError(res, 400, 'WAFNonexistentItemException', "AWS WAF couldn't perform the operation because your resource doesn't exist.");
    if (operation === 'GetWebACL') {
      const acl = this.state.webAcls.find((a) => a.webAcl.Name === input.Name && a.webAcl.Id === input.Id);
      if (!acl || input.Scope !== 'REGIONAL') return missing();
      return json(res, 200, { WebACL: acl.webAcl, LockToken: '00000000-0000-0000-0000-000000000000' }, 'application/x-amz-json-1.1');
    }
    if (operation === 'ListResourcesForWebACL') {
      const acl = this.state.webAcls.find((a) => a.webAcl.ARN === input.WebACLArn);
      if (!acl) return missing();
      return json(res, 200, { ResourceArns: acl.associations[(input.ResourceType as string) ?? 'APPLICATION_LOAD_BALANCER'] ?? [] }, 'application/x-amz-json-1.1');
    }
    return awsJsonError(res, 400, 'UnknownOperationException', operation);
  }
}

function paginate<T>(items: readonly T[], token: string | undefined): { page: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace('page:', '')) : 0;
  const end = start + PAGE_SIZE;
  return { page: items.slice(start, end), next: end < items.length ? Buffer.from(`page:${end}`).toString('base64url') : undefined };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xml(res: ServerResponse, operation: string, result: string): void {
  const ns = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
  res
    .writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' })
    .end(
      `<${operation}Response xmlns="${ns}"><${operation}Result>${result}</${operation}Result>` +
        `<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${operation}Response>`,
    );
}

function queryError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' })
    .end(
      `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>` +
        `<Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
    );
}

function json(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'req-1' }).end(JSON.stringify(body));
}

function restJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': 'req-1',
      'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/`,
    })
    .end(JSON.stringify({ message }));
}

function awsJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { __type: code, Message: message }, 'application/x-amz-json-1.1');
}
