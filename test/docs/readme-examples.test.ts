import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
    const files = blocks.map((block, i) => {
      const file = path.join(dir, `example-${i}.ts`);
      const source = block.startsWith('import ') ? block : `${FRAGMENT_CONTEXT}\n${block}`;
      // Each file is a module of its own, so the examples' top-level names do not collide.
      fs.writeFileSync(file, `${source}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
      baseUrl: root,
      paths: { 'cdktf-groundwork': [path.join(root, 'lib', 'index.ts')], '*': [path.join(root, 'node_modules', '*')] },
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(errors).toEqual([]);
  });
});
