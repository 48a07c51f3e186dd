// Validates Kubernetes manifests against the official Kubernetes OpenAPI schemas
// (kubernetes-models, generated from Kubernetes 1.27 — the API level cdk8s-plus-27 targets).
//
// Only GA API groups are accepted for built-in kinds; custom resources (TargetGroupBinding,
// ServiceMonitor, ...) must be listed in `customResources`, otherwise they are reported,
// so a typo in apiVersion cannot slip through as "unknown, skipped".
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const MODELS_ROOT = path.dirname(require.resolve('kubernetes-models/package.json'));

/** Beta and alpha versions are refused: they are removed from current EKS versions. */
const NON_GA_VERSION = /^v\d+(alpha|beta)\d*$/;

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const dir = group ? path.join(MODELS_ROOT, group, version) : path.join(MODELS_ROOT, version);
  const file = path.join(dir, `${kind}.js`);
  if (!/^[A-Za-z0-9]+$/.test(kind) || !fs.existsSync(file)) return undefined;
  return require(file)[kind];
}

/**
 * Validates parsed manifests. Returns a list of problems, empty when all are valid.
 *
 * @param {object[]} manifests parsed Kubernetes objects
 * @param {{ customResources?: string[] }} options `group/version Kind` strings accepted without a schema
 */
function validateManifests(manifests, options = {}) {
  const customResources = new Set(options.customResources || []);
  const problems = [];
  manifests.forEach((manifest, index) => {
    if (!manifest || typeof manifest !== 'object') {
      problems.push(`document ${index}: not an object`);
      return;
    }
    const { apiVersion, kind } = manifest;
    const label = `${kind || '?'} ${(manifest.metadata && manifest.metadata.name) || `#${index}`}`;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      problems.push(`${label}: apiVersion and kind are required`);
      return;
    }
    if (customResources.has(`${apiVersion} ${kind}`)) return;
    const version = apiVersion.split('/').pop();
    if (NON_GA_VERSION.test(version)) {
      problems.push(`${label}: ${apiVersion} is not a GA API version`);
      return;
    }
    const Model = modelFor(apiVersion, kind);
    if (!Model) {
      problems.push(`${label}: no official schema for ${apiVersion} ${kind}`);
      return;
    }
    try {
      new Model(manifest).validate();
    } catch (e) {
      problems.push(`${label}: ${e.message}`);
    }
  });
  return problems;
}

/** Parses a multi-document YAML string into objects (empty documents dropped). */
function parseManifests(yamlText) {
  return YAML.parseAllDocuments(yamlText)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`);
      return doc.toJSON();
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

module.exports = { validateManifests, parseManifests };
