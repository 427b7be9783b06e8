import { join, relative } from 'node:path';
import { importFiles } from '../../lib/import/command';
import type { ImportOutcome } from '../../lib/import/outcome';
import { renderReport } from '../../lib/import/report';

export const FIXTURES = join(__dirname, 'fixtures');
export const NGINX = [join(FIXTURES, 'nginx/nginx.conf'), join(FIXTURES, 'nginx/conf.d/catalog.conf')];
export const KONG = join(FIXTURES, 'kong/kong.yml');
export const COPILOT_APP = join(FIXTURES, 'copilot-app');
export const COPILOT = [join(COPILOT_APP, 'copilot/api/manifest.yml'), join(COPILOT_APP, 'copilot/frontend/manifest.yml')];

/** Every secret-looking value the fixtures hold: none may appear in a map, report or terminal output. */
export const FIXTURE_SECRETS = [
  'sk_live_9f8e7d6c5b4a39281706',
  'sk_live_0a1b2c3d4e5f60718293',
  'internal-token-5f4dcc3b5aa765d61d8327deb882cf99',
  '/etc/nginx/tls/api.shop.example.com.key',
  'r3d1s-Pa55w0rd-Secret',
  'oidc-client-s3cret-value',
  'kong-key-mobile-7c1e9a0b2d',
  'kong-key-acme-44f1b2c3d4',
  'hs256-shared-secret-do-not-copy',
  'basic-P4ssw0rd-do-not-copy',
  'MIIEvFAKEPRIVATEKEYDATA0123456789',
  'MIIFAKECERTIFICATEBODY',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
  'sk_live_copilot_plaintext_9a8b7c6d5e',
];

/** Imports as the command does, with paths shown relative to the fixtures (as a user would type them). */
export function importFixture(files: readonly string[], options: { name?: string; env?: string; outDir?: string } = {}): ImportOutcome & { reportText: string } {
  const cwd = process.cwd();
  process.chdir(FIXTURES);
  try {
    const outcome = importFiles(files.map((f) => relative(FIXTURES, f)), { outDir: FIXTURES, ...options });
    return { ...outcome, reportText: renderReport(outcome.report, { format: outcome.format, sources: outcome.sources, mapFile: 'map.yaml' }) };
  } finally {
    process.chdir(cwd);
  }
}

/** The report line for an item, found by a fragment of its text. */
export function entry(outcome: ImportOutcome, item: string | RegExp) {
  const found = outcome.report.entries.filter((e) => (typeof item === 'string' ? e.item.includes(item) : item.test(e.item)));
  if (found.length === 0) throw new Error(`no report entry for ${item}; entries: ${outcome.report.entries.map((e) => e.item).join(' | ')}`);
  return found[0];
}
