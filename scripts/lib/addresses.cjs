// Resource addresses of synthesized cdktf stacks, and the check that none of a baseline's
// addresses disappeared without a `moved` block. Users' Terraform state holds these addresses:
// one that vanishes is a resource Terraform destroys and creates anew (a database, a cluster).
const fs = require('fs');
const path = require('path');

/**
 * Reads every stack under `<outdir>/stacks` and returns, per stack, its resource addresses
 * (`aws_db_instance.Database_B269D8BB`, sorted) and its moved blocks.
 */
function addressesOf(outdir) {
  const stacksDir = path.join(outdir, 'stacks');
  const result = {};
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const resources = [];
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const name of Object.keys(byName)) resources.push(`${type}.${name}`);
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const name of Object.keys(byName)) resources.push(`data.${type}.${name}`);
    }
    result[stack] = { resources: resources.sort(), moved: (json.moved ?? []).map((m) => ({ from: m.from, to: m.to })) };
  }
  return result;
}

/**
 * The baseline addresses that the current synthesis lost: neither present any more, nor the
 * `from` of a moved block (followed through chains) that ends at a present address. Data
 * sources are not in state in a way that matters, so they may come and go.
 */
function lostAddresses(baseline, current) {
  const lost = [];
  for (const [stack, addresses] of Object.entries(baseline)) {
    const now = current[stack];
    if (!now) {
      lost.push(...addresses.filter((a) => !a.startsWith('data.')).map((a) => `${stack}: ${a} (the whole stack is gone)`));
      continue;
    }
    const present = new Set(now.resources);
    const movedTo = new Map(now.moved.map((m) => [m.from, m.to]));
    for (const address of addresses) {
      if (address.startsWith('data.')) continue;
      let at = address;
      const seen = new Set();
      while (!present.has(at) && movedTo.has(at) && !seen.has(at)) {
        seen.add(at);
        at = movedTo.get(at);
      }
      if (!present.has(at)) {
        lost.push(`${stack}: ${address}${at === address ? '' : ` (moved to ${at}, which does not exist)`}`);
      }
    }
  }
  return lost;
}

module.exports = { addressesOf, lostAddresses };
