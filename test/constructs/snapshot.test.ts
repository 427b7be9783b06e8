import { App, Stack } from 'aws-cdk-lib';
import { ServiceGateway } from '../../lib/service-gateway';
import { snapshotTemplates } from '../../lib/testing/snapshot';
import { exampleMap } from '../support/gateway';

describe('example map snapshot', () => {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'school-gateway', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ServiceGateway(stack, 'Gateway', { serviceMap: exampleMap() });
  const templates = snapshotTemplates(stack, { maskRecordedMap: true });

  test('covers the root stack and one nested stack per service group', () => {
    expect(Object.keys(templates)).toHaveLength(1 + 3);
  });

  test('masks asset hashes, so rebuilding the authorizer does not change the snapshot', () => {
    const text = JSON.stringify(templates);
    expect(text).toContain('[ASSET_HASH]');
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  test('matches the reviewed snapshot', () => {
    expect(templates).toMatchSnapshot();
  });
});
