import * as fs from 'fs';
import * as path from 'path';
import { compileExamples } from '../support/compile-examples';

/**
 * Every TypeScript example in the README compiles against the library as a consumer imports it.
 * A block that starts with an import is a whole program; any other block is a fragment, compiled
 * after the declarations below (the names the README's fragments take from context).
 */
const FRAGMENT_CONTEXT = `
import { App as ManifestApp } from 'cdk8s';
import { App } from 'cdktf';
import * as gw from 'cdktf-groundwork';
import { AppCluster, AppWorkloadChart, EnvironmentTier, PostgresWithBackups, ServiceRoute } from 'cdktf-groundwork';
declare const app: App;
declare const manifests: ManifestApp;
declare const cluster: AppCluster;
declare const ordersDb: PostgresWithBackups;
declare const environment: EnvironmentTier;
declare const image: string;
void gw; void AppWorkloadChart; void ServiceRoute; void app;
`;

const root = path.resolve(__dirname, '..', '..');

function readmeBlocks(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README examples', () => {
  const blocks = readmeBlocks();

  test('the README has TypeScript examples, the first one a whole program that declares a service', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[0]).toMatch(/^import /);
    expect(blocks[0]).toMatch(/addService\(/);
  });

  test('every TypeScript example compiles', () => {
    const examples = blocks.map((block, i) => ({
      name: `example-${i}`,
      source: block.startsWith('import ') ? block : `${FRAGMENT_CONTEXT}\n${block}`,
    }));
    expect(compileExamples(examples)).toEqual([]);
  });
});
