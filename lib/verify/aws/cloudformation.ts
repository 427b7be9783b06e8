import { CloudFormationClient, GetTemplateCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import type { StackReader, StackResource } from '../deployed/stack';
import { awsCall } from './call';

/** Reads a deployed stack through CloudFormation. */
export class CloudFormationStackReader implements StackReader {
  constructor(private readonly client: CloudFormationClient) {}

  async templateBody(stackName: string): Promise<string> {
    const out = await awsCall('cloudformation:GetTemplate', `stack "${stackName}"`, () =>
      this.client.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' })),
    );
    return out.TemplateBody ?? '';
  }

  async resources(stackName: string): Promise<StackResource[]> {
    return awsCall('cloudformation:ListStackResources', `stack "${stackName}"`, async () => {
      const resources: StackResource[] = [];
      for await (const page of paginateListStackResources({ client: this.client }, { StackName: stackName })) {
        for (const r of page.StackResourceSummaries ?? []) {
          resources.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId || undefined, type: r.ResourceType ?? '' });
        }
      }
      return resources;
    });
  }
}
