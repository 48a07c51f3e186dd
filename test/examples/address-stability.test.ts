import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildExample } from '../../examples/production/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { addressesOf, lostAddresses } = require('../../scripts/lib/addresses.cjs');

/**
 * Users' Terraform state holds our resource addresses. An address that disappears is a
 * resource Terraform destroys and creates anew: a database, a cluster, a bucket. Every address
 * of the committed baseline must still exist, or be carried to a new one by a moved block.
 *
 * The baseline only grows (`npm run addresses` adds new addresses); it is never edited to make
 * this test pass.
 */
describe('resource addresses of the examples are a public contract', () => {
  const baseline: Record<string, string[]> = JSON.parse(
    fs.readFileSync(path.join(__dirname, 'address-baseline.json'), 'utf8'),
  );

  const production = Testing.app();
  buildExample(production);
  production.synth();

  const minimalOutdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimal-'));
  const previousOutdir = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = minimalOutdir;
  jest.isolateModules(() => {
    // A fresh module registry: the example synthesizes when it is loaded, as `node main.js` does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../examples/minimal/main');
  });
  if (previousOutdir === undefined) delete process.env.CDKTF_OUTDIR;
  else process.env.CDKTF_OUTDIR = previousOutdir;

  const current = { ...addressesOf(production.outdir), ...addressesOf(minimalOutdir) };

  test('every baseline address still exists or is moved to one that does', () => {
    expect(lostAddresses(baseline, current)).toEqual([]);
  });

  test('every moved block ends at a resource that exists', () => {
    const dangling = Object.entries(current).flatMap(([stack, { resources, moved }]: [string, any]) =>
      moved.filter((m: any) => !resources.includes(m.to)).map((m: any) => `${stack}: ${m.from} -> ${m.to}`),
    );
    expect(dangling).toEqual([]);
  });

  test('the check fails for an address that disappears without a moved block, and passes with one', () => {
    const before = { s: ['aws_db_instance.Database_B269D8BB', 'aws_iam_role.Old_1'] };
    expect(lostAddresses(before, { s: { resources: ['aws_db_instance.Database_B269D8BB'], moved: [] } })).toEqual([
      's: aws_iam_role.Old_1',
    ]);
    expect(
      lostAddresses(before, {
        s: {
          resources: ['aws_db_instance.Database_B269D8BB', 'aws_iam_role.New_2'],
          moved: [{ from: 'aws_iam_role.Old_1', to: 'aws_iam_role.New_2' }],
        },
      }),
    ).toEqual([]);
    expect(lostAddresses(before, { t: { resources: [], moved: [] } })).toHaveLength(2);
  });
});
