import * as fs from 'fs';
import * as path from 'path';
import { CheckRule, CheckSeverity } from '../rule';
import { Finding } from './findings';

const ORDER: CheckSeverity[] = [CheckSeverity.ERROR, CheckSeverity.WARNING, CheckSeverity.INFO];

/**
 * Where a report goes: `<directory>/<baseName>.json` and `.sarif`.
 *
 * A cdktf app's report sits in its output directory (`cdktf.out/groundwork-checks.json`). A
 * cdk8s app's sits beside its manifest directory, never inside it, so that `kubectl apply -f
 * <dir>` does not take the report for a manifest: `manifests/groundwork-checks-production.json`.
 */
export interface ReportLocation {
  readonly directory: string;
  readonly baseName: string;
}

/**
 * The printed block for one stack or chart: a summary line, then every unacknowledged
 * finding, errors first. Acknowledged findings are counted by rule on the summary line (so a
 * reviewer of the log sees what was accepted), not repeated; the reports hold their reasons.
 */
export function formatUnit(unit: string, findings: Finding[], rules: Map<string, CheckRule>): string {
  const open = findings.filter((f) => f.acknowledgedBecause === undefined);
  const acknowledged = findings.filter((f) => f.acknowledgedBecause !== undefined);
  const counts = ORDER.map((s) => {
    const n = open.filter((f) => f.severity === s).length;
    return `${n} ${s}${n === 1 ? '' : s === CheckSeverity.INFO ? '' : 's'}`;
  }).join(', ');
  const byRule = new Map<string, number>();
  for (const f of acknowledged) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const acknowledgedRules = [...byRule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleId, n]) => (n === 1 ? ruleId : `${ruleId} x${n}`))
    .join(', ');
  const lines = [`groundwork checks: ${unit}: ${counts}${acknowledged.length > 0 ? `; ${acknowledged.length} acknowledged (${acknowledgedRules})` : ''}`];
  const sorted = [...open].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId));
  for (const f of sorted) {
    const where = f.address ? `${f.address} (${f.path})` : f.path;
    lines.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.ruleId}  ${where}`);
    lines.push(`          ${f.message}`);
    const fix = rules.get(f.ruleId)?.fix;
    if (fix) lines.push(`          Fix: ${fix}`);
  }
  return lines.join('\n');
}

/** Writes the JSON and SARIF reports of every finding so far. */
export function writeReports(location: ReportLocation, findings: Finding[], rules: Map<string, CheckRule>): void {
  fs.mkdirSync(location.directory, { recursive: true });
  const summary = Object.fromEntries(
    ORDER.map((s) => [s, findings.filter((f) => f.severity === s && f.acknowledgedBecause === undefined).length]),
  );
  fs.writeFileSync(
    path.join(location.directory, `${location.baseName}.json`),
    JSON.stringify({ tool: 'cdktf-groundwork checks', summary, acknowledged: findings.filter((f) => f.acknowledgedBecause !== undefined).length, findings }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(location.directory, `${location.baseName}.sarif`), JSON.stringify(toSarif(findings, rules), null, 2) + '\n');
}

const SARIF_LEVEL: Record<CheckSeverity, string> = {
  [CheckSeverity.ERROR]: 'error',
  [CheckSeverity.WARNING]: 'warning',
  [CheckSeverity.INFO]: 'note',
};

/**
 * SARIF 2.1.0, the format code-scanning UIs read. Locations name the synthesized file and the
 * construct path; acknowledged findings carry a suppression with its justification.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function toSarif(findings: Finding[], rules: Map<string, CheckRule>): object {
  const usedRules = [...new Set(findings.map((f) => f.ruleId))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdktf-groundwork checks',
            informationUri: 'https://github.com/cdktf-groundwork/cdktf-groundwork#checks',
            rules: usedRules.map((id) => {
              const rule = rules.get(id);
              return {
                id,
                shortDescription: { text: rule?.title ?? id },
                fullDescription: { text: rule?.rationale ?? id },
                help: { text: rule?.fix ?? '' },
                defaultConfiguration: { level: SARIF_LEVEL[rule?.severity ?? CheckSeverity.WARNING] },
                properties: { equivalents: rule?.equivalents ?? [] },
              };
            }),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              ...(f.file ? { physicalLocation: { artifactLocation: { uri: f.file } } } : {}),
              logicalLocations: [{ fullyQualifiedName: f.address ?? f.path, kind: 'resource' }],
            },
          ],
          ...(f.acknowledgedBecause !== undefined
            ? { suppressions: [{ kind: 'inSource', justification: f.acknowledgedBecause }] }
            : {}),
        })),
      },
    ],
  };
}
