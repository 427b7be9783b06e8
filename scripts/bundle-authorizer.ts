/**
 * Bundles the JWT authorizer Lambda into dist/authorizer/ (index.js, and logger.js which index.js loads
 * to write its first log line) when the library is built, so that
 * consumers' `cdk synth` needs neither esbuild nor Docker and the asset hash is the same everywhere.
 *
 * Usage: tsx scripts/bundle-authorizer.ts [--outdir <dir>]
 */
import { AUTHORIZER_RUNTIME, esbuildTarget } from '../lib/authorizer/jwt-authorizer';
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** The bundle-size goal (45 KB minified), shared by the bundle test and the benchmark's verdict. */
export const MAX_BUNDLE_BYTES = 45 * 1024;

export interface BundleResult {
  /** index.js; the logger is `logger.js` beside it. */
  readonly file: string;
  /** Both files together. */
  readonly bytes: number;
  /** Bytes of output per npm package (or `lambda/authorizer` for our own code), largest first. */
  readonly breakdown: ReadonlyArray<readonly [string, number]>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1] : dirname(input);
}

/**
 * Third-party licence texts, in a fixed order, next to the bundle: the bundle itself keeps no comments
 * (esbuild `legalComments: 'none'`), but MIT code shipped in it must carry its notice.
 */
function licenceNotice(packages: readonly string[]): string {
  return packages
    .filter((name) => !name.startsWith('lambda/'))
    .map((name) => {
      const dir = join(root, 'node_modules', name);
      const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      let text = '';
      for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
        try {
          text = readFileSync(join(dir, file), 'utf8').trim();
          break;
        } catch {
          // next candidate
        }
      }
      return `${name}@${version} (${license})\n\n${text || `Licensed under ${license}.`}\n`;
    })
    .join('\n---\n\n');
}

/**
 * Powertools imports `@aws/lambda-invoke-store` for its side effect only (creating `globalThis.awslambda`);
 * everything it reads goes through `globalThis.awslambda?.InvokeStore`, which the Lambda runtime itself
 * provides when invocations run concurrently. An empty module, marked free of side effects so that its
 * import is dropped altogether, keeps that behaviour and saves 2.2 KB. It is an ES module with no exports,
 * so a future named import from it fails the build instead of silently reading `undefined`.
 */
const sideEffectOnlyImports: Plugin = {
  name: 'side-effect-only-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws\/lambda-invoke-store$/ }, ({ path }) => ({ path, namespace: 'empty', sideEffects: false }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * `log.ts` requires `./powertools` when it writes its first line; in the bundle that module is a file of
 * its own, `logger.js`, beside `index.js`. A cold start that writes nothing then neither reads nor compiles
 * the logger's 21 KB, and the two files together are smaller than one bundle that wraps the logger to be
 * evaluated later.
 */
const loggerInItsOwnFile: Plugin = {
  name: 'logger-in-its-own-file',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/powertools$/ }, () => ({ path: './logger.js', external: true }));
  },
};

export async function bundleAuthorizer(outdir = join(root, 'dist', 'authorizer')): Promise<BundleResult> {
  const entries: Array<[string, string]> = [
    ['lambda/authorizer/index.ts', 'index.js'],
    ['lambda/authorizer/powertools.ts', 'logger.js'],
  ];
  const sizes = new Map<string, number>();
  let bytes = 0;
  for (const [entry, name] of entries) {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: join(outdir, name),
      bundle: true,
      platform: 'node',
      target: esbuildTarget(AUTHORIZER_RUNTIME), // the runtime the construct deploys
      format: 'cjs',
      minify: true,
      treeShaking: true,
      sourcemap: false,
      legalComments: 'none',
      charset: 'utf8',
      metafile: true,
      logLevel: 'warning',
      plugins: [sideEffectOnlyImports, loggerInItsOwnFile],
    });
    const metafile: Metafile = result.metafile;
    const output = Object.values(metafile.outputs)[0];
    bytes += output.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  const breakdown = [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), licenceNotice([...sizes.keys()].sort()));
  return { file: join(outdir, 'index.js'), bytes, breakdown };
}

if (require.main === module) {
  const flag = process.argv.indexOf('--outdir');
  bundleAuthorizer(flag > 0 ? resolve(process.argv[flag + 1]) : undefined).then(
    ({ file, bytes, breakdown }) => {
      console.log(`${file} and logger.js: ${bytes} bytes`);
      for (const [name, size] of breakdown) console.log(`  ${String(size).padStart(7)}  ${name}`);
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
