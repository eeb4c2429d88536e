import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
// The portal's own rules, from its -common package.
import {
  ComplianceSnapshot,
  DEFAULT_COMPLIANCE_OPTIONS,
  computeCompliance,
  evaluateDeploymentPolicy,
} from '@internal/plugin-omnivision-common';

const helm = process.env.HELM_BIN ?? 'helm';
const repoRoot = path.resolve(__dirname, '../../..');
const chart = path.join(repoRoot, 'charts/omnivision-portal');
const valuesFile = (cloud: string) => path.join(chart, `values-${cloud}.yaml`);
const NAMESPACE = 'omnivision-portal';

/** Validation errors of each object against its kind's published schema (null: valid). */
function validateAgainstPublishedSchemas(
  objects: unknown[],
): Array<string | null> {
  // The GitOps chart's validator (kubernetes-models, ESM only): run with Node, not imported.
  const script = path.join(
    repoRoot,
    'packages/sandbox/src/testing/validateKubernetesObjects.mjs',
  );
  return JSON.parse(
    execFileSync(process.execPath, [script], {
      input: JSON.stringify(objects),
      encoding: 'utf8',
    }),
  );
}

async function helmTemplate(args: string[]): Promise<any[]> {
  const { stdout } = await promisify(execFile)(helm, [
    'template',
    'omnivision-portal',
    chart,
    '--namespace',
    NAMESPACE,
    ...args,
  ]);
  return parseAllDocuments(stdout)
    .map(doc => {
      expect(doc.errors).toEqual([]);
      return doc.toJS();
    })
    .filter(Boolean);
}

/** `group/resource` of every kind the fleet caches, from the paths it lists and watches. */
function fleetReadResources(): string[] {
  const source = fs.readFileSync(
    path.join(
      repoRoot,
      'plugins/omnivision-backend/src/fleet/kubernetes/fleetResources.ts',
    ),
    'utf8',
  );
  const paths = [...source.matchAll(/path: '([^']+)'/g)].map(m => m[1]);
  expect(paths.length).toBeGreaterThan(5);
  return paths
    .map(p => {
      const core = p.match(/^\/api\/v1\/([a-z]+)$/);
      if (core) return `/${core[1]}`;
      const [, group, resource] = p.match(
        /^\/apis\/([^/]+)\/[^/]+\/([a-z]+)$/,
      )!;
      return `${group}/${resource}`;
    })
    .sort();
}

/** The compliance snapshot of the rendered objects, in the shapes the fleet gives the rules. */
function snapshotOf(cloud: 'aws' | 'gcp', objects: any[]): ComplianceSnapshot {
  const ofKind = (kind: string) => objects.filter(o => o.kind === kind);
  const pods = ofKind('Deployment').map(d => ({
    namespace: d.metadata.namespace,
    spec: d.spec.template.spec,
  }));
  const secretKeysByName = new Map<string, Set<string>>();
  const addSecretKey = (name: string, key: string) =>
    secretKeysByName.set(
      name,
      new Set([...(secretKeysByName.get(name) ?? []), key]),
    );
  for (const external of ofKind('ExternalSecret')) {
    for (const { secretKey } of external.spec.data) {
      addSecretKey(external.spec.target.name, secretKey);
    }
  }
  for (const { spec } of pods) {
    for (const container of spec.containers) {
      for (const env of container.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref) addSecretKey(ref.name, ref.key);
      }
    }
  }
  return {
    cloud,
    namespaces: ofKind('Namespace').map(n => ({
      name: n.metadata.name,
      labels: n.metadata.labels ?? {},
    })),
    serviceAccounts: ofKind('ServiceAccount').map(a => ({
      namespace: a.metadata.namespace,
      name: a.metadata.name,
      annotations: a.metadata.annotations ?? {},
    })),
    secrets: [
      ...ofKind('Secret').map(s => ({
        namespace: s.metadata.namespace,
        name: s.metadata.name,
        dataKeys: Object.keys({ ...s.data, ...s.stringData }),
      })),
      ...[...secretKeysByName].map(([name, keys]) => ({
        namespace: NAMESPACE,
        name,
        dataKeys: [...keys],
      })),
    ],
    workloadServiceAccounts: pods.map(({ namespace, spec }) => ({
      namespace,
      name: spec.serviceAccountName ?? 'default',
    })),
  };
}

/** The deployment policy's image rule, over an image reference `repository@digest`. */
function imageRule(image: string) {
  const at = image.indexOf('@');
  const [imageRepository, imageDigest] =
    at < 0 ? [image, undefined] : [image.slice(0, at), image.slice(at + 1)];
  return evaluateDeploymentPolicy(
    {
      model: 'resource:default/omnivision-portal',
      gpuProfile: 'none',
      regions: [],
      minReplicas: 2,
      maxReplicas: 2,
      rollout: 'direct',
    },
    {
      model: {
        name: 'omnivision-portal',
        kind: 'Resource',
        type: 'ai-model',
        owner: 'platform-team',
        imageRepository,
        imageDigest,
        // Signatures are verified by the cluster's admission (Kyverno), not by a chart: the rule
        // is run for its digest and repository checks.
        signed: true,
      },
      profiles: [],
      regions: [],
      team: 'platform-team',
    },
  ).find(r => r.rule === 'image')!;
}

const CLOUDS = [
  { cloud: 'aws' as const, identity: 'eks.amazonaws.com/role-arn' },
  { cloud: 'gcp' as const, identity: 'iam.gke.io/gcp-service-account' },
];

describe('the omnivision-portal chart', () => {
  it('passes helm lint with each cloud’s values', async () => {
    for (const { cloud } of CLOUDS) {
      await expect(
        promisify(execFile)(helm, [
          'lint',
          '--strict',
          chart,
          '-f',
          valuesFile(cloud),
        ]),
      ).resolves.toMatchObject({
        stdout: expect.stringContaining('0 chart(s) failed'),
      });
    }
  }, 60_000);

  describe.each(CLOUDS)('with values-$cloud.yaml', ({ cloud, identity }) => {
    let objects: any[];
    const byKind = (kind: string) => objects.filter(o => o.kind === kind);
    const one = (kind: string) => {
      const found = byKind(kind);
      expect(found).toHaveLength(1);
      return found[0];
    };

    beforeAll(async () => {
      objects = await helmTemplate(['-f', valuesFile(cloud)]);
    }, 60_000);

    it('renders objects valid against the Kubernetes schemas', async () => {
      expect(objects.map(o => o.kind).sort()).toEqual([
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'ConfigMap',
        // From EKS, the GKE federation's credential config.
        ...(cloud === 'aws' ? ['ConfigMap'] : []),
        'Deployment',
        'ExternalSecret',
        'Ingress',
        'Namespace',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ]);
      const builtIn = objects.filter(o => o.kind !== 'ExternalSecret');
      expect(validateAgainstPublishedSchemas(builtIn)).toEqual(
        builtIn.map(() => null),
      );
      // The check itself can fail.
      const broken = structuredClone(one('Deployment'));
      broken.spec.replicas = 'two';
      expect(validateAgainstPublishedSchemas([broken])).toEqual([
        expect.stringMatching(/replicas/),
      ]);
      // ExternalSecret (external-secrets.io/v1beta1) has no model here: its shape by hand.
      expect(one('ExternalSecret')).toMatchObject({
        apiVersion: 'external-secrets.io/v1beta1',
        spec: {
          secretStoreRef: {
            name: expect.any(String),
            kind: 'ClusterSecretStore',
          },
          target: { name: expect.any(String) },
          data: expect.arrayContaining([
            {
              secretKey: 'POSTGRES_PASSWORD',
              remoteRef: {
                key: expect.any(String),
                property: 'POSTGRES_PASSWORD',
              },
            },
          ]),
        },
      });
    }, 60_000);

    it('runs at least two replicas of the backend on 7007 with health probes and a disruption budget', () => {
      const deployment = one('Deployment');
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      const [container] = deployment.spec.template.spec.containers;
      expect(container.ports).toEqual([
        expect.objectContaining({ name: 'http', containerPort: 7007 }),
        expect.objectContaining({ name: 'metrics', containerPort: 9464 }),
      ]);
      expect(deployment.spec.template.metadata.annotations).toEqual(
        expect.objectContaining({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9464',
          'prometheus.io/path': '/metrics',
        }),
      );
      expect(container.readinessProbe.httpGet).toEqual({
        path: '/.backstage/health/v1/readiness',
        port: 'http',
      });
      expect(container.livenessProbe.httpGet).toEqual({
        path: '/.backstage/health/v1/liveness',
        port: 'http',
      });
      const pdb = one('PodDisruptionBudget');
      expect(pdb.spec.selector).toEqual(deployment.spec.selector);
      expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
      expect(one('Service').spec.selector).toEqual(
        deployment.spec.selector.matchLabels,
      );
    });

    it('meets Pod Security "restricted" with a read-only root file system and a writable /tmp', () => {
      const pod = one('Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext.privileged ?? false).toBe(false);
        expect(container.securityContext.capabilities.add).toBeUndefined();
      }
      const tmp = pod.containers[0].volumeMounts.find(
        (m: any) => m.mountPath === '/tmp',
      );
      expect(pod.volumes.find((v: any) => v.name === tmp.name)).toHaveProperty(
        'emptyDir',
      );
      // Only volume types "restricted" allows.
      for (const volume of pod.volumes) {
        expect(Object.keys(volume).filter(k => k !== 'name')).toEqual([
          expect.stringMatching(/^(emptyDir|configMap|secret|projected)$/),
        ]);
      }
    });

    it('passes the portal’s own compliance controls: pod security, workload identity, no failing control', () => {
      const status = computeCompliance(snapshotOf(cloud, objects), {});
      const control = (id: string) => status.controls.find(c => c.id === id)!;
      expect(control('pod-security')).toMatchObject({
        status: 'pass',
        evidence: [`namespace ${NAMESPACE} enforces restricted`],
      });
      expect(control('workload-identity')).toMatchObject({
        status: 'pass',
        evidence: [expect.stringContaining(identity)],
      });
      // Cluster-wide controls (mesh, Kyverno, Trivy, declarations) are not the chart's to
      // render: unknown from its objects, and none fails.
      expect(status.controls.filter(c => c.status === 'fail')).toEqual([]);

      // The rules bite: without the identity annotation, or with a weaker namespace, they fail.
      const weaker = structuredClone(objects);
      delete weaker.find(o => o.kind === 'ServiceAccount').metadata.annotations[
        identity
      ];
      weaker.find(o => o.kind === 'Namespace').metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ] = 'baseline';
      const failing = computeCompliance(snapshotOf(cloud, weaker), {});
      expect(
        failing.controls.filter(c => c.status === 'fail').map(c => c.id),
      ).toEqual(['pod-security', 'workload-identity']);
    });

    it('labels its pods as the HIPAA policy requires and runs its image by digest', () => {
      const deployment = one('Deployment');
      const [key, value] = DEFAULT_COMPLIANCE_OPTIONS.hipaaLabel.split('=');
      expect(deployment.spec.template.metadata.labels[key]).toBe(value);

      const image = deployment.spec.template.spec.containers[0].image;
      expect(imageRule(image)).toMatchObject({ passed: true });
      expect(imageRule(image.replace(/@.*/, ':latest'))).toMatchObject({
        passed: false,
        message: expect.stringContaining('pinned by digest'),
      });
    });

    it('runs as the cloud identity of its ServiceAccount, with no static key', () => {
      const sa = one('ServiceAccount');
      expect(sa.metadata.annotations[identity]).toEqual(expect.any(String));
      const pod = one('Deployment').spec.template.spec;
      expect(pod.serviceAccountName).toBe(sa.metadata.name);
      expect(byKind('Secret')).toEqual([]);
    });

    it('reads config from ConfigMaps and every secret from the Secret, never a literal', () => {
      const deployment = one('Deployment');
      const [container] = deployment.spec.template.spec.containers;
      const configMaps = byKind('ConfigMap');
      const envConfigMap = configMaps.find(
        c => c.metadata.name === container.envFrom[0].configMapRef.name,
      );
      const plain = Object.keys(envConfigMap.data);
      const fromSecret = container.env.map((e: any) => {
        expect(e.value).toBeUndefined();
        expect(e.valueFrom.secretKeyRef.name).toBe(
          one('ExternalSecret').spec.target.name,
        );
        return e.name;
      });
      for (const name of plain) {
        // A path to a projected token file (AWS_WEB_IDENTITY_TOKEN_FILE) is no secret.
        expect(name).not.toMatch(
          /secret|token(?!_file$)|password|private_?key/i,
        );
      }
      // Every variable app-config.production.yaml substitutes is given, by one of the two.
      const production = fs.readFileSync(
        path.join(repoRoot, 'app-config.production.yaml'),
        'utf8',
      );
      const needed = [
        ...new Set([...production.matchAll(/\$\{(\w+)\}/g)].map(m => m[1])),
      ];
      expect(
        needed.filter(n => !plain.includes(n) && !fromSecret.includes(n)),
      ).toEqual([]);
      // The chart's own config layer is mounted and named on the command line.
      const layer = configMaps.find(c => c.metadata.name.endsWith('-config'));
      const mount = container.volumeMounts.find(
        (m: any) =>
          deployment.spec.template.spec.volumes.find(
            (v: any) => v.name === m.name,
          )?.configMap?.name === layer.metadata.name,
      );
      const [file] = Object.keys(layer.data);
      expect(container.args).toEqual(
        expect.arrayContaining([`${mount.mountPath}/${file}`]),
      );
    });

    it('talks to PostgreSQL over verified TLS with the CA from a mounted file', () => {
      const deployment = one('Deployment');
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      const configMaps = byKind('ConfigMap');
      const env = configMaps.find(c => c.data.PGSSLMODE);
      expect(env.data.PGSSLMODE).toBe('verify-full');
      const layer = parse(
        configMaps.find(c => c.data['app-config.kubernetes.yaml']).data[
          'app-config.kubernetes.yaml'
        ],
      );
      const ssl = layer.backend.database.connection.ssl;
      expect(ssl.rejectUnauthorized).toBe(true);
      const caFile: string = ssl.ca.$file;
      const mount = container.volumeMounts.find((m: any) =>
        caFile.startsWith(`${m.mountPath}/`),
      );
      const volume = pod.volumes.find((v: any) => v.name === mount.name);
      const source = volume.secret ?? volume.configMap;
      expect(source.items).toEqual([
        { key: path.basename(caFile), path: path.basename(caFile) },
      ]);
    });

    it('lets in only the ingress controller, and out only DNS, PostgreSQL and HTTPS', () => {
      const policy = one('NetworkPolicy');
      expect(policy.spec.podSelector).toEqual(one('Deployment').spec.selector);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 7007 }],
        },
      ]);
      const ports = policy.spec.egress.flatMap((rule: any) =>
        rule.ports.map((p: any) => `${p.protocol}/${p.port}`),
      );
      expect(ports).toEqual(
        expect.arrayContaining(['UDP/53', 'TCP/53', 'TCP/5432', 'TCP/443']),
      );
    });

    it('grants the fleet reader only get, list and watch on the resources the fleet reads, bound to the portal’s identity', () => {
      const role = one('ClusterRole');
      const granted = role.rules
        .flatMap((rule: any) => {
          expect(rule.verbs).toEqual(['get', 'list', 'watch']);
          expect(rule.resourceNames).toBeUndefined();
          return rule.apiGroups.flatMap((g: string) =>
            rule.resources.map((r: string) => `${g}/${r}`),
          );
        })
        .sort();
      expect(granted).toEqual(fleetReadResources());
      expect(granted.join()).not.toContain('*');
      const binding = one('ClusterRoleBinding');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role.metadata.name,
      });
      const user =
        cloud === 'aws'
          ? parse(fs.readFileSync(valuesFile(cloud), 'utf8')).fleetReader
              .eksUsername
          : one('ServiceAccount').metadata.annotations[identity];
      expect(binding.subjects).toEqual([
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user },
      ]);
    });
  });

  describe('reaches the other cloud’s clusters by federating the pod’s own short-lived token, with no key', () => {
    /** The rendered pod, its plain environment, and where each volume is mounted. */
    async function federation(cloud: 'aws' | 'gcp') {
      const objects = await helmTemplate(['-f', valuesFile(cloud)]);
      const configMap = (suffix: string) =>
        objects.find(
          o => o.kind === 'ConfigMap' && o.metadata.name.endsWith(suffix),
        );
      const pod = objects.find(o => o.kind === 'Deployment').spec.template.spec;
      const [container] = pod.containers;
      return {
        env: configMap('-env').data,
        configMap,
        mountOf: (volume: string) =>
          container.volumeMounts.find((m: any) => m.name === volume)?.mountPath,
        projectedToken: (volume: string) =>
          pod.volumes.find((v: any) => v.name === volume)?.projected.sources[0]
            .serviceAccountToken,
      };
    }

    it('from GKE to EKS: the AWS SDK’s web identity with a token for STS, as IRSA sets it up', async () => {
      const { env, mountOf, projectedToken } = await federation('gcp');
      expect(env.AWS_ROLE_ARN).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(projectedToken('aws-federation-token')).toEqual({
        audience: 'sts.amazonaws.com',
        expirationSeconds: 3600,
        path: 'token',
      });
      expect(env.AWS_WEB_IDENTITY_TOKEN_FILE).toBe(
        `${mountOf('aws-federation-token')}/token`,
      );
    }, 60_000);

    it('from EKS to GKE: workload identity federation, its credential config naming the token file', async () => {
      const { env, configMap, mountOf, projectedToken } = await federation(
        'aws',
      );
      const config = JSON.parse(
        configMap('-gcp-federation').data['credentials.json'],
      );
      expect(config).toMatchObject({ type: 'external_account' });
      expect(JSON.stringify(config)).not.toMatch(/private_key/);
      expect(projectedToken('gcp-federation-token').audience).toBe(
        config.audience,
      );
      expect(config.credential_source.file).toBe(
        `${mountOf('gcp-federation-token')}/token`,
      );
      expect(env.GOOGLE_APPLICATION_CREDENTIALS).toBe(
        `${mountOf('gcp-federation')}/credentials.json`,
      );
    }, 60_000);
  });

  it('renders only the fleet reader for one target cluster when the portal is off', async () => {
    const objects = await helmTemplate([
      '-f',
      valuesFile('aws'),
      '--set',
      'portal.enabled=false',
      '--set',
      'fleetReader.only=gke-europe-west1',
      '--set',
      'fleetReader.targetClusters[0].name=eks-us-west-2',
      '--set',
      'fleetReader.targetClusters[0].cloud=aws',
      '--set',
      'fleetReader.targetClusters[1].name=gke-europe-west1',
      '--set',
      'fleetReader.targetClusters[1].cloud=gcp',
      '--set',
      'fleetReader.targetClusters[1].user=omnivision-portal@omnivision-prod.iam.gserviceaccount.com',
    ]);
    expect(objects.map(o => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ClusterRole omnivision-portal-fleet-reader-gke-europe-west1',
      'ClusterRoleBinding omnivision-portal-fleet-reader-gke-europe-west1',
    ]);
  }, 60_000);

  it('grants canary control, when asked, by a role of its own: patch on Rollouts and their status only', async () => {
    const objects = await helmTemplate([
      '-f',
      valuesFile('aws'),
      '--set',
      'fleetReader.rolloutControl=true',
    ]);
    const named = (kind: string, name: string) =>
      objects.find(o => o.kind === kind && o.metadata.name === name);
    const reader = named(
      'ClusterRole',
      'omnivision-portal-fleet-reader-eks-us-west-2',
    );
    for (const rule of reader.rules) {
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
    }
    const control = named(
      'ClusterRole',
      'omnivision-portal-rollout-control-eks-us-west-2',
    );
    expect(control.rules).toEqual([
      {
        apiGroups: ['argoproj.io'],
        resources: ['rollouts', 'rollouts/status'],
        verbs: ['patch'],
      },
    ]);
    const binding = named(
      'ClusterRoleBinding',
      'omnivision-portal-rollout-control-eks-us-west-2',
    );
    expect(binding.roleRef.name).toBe(control.metadata.name);
    expect(binding.subjects).toEqual(
      named(
        'ClusterRoleBinding',
        'omnivision-portal-fleet-reader-eks-us-west-2',
      ).subjects,
    );
    // Off by default: the values files render the reader alone.
    const plain = await helmTemplate(['-f', valuesFile('aws')]);
    expect(
      plain.filter(o => o.metadata?.name?.includes('rollout-control')),
    ).toEqual([]);
  }, 60_000);

  it('lets the monitoring namespace, when set, reach the metrics port and nothing else', async () => {
    const docs = await helmTemplate([
      '-f',
      valuesFile('aws'),
      '--set',
      'metrics.monitoringNamespace=monitoring',
    ]);
    const policy = docs.find(d => d?.kind === 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      expect.objectContaining({ ports: [{ protocol: 'TCP', port: 7007 }] }),
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 9464 }],
      },
    ]);
  }, 60_000);

  it('refuses a tag, one replica, unverified PostgreSQL TLS or a secret among plain values, with Helm’s reason', async () => {
    const render = (set: string[]) =>
      helmTemplate([
        '-f',
        valuesFile('aws'),
        ...set.flatMap(s => ['--set', s]),
      ]);
    await expect(render(['image.tag=1.0'])).rejects.toThrow(
      /additional properties 'tag' not allowed/,
    );
    await expect(
      render(['image.repository=registry.example/portal:1.0']),
    ).rejects.toThrow(/image\/repository.*does not match pattern/);
    await expect(render(['image.digest=latest'])).rejects.toThrow(
      /image\/digest.*does not match pattern/,
    );
    await expect(render(['replicas=1'])).rejects.toThrow(/replicas/);
    await expect(render(['postgres.sslMode=disable'])).rejects.toThrow(
      /sslMode/,
    );
    await expect(render(['env.GITHUB_APP_PRIVATE_KEY=x'])).rejects.toThrow(
      /invalid propertyName 'GITHUB_APP_PRIVATE_KEY'/,
    );
    // Without a digest, or without a Secret to read from, nothing renders.
    await expect(
      helmTemplate([
        '--set',
        'aws.roleArn=arn:aws:iam::123456789012:role/omnivision-portal',
        '--set',
        'secrets.existingSecret=omnivision-portal',
        '--set',
        'postgres.ca.name=postgres-ca',
      ]),
    ).rejects.toThrow(/image.digest is required/);
    await expect(render(['externalSecret.enabled=false'])).rejects.toThrow(
      /existingSecret/,
    );
  }, 60_000);
});
