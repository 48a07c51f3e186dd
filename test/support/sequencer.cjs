// Runs the longest test files first, so that on two workers no long file starts last and
// leaves the other worker idle at the end. Jest does this from the timings of the previous run,
// which a fresh clone (CI) does not have: it then orders by file size, and the files that plan
// with Terraform or start PostgreSQL, small but slow, started last. For a file without a timing
// of its own, the seconds measured cold on a 2-core machine below stand in (re-measure with
// `npx jest --json --outputFile=...` when they drift); a file in neither counts as one second.
'use strict';

const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const COLD_SECONDS = {
  'test/examples/upgrade-plan.test.ts': 56,
  'test/examples/production.test.ts': 39,
  'test/database-jobs/scripts.test.ts': 26,
  'test/offline/constructs-plan.test.ts': 24,
  'test/monitoring-stack/promtool.test.ts': 19,
  'test/package/consumer.test.ts': 18,
  'test/support/terraform-matchers.test.ts': 16,
  'test/redis-ha/valkey-upgrade-plan.test.ts': 12,
  'test/deploy/deploy-script.test.ts': 9,
  'test/database-jobs/database-jobs.test.ts': 5,
  'test/docs/api-examples.test.ts': 5,
  'test/app-cluster/bootstrap-stack.test.ts': 5,
  'test/app-cluster/auto-mode.test.ts': 5,
  'test/app-cluster/app-cluster.test.ts': 4,
};

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const root = path.resolve(__dirname, '..', '..');
    const seconds = (test) => {
      const measured = this.time(test);
      if (measured != null) return measured / 1000;
      return COLD_SECONDS[path.relative(root, test.path).split(path.sep).join('/')] ?? 1;
    };
    // Failed files first (the quickest feedback), then the longest.
    return [...tests].sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || seconds(b) - seconds(a));
  }
}

module.exports = LongestFirstSequencer;
