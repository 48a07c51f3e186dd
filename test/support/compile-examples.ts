import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');

/**
 * Type-checks documentation examples as a consumer's code: each one a module of its own (so
 * their top-level names do not collide), importing `cdktf-groundwork` as the package. Returns
 * the errors as `<name>:<line>: <message>`, none when every example compiles.
 */
export function compileExamples(examples: Array<{ name: string; source: string }>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-examples-'));
  try {
    const files = examples.map(({ name, source }) => {
      const file = path.join(dir, `${name.replace(/[^\w.-]/g, '_')}.ts`);
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
    // The examples' own diagnostics only: checking them resolves the library's declarations
    // they use, while getPreEmitDiagnostics would type-check every body of the library as
    // well, which `npm run typecheck` already does (about half of this check's time).
    return files
      .map((file) => program.getSourceFile(file)!)
      .flatMap((source) => ts.sortAndDeduplicateDiagnostics([...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
