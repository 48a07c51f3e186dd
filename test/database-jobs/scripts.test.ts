/**
 * The database jobs' scripts, end to end against real servers: a PostgreSQL from the Debian
 * packages (the same binaries the `postgres` image runs) and s3rver, an S3-compatible server
 * on loopback, driven by the real AWS CLI. These are the files the DatabaseJobsChart ships in
 * its ConfigMap, so CI tests exactly what runs in the cluster. Only the two credential
 * scripts (IAM token, master secret) are not run: they call AWS itself.
 *
 * CI installs the tools in .ci/run (postgresql, awscli); a missing one fails the suite with the
 * install command, it is never skipped. The test starts its own servers in a temporary folder,
 * so it runs the same on a laptop. As root, PostgreSQL and the `postgres`-image scripts run as
 * the `postgres` user, as they do in the image.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const SCRIPTS = path.resolve(__dirname, '../../lib/database-jobs/scripts');
const BUCKET = 'shop-backups';
const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const DATABASE = 'shop';
const KEY_PREFIX = `logical/${DATABASE}`;
const MASTER_USER = 'dbadmin';
// The server's bootstrap superuser: RDS has none for us, so the jobs never use it; the test
// uses it only to build an RDS-like master user (CREATEROLE, not a superuser).
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'superuser-only-for-the-test-setup';
// Characters a JSON secret escapes, to prove the users script reads the secret right.
const MASTER_PASSWORD = 'pa\\ss"wo\'rd-#1';
const BACKUP_USER = 'groundwork_backup';
const BACKUP_PASSWORD = 'stand-in-for-an-iam-token';
const SERVICE_USERS = ['orders_app', 'shop_app'];
const LARGE_TABLE_ROWS = 200_000;

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const asRoot = process.getuid?.() === 0;
let root: string;
let pgBin: string;
let socketDir: string;
let pgPort: number;
let s3Port: number;
let s3rver: ChildProcess | undefined;
let awsLog: string;
let shimDir: string;
const timings: string[] = [];

function findPostgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb). Install it with: apt-get install -y postgresql  (CI does this in .ci/run)');
  }
  return path.join(base, versions[0], 'bin');
}

function requireAwsCli(): string {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`the AWS CLI is not installed (${probe.error?.message ?? probe.stderr}). Install it with: apt-get install -y awscli  (CI does this in .ci/run)`);
  }
  return spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).stdout.trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command, as the `postgres` user when `asPostgres` and we are root. */
function run(command: string, args: string[], env: Record<string, string>, options: { asPostgres?: boolean; input?: string } = {}): Result {
  const fullEnv = { PATH: `${shimDir}:${pgBin}:/usr/local/bin:/usr/bin:/bin`, LANG: 'C.UTF-8', HOME: root, ...env };
  const result =
    options.asPostgres && asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', 'env', '-i', ...Object.entries(fullEnv).map(([k, v]) => `${k}=${v}`), command, ...args], {
          encoding: 'utf8',
          input: options.input,
          timeout: 120000,
        })
      : spawnSync(command, args, { encoding: 'utf8', env: fullEnv, input: options.input, timeout: 120000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function mustRun(command: string, args: string[], env: Record<string, string>, options: { asPostgres?: boolean; input?: string } = {}): Result {
  const result = run(command, args, env, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** psql against the source server as the bootstrap superuser (test setup only). */
function superSql(statement: string, database = 'postgres'): string {
  return mustSql(statement, { user: SUPERUSER, password: SUPERUSER_PASSWORD, database });
}

/** psql against the source server as `user` (the master user by default). */
function sql(statement: string, options: { user?: string; password?: string; database?: string } = {}): Result {
  return run('psql', ['--no-psqlrc', '--quiet', '--no-align', '--tuples-only', '--set', 'ON_ERROR_STOP=1'], {
    PGHOST: socketDir,
    PGPORT: String(pgPort),
    PGUSER: options.user ?? MASTER_USER,
    PGPASSWORD: options.password ?? MASTER_PASSWORD,
    PGDATABASE: options.database ?? DATABASE,
  }, { input: statement, asPostgres: true });
}

function mustSql(statement: string, options: { user?: string; password?: string; database?: string } = {}): string {
  const result = sql(statement, options);
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}\n${statement}`);
  return result.stdout.trim();
}

/** A folder both the `postgres` user and root (the AWS CLI) may write, like the pod's emptyDir. */
function workDir(name: string): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o777 });
  fs.chmodSync(dir, 0o777);
  return dir;
}

const s3Env = () => ({
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'eu-west-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  S3_ENDPOINT_URL: `http://127.0.0.1:${s3Port}`,
  BUCKET,
  KEY_PREFIX,
});

/** The users Job's main container: users.sh with the master secret as RDS stores it. */
function runUsers(): Result {
  const secretFile = path.join(root, 'master-secret.json');
  fs.writeFileSync(secretFile, JSON.stringify({ username: MASTER_USER, password: MASTER_PASSWORD }), { mode: 0o644 });
  return run('bash', [path.join(SCRIPTS, 'users.sh')], {
    PGHOST: socketDir,
    PGPORT: String(pgPort),
    PGDATABASE: DATABASE,
    MASTER_SECRET_FILE: secretFile,
    BACKUP_USER,
    SERVICE_USERS: SERVICE_USERS.join(','),
  }, { asPostgres: true });
}

/** The backup CronJob's containers in order: backup.sh (postgres image), then upload.sh (aws-cli image). */
function runBackup(dir: string): { dump: Result; upload?: Result } {
  const passwordFile = path.join(root, 'iam-token');
  fs.writeFileSync(passwordFile, BACKUP_PASSWORD, { mode: 0o644 });
  const started = Date.now();
  const dump = run('bash', [path.join(SCRIPTS, 'backup.sh')], {
    PGHOST: socketDir,
    PGPORT: String(pgPort),
    PGDATABASE: DATABASE,
    PGUSER: BACKUP_USER,
    DB_PASSWORD_FILE: passwordFile,
    WORK_DIR: dir,
    KEY_PREFIX,
  }, { asPostgres: true });
  if (dump.status !== 0) return { dump };
  const dumped = Date.now();
  const upload = run('bash', [path.join(SCRIPTS, 'upload.sh')], { ...s3Env(), KMS_KEY_ARN, WORK_DIR: dir });
  timings.push(`backup: dump ${dumped - started} ms, upload ${Date.now() - dumped} ms`);
  return { dump, upload };
}

function runFetch(dir: string): Result {
  return run('bash', [path.join(SCRIPTS, 'fetch-latest.sh')], { ...s3Env(), WORK_DIR: dir });
}

function runVerify(dir: string): Result {
  const started = Date.now();
  const result = run('bash', [path.join(SCRIPTS, 'verify.sh')], { WORK_DIR: dir }, { asPostgres: true });
  timings.push(`verify: ${Date.now() - started} ms (status ${result.status})`);
  return result;
}

function copyDir(from: string, name: string): string {
  const dir = workDir(name);
  for (const file of ['backup.dump', 'backup.manifest.json', 'source-key']) {
    fs.copyFileSync(path.join(from, file), path.join(dir, file));
    fs.chmodSync(path.join(dir, file), 0o666);
  }
  return dir;
}

function readManifest(dir: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, 'backup.manifest.json'), 'utf8'));
}

beforeAll(async () => {
  pgBin = findPostgresBin();
  const realAws = requireAwsCli();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-db-jobs-'));
  fs.chmodSync(root, 0o777);
  socketDir = workDir('socket');
  shimDir = workDir('bin');
  awsLog = path.join(root, 'aws-calls.log');
  // Records every AWS CLI call, then runs the real CLI: s3rver ignores encryption headers, so
  // the log is where the test sees that uploads ask for SSE-KMS with the bucket's key.
  fs.writeFileSync(path.join(shimDir, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${awsLog}'\nexec '${realAws}' "$@"\n`, { mode: 0o755 });

  [pgPort, s3Port] = await Promise.all([freePort(), freePort()]);
  const data = workDir('source-data');
  const pwFile = path.join(root, 'initdb-password');
  fs.writeFileSync(pwFile, SUPERUSER_PASSWORD, { mode: 0o644 });
  if (asRoot) spawnSync('chown', ['postgres', data]);
  mustRun('initdb', ['--pgdata', data, '--username', SUPERUSER, '--pwfile', pwFile, '--auth', 'scram-sha-256', '--no-sync'], {}, { asPostgres: true });
  mustRun('pg_ctl', ['--pgdata', data, '--wait', '--log', path.join(root, 'source-server.log'), '-o', `-c listen_addresses='' -c unix_socket_directories='${socketDir}' -c port=${pgPort} -c fsync=off`, 'start'], {}, { asPostgres: true });

  s3rver = spawn(path.resolve(__dirname, '../../node_modules/.bin/s3rver'), ['--directory', workDir('s3'), '--address', '127.0.0.1', '--port', String(s3Port), '--silent', '--configure-bucket', BUCKET], { stdio: 'ignore' });
  for (let attempt = 0; ; attempt++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(s3Port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (attempt > 100) throw new Error('s3rver did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // What RDS has: the rds_iam role (IAM sign-in), and a master user who is not a superuser but
  // may create roles and grant rds_iam and pg_read_all_data (rds_superuser).
  superSql(`CREATE ROLE ${MASTER_USER} WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD '${MASTER_PASSWORD.replace(/'/g, "''")}'`);
  superSql('CREATE ROLE rds_iam');
  superSql(`GRANT rds_iam, pg_read_all_data TO ${MASTER_USER} WITH ADMIN OPTION`);
  superSql(`CREATE DATABASE ${DATABASE} OWNER ${MASTER_USER}`);
  // Several schemas, a partitioned table, a large table, a large object, and what a manifest
  // must leave out (a materialized view, a sequence).
  mustSql(`
    CREATE SCHEMA sales;
    CREATE SCHEMA inventory;
    CREATE SCHEMA "Audit Log";
    CREATE TABLE sales.orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12, 2), placed_at timestamptz DEFAULT now());
    INSERT INTO sales.orders (customer, total) SELECT 'customer-' || g, g % 1000 FROM generate_series(1, ${LARGE_TABLE_ROWS}) g;
    CREATE TABLE sales.events (id bigint, day date NOT NULL, payload jsonb) PARTITION BY RANGE (day);
    CREATE TABLE sales.events_2026 PARTITION OF sales.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    CREATE TABLE sales.events_2027 PARTITION OF sales.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
    INSERT INTO sales.events SELECT g, DATE '2026-06-01' + (g % 400), jsonb_build_object('n', g) FROM generate_series(1, 5000) g;
    CREATE TABLE inventory.items (sku text PRIMARY KEY, photo oid);
    INSERT INTO inventory.items VALUES ('sku-1', lo_from_bytea(0, decode(repeat('ab', 100000), 'hex')));
    CREATE TABLE "Audit Log"."Entries" (at timestamptz, what text);
    INSERT INTO "Audit Log"."Entries" VALUES (now(), 'created');
    CREATE TABLE inventory.empty (id int);
    CREATE MATERIALIZED VIEW sales.daily AS SELECT count(*) AS n FROM sales.orders;
  `);
  // A policy naming a service's role (row-level security not enabled): the restore must create
  // the role first. The role exists once the users Job ran, as on the source.
  mustSql('CREATE ROLE shop_app LOGIN');
  mustSql('CREATE POLICY own_orders ON sales.orders TO shop_app USING (true)');
}, 180000);

afterAll(async () => {
  if (timings.length > 0) process.stdout.write(`database jobs timings: ${timings.join('; ')}\n`);
  s3rver?.kill();
  if (root !== undefined) {
    run('pg_ctl', ['--pgdata', path.join(root, 'source-data'), '--mode', 'immediate', 'stop'], {}, { asPostgres: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
});

describe('the users Job (users.sql)', () => {
  const membershipRows = () =>
    mustSql(`SELECT string_agg(r.rolname || '>' || m.rolname, ',' ORDER BY r.rolname, m.rolname)
             FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
             WHERE m.rolname IN ('${BACKUP_USER}', ${SERVICE_USERS.map((u) => `'${u}'`).join(', ')})`);

  test('creates the backup and service users, signed in as the master user from the JSON secret', () => {
    const result = runUsers();
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`users ready: ${[BACKUP_USER, ...SERVICE_USERS].sort().join(', ')}`);
    expect(membershipRows()).toBe(
      [`pg_read_all_data>${BACKUP_USER}`, `rds_iam>${BACKUP_USER}`, ...SERVICE_USERS.map((u) => `rds_iam>${u}`)].sort().join(','),
    );
    // IAM users have no password: they cannot sign in any other way.
    expect(superSql(`SELECT count(*) FROM pg_authid WHERE rolname IN ('${BACKUP_USER}', 'orders_app') AND rolpassword IS NOT NULL`)).toBe('0');
  });

  test('run again, it succeeds without a duplicate role, grant or setting', () => {
    const before = [membershipRows(), mustSql('SELECT count(*) FROM pg_db_role_setting'), mustSql('SELECT count(*) FROM pg_roles')];
    const result = runUsers();
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/ERROR|already/);
    expect([membershipRows(), mustSql('SELECT count(*) FROM pg_db_role_setting'), mustSql('SELECT count(*) FROM pg_roles')]).toEqual(before);
  });

  test("a migration user owns what the migrations create; the service's user gets the rows, not the schema; run again, nothing duplicates", () => {
    const secretFile = path.join(root, 'master-secret.json');
    fs.writeFileSync(secretFile, JSON.stringify({ username: MASTER_USER, password: MASTER_PASSWORD }), { mode: 0o644 });
    const runWithMigrationUser = () =>
      run('bash', [path.join(SCRIPTS, 'users.sh')], {
        PGHOST: socketDir,
        PGPORT: String(pgPort),
        PGDATABASE: DATABASE,
        MASTER_SECRET_FILE: secretFile,
        BACKUP_USER,
        SERVICE_USERS: [...SERVICE_USERS, 'orders_migrate'].sort().join(','),
        MIGRATION_GRANTS: 'orders_migrate:orders_app',
      }, { asPostgres: true });
    const first = runWithMigrationUser();
    expect(first.stderr).not.toMatch(/ERROR/);
    expect(first.status).toBe(0);
    // Stand-ins for their IAM tokens.
    mustSql("ALTER ROLE orders_migrate PASSWORD 'migrate-token'");
    mustSql("ALTER ROLE orders_app PASSWORD 'app-token'");
    const asMigrator = { user: 'orders_migrate', password: 'migrate-token' };
    const asApp = { user: 'orders_app', password: 'app-token' };
    try {
      mustSql('CREATE TABLE public.invoices (id bigserial PRIMARY KEY, total numeric NOT NULL)', asMigrator);
      mustSql('INSERT INTO public.invoices (total) VALUES (10), (32)', asApp);
      mustSql('UPDATE public.invoices SET total = total + 1', asApp);
      expect(mustSql('SELECT sum(total) FROM public.invoices', asApp)).toBe('44');
      const create = sql('CREATE TABLE public.sneaky (id int)', asApp);
      expect(create.status).not.toBe(0);
      expect(create.stderr).toMatch(/permission denied for schema public/);
      const alter = sql('ALTER TABLE public.invoices ADD COLUMN note text', asApp);
      expect(alter.status).not.toBe(0);
      expect(alter.stderr).toMatch(/must be (the )?owner/);

      const state = () => [
        mustSql('SELECT count(*) FROM pg_default_acl'),
        mustSql("SELECT string_agg(array_to_string(defaclacl, ';'), '|' ORDER BY defaclobjtype) FROM pg_default_acl"),
        mustSql('SELECT count(*) FROM pg_auth_members'),
        mustSql("SELECT array_to_string(nspacl, ';') FROM pg_namespace WHERE nspname = 'public'"),
      ];
      const before = state();
      const again = runWithMigrationUser();
      expect(again.status).toBe(0);
      expect(again.stderr).not.toMatch(/ERROR|already/);
      expect(state()).toEqual(before);
    } finally {
      // Keep the later backup tests' fixture as it was.
      mustSql('DROP TABLE IF EXISTS public.invoices', asMigrator);
    }
  });

  test('the backup user reads every table and writes nothing', () => {
    // The stand-in for its IAM token.
    mustSql(`ALTER ROLE ${BACKUP_USER} PASSWORD '${BACKUP_PASSWORD}'`);
    const asBackup = { user: BACKUP_USER, password: BACKUP_PASSWORD };
    expect(mustSql('SELECT count(*) FROM "Audit Log"."Entries"', asBackup)).toBe('1');
    const write = sql("INSERT INTO sales.orders (customer) VALUES ('intruder')", asBackup);
    expect(write.status).not.toBe(0);
    expect(write.stderr).toMatch(/read-only transaction/);
  });

  test("creates the exporter's monitoring user with pg_monitor and the password from its file, again without duplicates", () => {
    const passwordFile = path.join(root, 'monitor-password');
    fs.writeFileSync(passwordFile, 'first-generated-password', { mode: 0o644 });
    const secretFile = path.join(root, 'master-secret.json');
    const env = {
      PGHOST: socketDir, PGPORT: String(pgPort), PGDATABASE: DATABASE, MASTER_SECRET_FILE: secretFile, BACKUP_USER,
      SERVICE_USERS: SERVICE_USERS.join(','), MONITOR_USER: 'groundwork_monitor', MONITOR_PASSWORD_FILE: passwordFile,
    };
    const first = run('bash', [path.join(SCRIPTS, 'users.sh')], env, { asPostgres: true });
    expect(first.stderr).not.toMatch(/ERROR/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('groundwork_monitor');
    // It signs in with that password and reads the statistics views, as postgres_exporter does.
    const asMonitor = { user: 'groundwork_monitor', password: 'first-generated-password' };
    expect(Number(mustSql('SELECT count(*) FROM pg_stat_activity WHERE query IS NOT NULL', asMonitor))).toBeGreaterThan(0);
    const write = sql("INSERT INTO sales.orders (customer) VALUES ('monitor')", asMonitor);
    expect(write.status).not.toBe(0);
    const memberships = () => mustSql("SELECT count(*) FROM pg_auth_members WHERE member = 'groundwork_monitor'::regrole");
    expect(memberships()).toBe('1');
    // The password never appears in what the Job prints.
    expect(`${first.stdout}${first.stderr}`).not.toContain('first-generated-password');
    const second = run('bash', [path.join(SCRIPTS, 'users.sh')], env, { asPostgres: true });
    expect(second.status).toBe(0);
    expect(memberships()).toBe('1');
  });

  test('a user an RDS Proxy signs in as: taken out of rds_iam, given the password from its file, again without duplicates', () => {
    const secretFile = path.join(root, 'master-secret.json');
    fs.writeFileSync(secretFile, JSON.stringify({ username: MASTER_USER, password: MASTER_PASSWORD }), { mode: 0o644 });
    const passwords = workDir('proxy-users');
    fs.writeFileSync(path.join(passwords, 'proxy_app'), 'generated-proxy-password-1', { mode: 0o644 });
    const base = { PGHOST: socketDir, PGPORT: String(pgPort), PGDATABASE: DATABASE, MASTER_SECRET_FILE: secretFile, BACKUP_USER };
    const rdsIamMember = () => mustSql("SELECT count(*) FROM pg_auth_members WHERE member = 'proxy_app'::regrole AND roleid = 'rds_iam'::regrole");
    // First an IAM user (the service connected directly), then moved behind the proxy.
    expect(run('bash', [path.join(SCRIPTS, 'users.sh')], { ...base, SERVICE_USERS: [...SERVICE_USERS, 'proxy_app'].join(',') }, { asPostgres: true }).status).toBe(0);
    expect(rdsIamMember()).toBe('1');
    const env = { ...base, SERVICE_USERS: [...SERVICE_USERS, 'proxy_app'].join(','), PROXY_USERS: 'proxy_app', PROXY_PASSWORDS_DIR: passwords };
    const first = run('bash', [path.join(SCRIPTS, 'users.sh')], env, { asPostgres: true });
    expect(first.stderr).not.toMatch(/ERROR/);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('proxy user ready: proxy_app');
    expect(rdsIamMember()).toBe('0');
    // The proxy signs in with the password; the other services stay IAM users.
    expect(mustSql('SELECT current_user', { user: 'proxy_app', password: 'generated-proxy-password-1' })).toBe('proxy_app');
    expect(mustSql("SELECT count(*) FROM pg_auth_members WHERE member = 'orders_app'::regrole AND roleid = 'rds_iam'::regrole")).toBe('1');
    expect(`${first.stdout}${first.stderr}`).not.toContain('generated-proxy-password-1');
    const second = run('bash', [path.join(SCRIPTS, 'users.sh')], env, { asPostgres: true });
    expect(second.status).toBe(0);
    expect(rdsIamMember()).toBe('0');
    expect(mustSql("SELECT count(*) FROM pg_roles WHERE rolname = 'proxy_app'")).toBe('1');
    // A missing password file stops the job before any change, naming the user.
    fs.rmSync(path.join(passwords, 'proxy_app'));
    const missing = run('bash', [path.join(SCRIPTS, 'users.sh')], env, { asPostgres: true });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('no password for the proxy user proxy_app');
  });

  test("the credentials container keeps the monitoring and proxy users' passwords in their secrets: generated once, read back after", () => {
    // A stand-in for `aws secretsmanager` (get-secret-value, put-secret-value) over files: the
    // secrets exist without a value, as Terraform creates them.
    const store = workDir('secrets');
    const fakeBin = workDir('fake-aws');
    fs.writeFileSync(
      path.join(fakeBin, 'aws'),
      [
        '#!/usr/bin/env bash',
        'set -euo pipefail',
        `store=${JSON.stringify(store)}`,
        'op=$2; shift 2; id=""; value=""',
        'while [ $# -gt 0 ]; do case $1 in --secret-id) id=$2; shift 2;; --secret-string) value=$2; shift 2;; *) shift;; esac; done',
        'file="$store/$(printf %s "$id" | tr / _)"',
        'case $op in',
        '  get-secret-value) [ -f "$file" ] || { echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation" >&2; exit 254; }; cat "$file"; echo;;',
        '  put-secret-value) cat "${value#file://}" >"$file";;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(store, 'arn_master'), JSON.stringify({ username: MASTER_USER, password: MASTER_PASSWORD }));
    const credentials = workDir('credentials');
    const env = {
      PATH: `${fakeBin}:/usr/local/bin:/usr/bin:/bin`,
      AWS_REGION: 'eu-west-1',
      MASTER_SECRET_ARN: 'arn/master',
      MASTER_SECRET_FILE: path.join(credentials, 'master-secret.json'),
      MONITORING_SECRET_ARN: 'arn/monitoring',
      MONITOR_PASSWORD_FILE: path.join(credentials, 'monitor-password'),
      PROXY_USERS: 'orders_app,shop_app',
      PROXY_SECRET_PREFIX: 'shop-production-database/proxy-users/',
      PROXY_PASSWORDS_DIR: path.join(credentials, 'proxy-users'),
    };
    const first = run('bash', [path.join(SCRIPTS, 'master-secret.sh')], env);
    expect(first.stderr).not.toMatch(/FAILED/);
    expect(first.status).toBe(0);
    const stored = JSON.parse(fs.readFileSync(path.join(store, 'shop-production-database_proxy-users_orders_app'), 'utf8'));
    expect(Object.keys(stored)).toEqual(['username', 'password']);
    expect(stored.username).toBe('orders_app');
    expect(stored.password).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(fs.readFileSync(path.join(credentials, 'proxy-users', 'orders_app'), 'utf8')).toBe(stored.password);
    expect(fs.readFileSync(path.join(credentials, 'proxy-users', 'shop_app'), 'utf8')).not.toBe(stored.password);
    expect(`${first.stdout}${first.stderr}`).not.toContain(stored.password);
    // The monitoring user's secret holds the password alone (postgres_exporter reads a file).
    expect(fs.readFileSync(path.join(store, 'arn_monitoring'), 'utf8')).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(fs.readFileSync(path.join(credentials, 'monitor-password'), 'utf8')).toBe(fs.readFileSync(path.join(store, 'arn_monitoring'), 'utf8'));
    // Run again (a later users Job): the same passwords, read back, nothing generated.
    fs.rmSync(path.join(credentials, 'proxy-users'), { recursive: true });
    const second = run('bash', [path.join(SCRIPTS, 'master-secret.sh')], env);
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain('generating');
    expect(fs.readFileSync(path.join(credentials, 'proxy-users', 'orders_app'), 'utf8')).toBe(stored.password);
    // A secret that names another user is refused, not used.
    fs.writeFileSync(path.join(store, 'shop-production-database_proxy-users_shop_app'), JSON.stringify({ username: 'someone_else', password: 'x1' }));
    const wrong = run('bash', [path.join(SCRIPTS, 'master-secret.sh')], env);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('is for user someone_else, not shop_app');
  });

  test('a wrong master secret fails the job and says which field is missing', () => {
    const secretFile = path.join(root, 'bad-secret.json');
    fs.writeFileSync(secretFile, JSON.stringify({ user: MASTER_USER }), { mode: 0o644 });
    const result = run('bash', [path.join(SCRIPTS, 'users.sh')], {
      PGHOST: socketDir, PGPORT: String(pgPort), PGDATABASE: DATABASE, MASTER_SECRET_FILE: secretFile, BACKUP_USER,
    }, { asPostgres: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('FAILED: the master secret has no "username" field');
  });
});

describe('logical backup, upload, download, restore verification', () => {
  let backupDir: string;
  let verifiedDir: string;

  test('the backup dumps in one snapshot with writes going on, and uploads dump and manifest under a dated key with SSE-KMS', async () => {
    // Orders keep arriving during the dump; the manifest must count what the dump holds.
    const writer = spawn(asRoot ? 'runuser' : 'psql', [
      ...(asRoot ? ['-u', 'postgres', '--', path.join(pgBin, 'psql')] : []),
      '--no-psqlrc', '-h', socketDir, '-p', String(pgPort), '-U', MASTER_USER, '-d', DATABASE, '-c',
      "DO $$ BEGIN FOR i IN 1..400 LOOP INSERT INTO sales.orders (customer) VALUES ('live-' || i); COMMIT; PERFORM pg_sleep(0.005); END LOOP; END $$;",
    ], { env: { ...process.env, PGPASSWORD: MASTER_PASSWORD, PATH: `${pgBin}:${process.env.PATH}` }, stdio: 'ignore' });
    const writerDone = new Promise<number | null>((resolve) => writer.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));

    backupDir = workDir('backup');
    const { dump, upload } = runBackup(backupDir);
    expect(dump.stderr).not.toMatch(/FAILED/);
    expect(dump.status).toBe(0);
    expect(upload?.status).toBe(0);
    expect(await writerDone).toBe(0);

    const manifest = readManifest(backupDir);
    const stem = fs.readFileSync(path.join(backupDir, 'key-stem'), 'utf8').trim();
    expect(stem).toMatch(new RegExp(`^${KEY_PREFIX}/\\d{4}/\\d{2}/\\d{2}/${DATABASE}-\\d{8}T\\d{6}Z$`));
    expect(manifest).toMatchObject({ format: 'groundwork-logical-backup/v1', database: DATABASE, dump_key: `${stem}.dump`, large_objects: 1 });
    expect(manifest.server_version_num).toBeGreaterThanOrEqual(140000);
    const dumpBytes = fs.readFileSync(path.join(backupDir, 'backup.dump'));
    expect(manifest.dump_bytes).toBe(dumpBytes.length);
    expect(manifest.dump_sha256).toBe(crypto.createHash('sha256').update(dumpBytes).digest('hex'));
    const tables = Object.fromEntries(manifest.tables.map((t: any) => [`${t.schema}.${t.table}`, t.rows]));
    // Every ordinary table and partition, none of the materialized view, sequence or partitioned parent.
    expect(Object.keys(tables).sort()).toEqual(['Audit Log.Entries', 'inventory.empty', 'inventory.items', 'sales.events_2026', 'sales.events_2027', 'sales.orders']);
    expect(tables['sales.events_2026'] + tables['sales.events_2027']).toBe(5000);
    expect(tables['inventory.empty']).toBe(0);
    expect(manifest.tables.every((t: any) => Number.isInteger(t.bytes) && t.bytes >= 0)).toBe(true);
    // Taken while the writer ran: some live orders are in it, not all.
    const finalOrders = Number(mustSql('SELECT count(*) FROM sales.orders'));
    expect(tables['sales.orders']).toBeGreaterThan(LARGE_TABLE_ROWS);
    expect(tables['sales.orders']).toBeLessThan(finalOrders);

    const uploads = fs.readFileSync(awsLog, 'utf8').split('\n').filter((line) => line.includes(' s3 cp ') || line.startsWith('s3 cp'));
    expect(uploads).toEqual([
      expect.stringContaining(`s3://${BUCKET}/${stem}.dump --sse aws:kms --sse-kms-key-id ${KMS_KEY_ARN}`),
      expect.stringContaining(`s3://${BUCKET}/${stem}.manifest.json --sse aws:kms --sse-kms-key-id ${KMS_KEY_ARN}`),
    ]);
  });

  test('verification downloads the newest backup, restores it into a throwaway server and finds every row', () => {
    verifiedDir = workDir('verify');
    const fetched = runFetch(verifiedDir);
    expect(fetched.status).toBe(0);
    expect(fs.readFileSync(path.join(verifiedDir, 'backup.dump')).equals(fs.readFileSync(path.join(backupDir, 'backup.dump')))).toBe(true);
    const result = runVerify(verifiedDir);
    expect(result.stderr).not.toMatch(/FAILED/);
    expect(result.status).toBe(0);
    const manifest = readManifest(backupDir);
    const rows = manifest.tables.reduce((sum: number, t: any) => sum + t.rows, 0);
    expect(result.stderr).toContain(`verified ${manifest.dump_key}: restored 6 tables, ${rows} rows, 1 large objects, as its manifest lists`);
  });

  test('a truncated dump fails verification on its checksum', () => {
    const dir = copyDir(verifiedDir, 'truncated');
    const dump = path.join(dir, 'backup.dump');
    fs.truncateSync(dump, Math.floor(fs.statSync(dump).size / 2));
    const result = runVerify(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/FAILED: checksum mismatch for logical\/shop\/.*\.dump: the manifest says sha256 [0-9a-f]{64}, the dump has [0-9a-f]{64}/);
  });

  test('a truncated dump whose manifest checksum was forged to match fails on the restore', () => {
    const dir = copyDir(verifiedDir, 'forged');
    const dump = path.join(dir, 'backup.dump');
    fs.truncateSync(dump, Math.floor(fs.statSync(dump).size / 2));
    const manifest = readManifest(dir);
    manifest.dump_sha256 = crypto.createHash('sha256').update(fs.readFileSync(dump)).digest('hex');
    fs.writeFileSync(path.join(dir, 'backup.manifest.json'), JSON.stringify(manifest));
    const result = runVerify(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/FAILED: pg_restore of .* failed/);
  });

  test('a tampered manifest fails verification, naming each difference', () => {
    const dir = copyDir(verifiedDir, 'tampered');
    const manifest = readManifest(dir);
    const orders = manifest.tables.find((t: any) => t.table === 'orders');
    orders.rows += 1;
    manifest.tables.push({ schema: 'sales', table: 'refunds', rows: 3, bytes: 8192 });
    manifest.large_objects = 2;
    fs.writeFileSync(path.join(dir, 'backup.manifest.json'), JSON.stringify(manifest));
    const result = runVerify(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`mismatch: table sales.orders: ${orders.rows} rows in the manifest, ${orders.rows - 1} restored`);
    expect(result.stderr).toContain('mismatch: table sales.refunds: in the manifest, missing from the restore');
    expect(result.stderr).toContain('mismatch: large objects: 2 in the manifest, 1 restored');
    expect(result.stderr).toMatch(/FAILED: the restore of .* differs from its manifest \(3 differences above\)/);
  });

  test('a manifest that is not JSON fails verification', () => {
    const dir = copyDir(verifiedDir, 'garbled');
    fs.writeFileSync(path.join(dir, 'backup.manifest.json'), '{"tables": [');
    const result = runVerify(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('is not valid JSON');
  });

  test("a service's large object created after the users Job stops the backup with the fix; the Job run again grants it as the owner", async () => {
    // The master user neither owns it nor is a superuser, as on RDS.
    superSql(`ALTER ROLE orders_app PASSWORD 'orders'`);
    superSql('GRANT USAGE ON SCHEMA inventory TO orders_app; GRANT INSERT ON inventory.items TO orders_app', DATABASE);
    mustSql("INSERT INTO inventory.items VALUES ('sku-2', lo_from_bytea(0, 'new photo'::bytea))", { user: 'orders_app', password: 'orders' });
    const refused = runBackup(workDir('refused'));
    expect(refused.dump.status).not.toBe(0);
    expect(refused.dump.stderr).toMatch(/permission denied for large object[\s\S]*FAILED: pg_dump of shop failed.*run the users Job again/);
    const users = runUsers();
    expect(users.status).toBe(0);
    expect(users.stderr).not.toMatch(/WARNING/);
    expect(mustSql("SELECT count(*) FROM pg_largeobject_metadata m, aclexplode(m.lomacl) a WHERE a.grantee = 'groundwork_backup'::regrole AND a.privilege_type = 'SELECT'")).toBe('2');
    // A second backup, a second later: the verification must take this one, the newest.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = runBackup(workDir('again'));
    expect(again.dump.status).toBe(0);
    expect(again.upload?.status).toBe(0);
    const dir = workDir('verify-newest');
    expect(runFetch(dir).status).toBe(0);
    expect(readManifest(dir).large_objects).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'source-key'), 'utf8').trim()).toBe(readManifest(path.join(root, 'again')).dump_key);
    expect(runVerify(dir).status).toBe(0);
  });

  test('large objects left out (largeObjects: false): the dump has none, the manifest says so, the verification agrees', () => {
    const dir = workDir('no-large-objects');
    const passwordFile = path.join(root, 'iam-token');
    const dump = run('bash', [path.join(SCRIPTS, 'backup.sh')], {
      PGHOST: socketDir, PGPORT: String(pgPort), PGDATABASE: DATABASE, PGUSER: BACKUP_USER, DB_PASSWORD_FILE: passwordFile,
      WORK_DIR: dir, KEY_PREFIX, LARGE_OBJECTS: 'exclude',
    }, { asPostgres: true });
    expect(dump.status).toBe(0);
    expect(readManifest(dir)).toMatchObject({ large_objects: 0, large_objects_dumped: false });
    fs.writeFileSync(path.join(dir, 'source-key'), 'no-large-objects.dump');
    const verified = runVerify(dir);
    expect(verified.stderr).not.toMatch(/FAILED/);
    expect(verified.stderr).toContain('0 large objects, as its manifest lists');
  });

  test('a table with row-level security stops the backup and says why', () => {
    mustSql('CREATE TABLE sales.private (id int); ALTER TABLE sales.private ENABLE ROW LEVEL SECURITY; INSERT INTO sales.private VALUES (1)');
    try {
      const refused = runBackup(workDir('rls'));
      expect(refused.dump.status).not.toBe(0);
      expect(refused.dump.stderr).toMatch(/row-level security[\s\S]*FAILED: pg_dump of shop failed.*cannot bypass it/);
    } finally {
      mustSql('DROP TABLE sales.private');
    }
  });

  test('verification with no backup in the bucket fails and says so', () => {
    const result = run('bash', [path.join(SCRIPTS, 'fetch-latest.sh')], { ...s3Env(), KEY_PREFIX: 'logical/other', WORK_DIR: workDir('none') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`FAILED: no backup under s3://${BUCKET}/logical/other/: the backup CronJob has not succeeded yet`);
  });

  test('a script missing its environment names what is missing', () => {
    const result = run('bash', [path.join(SCRIPTS, 'upload.sh')], { WORK_DIR: root });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('FAILED: missing environment: BUCKET KMS_KEY_ARN');
  });
});
