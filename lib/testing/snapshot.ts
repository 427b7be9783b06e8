import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** What `snapshotTemplates` masks: asset hashes and other values that change without a real change. */
const ASSET_HASH = /[0-9a-f]{64}/g;

export interface SnapshotOptions {
  /**
   * Also mask the recorded service map on the API resource (it changes with any map change).
   *
   * @default false
   */
  readonly maskRecordedMap?: boolean;
}

/**
 * The templates of a stack and of every nested stack under it, keyed by construct path, with asset
 * hashes masked, ready for `expect(...).toMatchSnapshot()`: the snapshot then changes only when a
 * resource does, not when a bundled asset is rebuilt.
 */
export function snapshotTemplates(stack: Stack, options: SnapshotOptions = {}): Record<string, unknown> {
  const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c))];
  const out: Record<string, unknown> = {};
  for (const s of stacks.sort((a, b) => a.node.path.localeCompare(b.node.path))) {
    const template = Template.fromStack(s).toJSON();
    out[s.node.path] = mask(template, options);
  }
  return out;
}

function mask(template: Record<string, any>, options: SnapshotOptions): unknown {
  const copy = JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '[ASSET_HASH]'));
  delete copy.Resources?.CDKMetadata;
  if (options.maskRecordedMap) {
    for (const r of Object.values<any>(copy.Resources ?? {})) {
      if (r.Metadata?.['cdk-service-gateway']?.map) r.Metadata['cdk-service-gateway'].map = '[RECORDED_MAP]';
    }
  }
  return copy;
}
