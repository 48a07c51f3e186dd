import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// What consumers download from npm: the compiled library, its typings, the jsii assembly and
// the docs — and nothing else (no tests, example sources, caches or TypeScript sources).
describe('npm pack', () => {
  const root = path.resolve(__dirname, '..', '..');
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  );
  const files: string[] = pack.files.map((f: { path: string }) => f.path);

  test('ships the compiled library, typings, .jsii, README and API.md', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/lib/vpc-stack/vpc-stack.js',
        'dist/lib/vpc-stack/vpc-stack.d.ts',
        '.jsii',
        'README.md',
        'API.md',
        'package.json',
      ]),
    );
  });

  test('ships the deploy script as the groundwork-deploy command, the same file the repository runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'groundwork-deploy': 'dist/bin/groundwork-deploy.mjs' });
    expect(files).toContain('dist/bin/groundwork-deploy.mjs');
    // Its contract, which the script's header points to.
    expect(files).toContain('docs/deploy-plan.md');
    const shipped = path.join(root, 'dist', 'bin', 'groundwork-deploy.mjs');
    expect(fs.readFileSync(shipped, 'utf8')).toBe(fs.readFileSync(path.join(root, 'scripts', 'deploy.mjs'), 'utf8'));
    expect(fs.statSync(shipped).mode & 0o111).not.toBe(0);
  });

  test('ships no tests, example or TypeScript sources, or caches', () => {
    const unwanted = files.filter(
      (f) =>
        /^(test|examples|bench|scripts|lib|cdktf\.out|\.terraform-offline|\.ci)\//.test(f) ||
        /^dist\/examples\//.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        f.endsWith('tsbuildinfo'),
    );
    expect(unwanted).toEqual([]);
  });
});
