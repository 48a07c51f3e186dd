// The production example without the rule pack, so the bench can show what the pack costs:
// the same stacks and charts as dist/examples/production/main.js, synthesized the same way.
'use strict';
const { App } = require('cdktf');
const { buildExample } = require('../dist/examples/production/main');

const app = new App();
for (const manifests of buildExample(app, [], { checks: false })) manifests.synth();
app.synth();
