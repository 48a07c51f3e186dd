import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// `.ci/run` runs under `set -o pipefail`. A pipe into a reader that stops early (`head`,
// `grep -q`, `sed -n 1p`, ...) lets the reader close the pipe while the writer still writes;
// the writer then dies of SIGPIPE and pipefail fails CI on some runs but not others. This
// happened with `terraform version | head -1`. These tests keep it from coming back.
const script = fs.readFileSync(path.resolve(__dirname, '..', '..', '.ci', 'run'), 'utf8');
const commandLines = script.split('\n').filter((line) => !/^\s*#/.test(line));

describe('.ci/run', () => {
  test('is valid bash and fails fast, with pipefail', () => {
    execFileSync('bash', ['-n', path.resolve(__dirname, '..', '..', '.ci', 'run')]);
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  test('never pipes into a reader that can stop before the writer is done', () => {
    const earlyClosers = /\|\s*(head|grep\s+(-\w*q|--quiet)|sed\s+-n\s+['"]?\d+[pq]|awk\s+.*exit)/;
    expect(commandLines.filter((line) => earlyClosers.test(line))).toEqual([]);
  });

  test('first_line prints only the first line and passes a failing exit status on', () => {
    const helper = script.match(/^first_line\(\) \{[\s\S]*?^\}$/m)?.[0];
    expect(helper).toBeDefined();
    const run = (command: string) =>
      execFileSync('bash', ['-c', `set -euo pipefail\n${helper}\n${command}`], { encoding: 'utf8' });
    // 100 000 lines: far more than a pipe buffer, the case where `| head -1` loses the race.
    expect(run('first_line seq 1 100000')).toBe('1\n');
    expect(() => run('first_line false')).toThrow();
  });
});
