// Checks, before the manifests are applied, that the Secrets the Alertmanager receivers read
// (Slack webhooks, PagerDuty routing keys) exist in the monitoring namespace. They hold
// credentials, so they are created outside Terraform and outside this repository; without them
// Alertmanager loads its configuration and then fails every notification.
//
//   node scripts/check-alertmanager-secrets.mjs <kube-prometheus-stack values file> <namespace>
//
// The list comes from the generated Helm values (alertmanager.alertmanagerSpec.secrets), the
// same list the release mounts. Uses kubectl from the PATH with the current context.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');
const [valuesFile, namespace] = process.argv.slice(2);
if (!valuesFile || !namespace) {
  console.error('usage: node scripts/check-alertmanager-secrets.mjs <values file> <namespace>');
  process.exit(2);
}
const values = YAML.parse(fs.readFileSync(valuesFile, 'utf8'));
const secrets = values?.alertmanager?.alertmanagerSpec?.secrets ?? [];
const missing = secrets.filter((name) => spawnSync('kubectl', ['-n', namespace, 'get', 'secret', name, '-o', 'name'], { stdio: 'ignore' }).status !== 0);
if (missing.length > 0) {
  console.error(
    `check-alertmanager-secrets: missing in namespace ${namespace}: ${missing.join(', ')}. ` +
      'Create each with the keys the receivers name (e.g. kubectl -n ' + namespace + ' create secret generic alertmanager-slack --from-literal=url=<webhook URL>) before deploying.',
  );
  process.exit(1);
}
console.log(`check-alertmanager-secrets: ${secrets.length} Secret(s) present in ${namespace}: ${secrets.join(', ') || 'none needed'}`);
