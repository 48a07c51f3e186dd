// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateManifests, parseManifests } = require('../../scripts/lib/kubernetes-schema.cjs');

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          ports:
            - containerPort: 8080
`;

describe('Kubernetes schema check', () => {
  test('accepts a valid Deployment', () => {
    expect(validateManifests(parseManifests(deployment))).toEqual([]);
  });

  test('reports a field of the wrong type', () => {
    const broken = deployment.replace('containerPort: 8080', 'containerPort: "eighty"');
    const problems = validateManifests(parseManifests(broken));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Deployment web: .*containerPort/);
  });

  test('reports a missing required field', () => {
    const noSelector = deployment.replace(/ {2}selector:\n {4}matchLabels: \{ app: web \}\n/, '');
    expect(validateManifests(parseManifests(noSelector))[0]).toMatch(/selector/);
  });

  test('refuses beta API versions that current EKS no longer serves', () => {
    const beta = deployment.replace('apps/v1', 'apps/v1beta1');
    expect(validateManifests(parseManifests(beta))).toEqual(['Deployment web: apps/v1beta1 is not a GA API version']);
  });

  test('reports an unknown kind unless it is a declared custom resource', () => {
    const tgb = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'web' } };
    expect(validateManifests([tgb])[0]).toMatch(/not a GA API version|no official schema/);
    expect(validateManifests([tgb], { customResources: ['elbv2.k8s.aws/v1beta1 TargetGroupBinding'] })).toEqual([]);
  });
});
