import { GetWebACLCommand, ListResourcesForWebACLCommand, type ResourceType, type WAFV2Client, type WebACL } from '@aws-sdk/client-wafv2';
import type { FirewallReader, WebAclRef } from '../deployed/firewall';
import { awsCall, unlessNotFound } from './call';

/** Reads a web ACL and its associations through WAFv2. */
export class Wafv2FirewallReader implements FirewallReader {
  constructor(private readonly client: WAFV2Client) {}

  webAcl(ref: WebAclRef): Promise<WebACL | undefined> {
    return awsCall('wafv2:GetWebACL', `web ACL ${ref.name}`, async () => {
      const out = await unlessNotFound('WAFNonexistentItemException', () =>
        this.client.send(new GetWebACLCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope })),
      );
      return out?.WebACL;
    });
  }

  /** ListResourcesForWebACL returns every ARN in one response: the API has no NextMarker to follow. */
  associatedResources(webAclArn: string, resourceType: ResourceType): Promise<string[]> {
    return awsCall('wafv2:ListResourcesForWebACL', `web ACL ${webAclArn}`, async () => {
      const out = await this.client.send(new ListResourcesForWebACLCommand({ WebACLArn: webAclArn, ResourceType: resourceType }));
      return out.ResourceArns ?? [];
    });
  }
}
