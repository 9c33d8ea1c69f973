/**
 * deploy/kubernetes/*.yaml: every object valid against the Kubernetes schema of its kind, with no unknown field
 * (test/support/kubernetes-manifests.ts), and wired the way certguard needs: probes on the port it listens on,
 * a preStop pause and a grace period longer than the drain, the migration Job running a command the image has,
 * a PodDisruptionBudget and a Service selecting the Deployment's pods, the rule bundle and the secrets mounted
 * where certguard's configuration says it reads them. The container's configuration is computed by
 * src/config.ts itself from the image's and the manifest's environment, so a variable certguard does not read,
 * or a value it refuses (production mode without credentials), fails here rather than in a pod.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.ts';
import { imageEnvironment, imageTopLevelPaths, knownVariables } from '../support/deploy-facts.ts';
import { type Manifest, parseManifests, schemaProblems, unknownFieldProblems } from '../support/kubernetes-manifests.ts';

const DIR = path.join(PROJECT_ROOT, 'deploy', 'kubernetes');
const files = readdirSync(DIR).filter((name) => /\.ya?ml$/.test(name));
const manifests = files.flatMap((name) => parseManifests(path.join(DIR, name)));

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface HttpProbe {
  httpGet: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: Container[]; volumes?: Volume[]; terminationGracePeriodSeconds?: number };
}

const only = (kind: string, name?: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''} in deploy/kubernetes/`);
  return found[0]!;
};
const deployment = only('Deployment') as Manifest & { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate } };
const job = only('Job') as Manifest & { spec: { template: PodTemplate } };
const secret = only('Secret') as Manifest & { stringData?: Record<string, string>; data?: Record<string, string> };
const pod = deployment.spec.template;
const container = pod.spec.containers.find((c) => c.name === 'certguard')!;

/** A container's environment as the process sees it: the image's ENV, then the manifest's (Secret refs resolved). */
function processEnvironment(c: Container): Record<string, string> {
  const env: Record<string, string> = { ...imageEnvironment() };
  for (const variable of c.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      assert.equal(ref.name, secret.metadata?.name, `${variable.name} comes from the Secret in the manifests`);
      const value = secret.stringData?.[ref.key] ?? secret.data?.[ref.key];
      assert.ok(value !== undefined, `the Secret has the key ${ref.key} that ${variable.name} reads`);
      env[variable.name] = value;
    } else {
      env[variable.name] = variable.value ?? 'from-the-downward-api';
    }
  }
  return env;
}

/** The container port a probe or Service names (by name or number). */
function containerPort(c: Container, port: number | string): number | undefined {
  return typeof port === 'number' ? c.ports?.find((p) => p.containerPort === port)?.containerPort : c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Where a volume is mounted in the container. */
function mountOf(c: Container, volume: Volume | undefined): string | undefined {
  return c.volumeMounts?.find((m) => m.name === volume?.name)?.mountPath;
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

describe('deploy/kubernetes manifests', () => {
  test('every object is valid against the Kubernetes schema of its apiVersion and kind', async () => {
    assert.ok(manifests.length >= 7, `${manifests.length} objects in ${files.join(', ')}`);
    const problems = (await Promise.all(manifests.map(schemaProblems))).flat();
    assert.deepEqual(problems, []);
  });

  test('no object has a field its schema does not know (what kubectl --validate=strict refuses)', () => {
    assert.deepEqual(unknownFieldProblems(manifests), []);
  });

  test('the validation fails on a misspelt field, a wrong type, a missing required field and an unknown kind', async () => {
    const broken = structuredClone(deployment);
    const brokenContainer = broken.spec.template.spec.containers[0]! as unknown as Record<string, unknown>;
    brokenContainer.readinesProbe = brokenContainer.readinessProbe;
    const wrongType = structuredClone(deployment);
    (wrongType.spec.template.spec.containers[0]!.ports![0]! as { containerPort: unknown }).containerPort = '3000';
    const noSelector = structuredClone(deployment) as Manifest & { spec: Record<string, unknown> };
    delete noSelector.spec.selector;
    const unknownKind: Manifest = { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } };

    assert.match(unknownFieldProblems([broken]).join('\n'), /Deployment certguard: .*'"?readinesProbe"?' does not exist in type 'IContainer'/);
    assert.match((await schemaProblems(wrongType)).join('\n'), /containerPort must be integer/);
    assert.match((await schemaProblems(noSelector)).join('\n'), /spec must have required property '?selector'?/);
    assert.deepEqual(await schemaProblems(unknownKind), ['Deploymnet x: kubernetes-models has no apps/v1 Deploymnet']);
  });

  test('the kinds the deployment needs are all there', () => {
    const kinds = manifests.map((m) => m.kind).sort();
    assert.deepEqual(kinds, ['ConfigMap', 'ConfigMap', 'Deployment', 'Job', 'PodDisruptionBudget', 'Secret', 'Service']);
  });

  test('every environment variable set for certguard is one it reads, and its configuration loads in production mode', () => {
    const known = knownVariables();
    for (const c of [container, ...job.spec.template.spec.containers]) {
      const unknown = (c.env ?? []).map((v) => v.name).filter((name) => !known.has(name) && name !== 'POD_NAME');
      assert.deepEqual(unknown, [], `${c.name}: variables certguard does not read`);
      const config = loadConfig(processEnvironment(c));
      assert.equal(config.production, true, 'the image runs with NODE_ENV=production');
      assert.deepEqual(config.insecureDefaults, [], `${c.name}: no insecure default`);
    }
  });

  test('liveness /health and readiness /ready on the port certguard listens on; the startup probe outlasts the database wait', () => {
    const config = loadConfig(processEnvironment(container));
    assert.equal(container.livenessProbe?.httpGet.path, '/health');
    assert.equal(container.readinessProbe?.httpGet.path, '/ready');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      assert.equal(containerPort(container, probe!.httpGet.port), config.port, `probe port ${probe!.httpGet.port} is the listening port`);
    }
    const startup = container.startupProbe!;
    assert.ok((startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) >= config.dbWaitSeconds, 'startup probe covers CERTGUARD_DB_WAIT_SECONDS');
  });

  test('a preStop pause, and a grace period longer than the pause plus the drain', () => {
    const config = loadConfig(processEnvironment(container));
    const command = container.lifecycle?.preStop?.exec?.command ?? [];
    assert.equal(command[0], 'sleep');
    const pauseSeconds = Number(command[1]);
    assert.ok(pauseSeconds > 0);
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    assert.ok(grace > pauseSeconds + config.drainTimeoutMs / 1000, `grace ${grace} s > ${pauseSeconds} s + drain ${config.drainTimeoutMs} ms`);
  });

  test('the migration Job runs the migrate command the image has, on the same image and database', () => {
    const [migrate] = job.spec.template.spec.containers;
    assert.equal(migrate?.image, container.image);
    const command = migrate?.command ?? [];
    assert.deepEqual(command.slice(-1), ['migrate']);
    assert.equal(command[0], 'node');
    assert.ok(!command.includes('tsx'), 'tsx is a development dependency, not in the image');
    assert.ok(imageTopLevelPaths().has(command[1]!.split('/')[0]!), `${command[1]} is in the image (${[...imageTopLevelPaths()].join(', ')})`);
    assert.equal(processEnvironment(migrate!).DATABASE_URL, processEnvironment(container).DATABASE_URL);
    assert.equal(container.env?.find((v) => v.name === 'CERTGUARD_MIGRATE')?.value, 'false', 'the pods leave migrating to the Job');
  });

  test('the PodDisruptionBudget and the Service select the Deployment pods; the Service targets the listening port', () => {
    const config = loadConfig(processEnvironment(container));
    const podLabels = pod.metadata?.labels;
    assert.ok(selects(deployment.spec.selector.matchLabels, podLabels));
    const budget = only('PodDisruptionBudget') as Manifest & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
    assert.deepEqual(budget.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
    assert.ok(budget.spec.minAvailable < deployment.spec.replicas, 'a node drain can still evict one pod');
    const service = only('Service') as Manifest & { spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: number | string }> } };
    assert.ok(selects(service.spec.selector, podLabels));
    assert.ok(!selects(service.spec.selector, job.spec.template.metadata?.labels), 'the Service does not route to the migration Job');
    assert.equal(containerPort(container, service.spec.ports[0]!.targetPort), config.port);
  });

  test('the rule bundle ConfigMaps are mounted where certguard reads its bundle and the bundle tests', () => {
    const config = loadConfig(processEnvironment(container));
    const volumes = pod.spec.volumes ?? [];
    const policies = volumes.find((v) => v.configMap?.name === only('ConfigMap', 'certguard-policies').metadata?.name);
    const tests = volumes.find((v) => v.configMap?.name === only('ConfigMap', 'certguard-policy-tests').metadata?.name);
    assert.equal(mountOf(container, policies), config.policiesDir);
    // The reloader verifies a bundle with the tests in <bundle>/tests (src/rules/runtime/policy-reloader.ts).
    assert.equal(mountOf(container, tests), path.posix.join(config.policiesDir, 'tests'));
  });

  test('the Secret holds the credentials and the signing key, mounted where the configuration points', () => {
    const config = loadConfig(processEnvironment(container));
    const volume = (pod.spec.volumes ?? []).find((v) => v.secret?.secretName === secret.metadata?.name);
    const mount = mountOf(container, volume);
    assert.ok(mount, 'the Secret is mounted');
    const files = new Map((volume?.secret?.items ?? []).map((item) => [path.posix.join(mount, item.path), item.key]));
    for (const file of [config.credentialsFile, config.auditSigningKeyFile]) {
      const key = files.get(file ?? '');
      assert.ok(key, `${file} is a file of the Secret volume`);
      assert.ok(key in (secret.stringData ?? secret.data ?? {}), `the Secret has the key ${key}`);
    }
  });

  test('create-config.sh creates the ConfigMaps and the Secret under the names and keys the manifests use', () => {
    const script = readFileSync(path.join(DIR, 'create-config.sh'), 'utf8');
    assert.match(script, /create configmap certguard-policies --from-file=policies\//);
    assert.match(script, /create configmap certguard-policy-tests --from-file=policies\/tests\//);
    const secretKeys = [...Object.keys(secret.stringData ?? {}), ...Object.keys(secret.data ?? {})];
    assert.ok(secretKeys.length >= 3);
    for (const key of secretKeys) assert.match(script, new RegExp(`--from-(file|literal)=${key.replaceAll('.', '\\.')}=`), `create-config.sh sets ${key}`);
    assert.match(script, new RegExp(`create secret generic ${secret.metadata?.name} `));
  });
});
