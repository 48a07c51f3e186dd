// Preloaded with `node --require` by the benchmark: reports the process's peak resident set
// size (kilobytes, from getrusage) to the file named by BENCH_RSS_FILE when it exits.
'use strict';
const fs = require('fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) {
    fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
  }
});
