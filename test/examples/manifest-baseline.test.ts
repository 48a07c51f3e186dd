import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildExample } from '../../examples/production/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

/**
 * The checks kube-score and kube-linter run, applied to every manifest the example emits.
 * Neither tool can be installed here (no binary downloads), so their well-known checks are
 * written out; the names in the test titles are theirs.
 */
describe.each(['development', 'staging', 'production'])('%s manifests against kube-score / kube-linter checks', (tier) => {
  const app = Testing.app();
  for (const manifests of buildExample(app, [tier])) {
    manifests.synth();
  }
  const dir = path.join(app.outdir, 'manifests', tier);
  const docs: any[] = fs.readdirSync(dir).flatMap((f) => parseManifests(fs.readFileSync(path.join(dir, f), 'utf8')));
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const deployments = ofKind('Deployment');
  // The services scale (an HPA owns their replicas); the database exporters are one pod per
  // database instance by design: a second would double every series. kube-score's
  // PodDisruptionBudget and anti-affinity checks, and our HPA expectation, are for the former.
  const scaled = deployments.filter((d) => d.spec.replicas === undefined);
  const singletons = deployments.filter((d) => d.spec.replicas !== undefined);
  const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);

  test('there is a Deployment to check', () => {
    expect(deployments.length).toBeGreaterThan(0);
  });

  test('container-resources / unset-cpu-requirements / unset-memory-requirements: requests and limits set', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      }
    }
  });

  test('pod-probes: readiness and liveness probes exist and differ', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
        expect(c.readinessProbe).not.toEqual(c.livenessProbe);
      }
    }
  });

  test('container-security-context / run-as-non-root / no-read-only-root-fs / privilege-escalation / drop capabilities / seccomp', () => {
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.securityContext.runAsUser).toBeGreaterThan(10000);
        expect(c.securityContext.seccompProfile ?? pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      }
    }
  });

  test('container-image-tag / latest-tag: images are pinned to a tag that is not latest', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.image).toMatch(/(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  test('the only fixed-size Deployments are the database exporters, one replica each', () => {
    expect(singletons.map((d) => [d.metadata.name.replace(/-(primary|replica-\d+)$/, ''), d.spec.replicas]).every(([name, replicas]) => /-exporter$/.test(name) && replicas === 1)).toBe(true);
    expect(singletons.length).toBeGreaterThan(0);
  });

  test('deployment-has-poddisruptionbudget and deployment-has-host-podantiaffinity (zone spread)', () => {
    for (const d of scaled) {
      const labels = d.spec.template.metadata.labels;
      expect(ofKind('PodDisruptionBudget').some((p) => matches(p.spec.selector.matchLabels, labels))).toBe(true);
      const zones = d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey);
      expect(zones).toContain('topology.kubernetes.io/zone');
    }
  });

  test('horizontalpodautoscaler has a target and the Deployment leaves replicas to it', () => {
    expect(scaled.length).toBeGreaterThan(0);
    for (const d of scaled) {
      const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      expect(hpa).toBeDefined();
      expect(d.spec.replicas).toBeUndefined();
      if (tier === 'production') expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }
  });

  test('pod-networkpolicy / non-isolated-pod: a default-deny policy and policies that select the pods', () => {
    const policies = ofKind('NetworkPolicy');
    expect(policies.some((p) => Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress'))).toBe(true);
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      expect(policies.some((p) => p.spec.podSelector.matchLabels && matches(p.spec.podSelector.matchLabels, labels))).toBe(true);
    }
  });

  test('service-targets-pod / dangling-service: every Service selects a Deployment’s pods', () => {
    for (const s of ofKind('Service')) {
      expect(deployments.some((d) => matches(s.spec.selector, d.spec.template.metadata.labels))).toBe(true);
    }
  });

  test('env-var-secret: no secret material inline; Secrets are referenced, not embedded', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        for (const e of c.env ?? []) {
          expect(e.name).not.toMatch(/PASSWORD|SECRET|TOKEN/i);
        }
      }
    }
    for (const secret of ofKind('Secret')) {
      // The only Secret the charts emit is Alertmanager's configuration, which references
      // credentials by file path.
      const text = JSON.stringify(secret);
      expect(text).not.toMatch(/hooks\.slack\.com|routing_key:/);
    }
  });
});
