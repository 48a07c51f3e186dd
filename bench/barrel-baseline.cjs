// The benchmark's baseline: the same production example, written the naive way, i.e. with the
// provider packages imported through their barrels (`import { ... } from '@cdktf/provider-aws'`),
// which loads every resource class of both providers. Kept in plain JavaScript so that the
// build does not pay the barrels' type-checking cost (several seconds and ~850 MB) too.
'use strict';
require('@cdktf/provider-aws');
require('@cdktf/provider-kubernetes');
const { App } = require('cdktf');
const { buildExample } = require('../dist/examples/production/main');

const app = new App();
for (const manifests of buildExample(app)) manifests.synth();
app.synth();
