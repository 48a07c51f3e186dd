import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The package as a consumer meets it: `npm pack`, install the tarball into a fresh project
// (npm brings the peer dependencies, the newest within our ranges), type-check the minimal
// example against the published typings and synthesize it with the published JavaScript.
describe('installed from the packed tarball', () => {
  const root = path.resolve(__dirname, '..', '..');
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-consumer-'));
  const run = (cmd: string, args: string[], cwd = project) =>
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CDKTF_OUTDIR: path.join(project, 'cdktf.out') } });

  beforeAll(() => {
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', project], root);
    const [tarball] = fs.readdirSync(project).filter((f) => f.endsWith('.tgz'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', `./${tarball}`]);
    fs.copyFileSync(path.join(root, 'examples', 'minimal', 'main.ts'), path.join(project, 'main.ts'));
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, target: 'es2020', module: 'commonjs', skipLibCheck: true, outDir: 'out', types: [] }, files: ['main.ts'] }),
    );
    // Type-checks and compiles; a type error against the published typings fails here.
    run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  }, 300_000);

  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test('npm installs the peer dependencies within the accepted ranges: the newest provider line, cdktf exact', () => {
    const version = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8')).version;
    // `>=20.1.0 <22`: a new project gets the newest 21.x (hashicorp/aws 6.x), and the tests
    // below type-check and synthesize the minimal example against it.
    const [major, minor] = version('@cdktf/provider-aws').split('.').map(Number);
    expect(major === 21 || (major === 20 && minor >= 1)).toBe(true);
    expect(version('cdktf')).toBe('0.21.0');
  });

  test('the minimal example type-checks against the published typings', () => {
    expect(fs.existsSync(path.join(project, 'out', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'node_modules', 'cdktf-groundwork', 'dist', 'lib', 'index.d.ts'))).toBe(true);
  });

  test('installs the deploy script as the groundwork-deploy command', () => {
    // Without a plan it exits 64 (invalid arguments) with its usage: the script itself runs.
    const result = spawnSync(path.join(project, 'node_modules', '.bin', 'groundwork-deploy'), [], { cwd: project, encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('usage: groundwork-deploy <path to deploy.json> [--run-id <id>]');
  });

  test('the minimal example synthesizes with the published JavaScript', () => {
    run(process.execPath, [path.join(project, 'out', 'main.js')]);
    const stack = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'minimal-dev', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource)).toEqual(expect.arrayContaining(['aws_vpc', 'aws_db_instance']));
    expect(require.resolve('cdktf-groundwork', { paths: [project] })).toContain(path.join(project, 'node_modules'));
  });
});
