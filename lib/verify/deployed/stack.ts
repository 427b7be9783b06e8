/** What verify needs from CloudFormation: the deployed template and the physical IDs of its resources. */

export interface StackResource {
  readonly logicalId: string;
  /** Absent while a resource is being created, or after it failed to create. */
  readonly physicalId?: string;
  readonly type: string;
}

export interface StackReader {
  /** The template body as submitted (JSON or YAML). */
  templateBody(stackName: string): Promise<string>;
  /** Every resource of the stack itself (nested stacks' resources are not included). */
  resources(stackName: string): Promise<StackResource[]>;
}
