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
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
