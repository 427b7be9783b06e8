/** Readers over in-memory state (SDK shapes), for testing the comparison without HTTP. */
import type { WebACL } from '@aws-sdk/client-wafv2';
import type { FirewallReader, HttpApiReader, HttpApiState, RestApiReader, RestApiState, StackResource, VerifySources } from '../../lib/verify';

export interface MemoryState {
  templateBody: string;
  resources: StackResource[];
  httpApis?: Record<string, HttpApiState>;
  restApis?: Record<string, RestApiState>;
  webAcls?: WebACL[];
  /** ARNs by web ACL ARN and resource type. */
  associations?: Record<string, Record<string, string[]>>;
}

export function memorySources(state: MemoryState): VerifySources & { calls: string[] } {
  const calls: string[] = [];
  const httpApi: HttpApiReader = {
    readApi: async (apiId) => {
      calls.push(`http:${apiId}`);
      return state.httpApis?.[apiId];
    },
  };
  const restApi: RestApiReader = {
    readApi: async (apiId) => {
      calls.push(`rest:${apiId}`);
      return state.restApis?.[apiId];
    },
  };
  const firewall: FirewallReader = {
    webAcl: async (ref) => {
      calls.push(`waf:${ref.name}`);
      return state.webAcls?.find((w) => w.Name === ref.name && w.Id === ref.id);
    },
    associatedResources: async (arn, type) => {
      calls.push(`waf-associations:${type}`);
      return state.associations?.[arn]?.[type] ?? [];
    },
  };
  return {
    calls,
    stack: { templateBody: async () => state.templateBody, resources: async () => state.resources },
    httpApi,
    restApi,
    firewall,
  };
}
