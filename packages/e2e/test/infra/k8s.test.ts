import { join } from 'node:path';
import { REPO, SERVICE_PORTS, loadYaml, looksSecret, portInServiceConfig, walk, yamlFiles, type Doc } from './manifests.js';

const dir = join(REPO, 'infra', 'k8s');
const files = yamlFiles(dir).filter((f) => !f.endsWith('kustomization.yaml'));
const docs: Doc[] = files.flatMap((file) => loadYaml(file).map((doc) => ({ ...doc, __file: file })));
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];

describe('infra/k8s manifests', () => {
  it('every document has apiVersion, kind, a name and the openledger namespace', () => {
    expect(docs.length).toBeGreaterThan(10);
    for (const doc of docs) {
      expect(doc.apiVersion).toEqual(expect.any(String));
      expect(doc.kind).toEqual(expect.any(String));
      expect(doc.metadata?.name).toEqual(expect.any(String));
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace).toBe('openledger');
    }
  });

  it('kustomization lists exactly the manifest files', () => {
    const kustomization = loadYaml(join(dir, 'kustomization.yaml'))[0]!;
    expect([...kustomization.resources].sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
  });

  it('each service is a Deployment with a Service on its default port', () => {
    for (const [name, port] of Object.entries(SERVICE_PORTS)) {
      const fromConfig = portInServiceConfig(name);
      if (fromConfig !== undefined) expect(fromConfig).toBe(port);
      const deployment = find('Deployment', name);
      expect(deployment).toBeDefined();
      const container = deployment!.spec.template.spec.containers[0];
      expect(container.ports[0].containerPort).toBe(port);
      expect(container.env.find((e: Doc) => e.name === 'PORT').value).toBe(String(port));
      const service = find('Service', name)!;
      expect(service.spec.ports[0].port).toBe(port);
      expect(service.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
    }
  });

  it('workloads use versioned images, match their selectors, probe /healthz and /readyz, and set resources', () => {
    for (const workload of workloads) {
      const spec = workload.spec;
      const labels = spec.template.metadata.labels;
      for (const [k, v] of Object.entries(spec.selector.matchLabels)) expect(labels[k]).toBe(v);
      for (const container of spec.template.spec.containers) {
        expect(container.image).toMatch(/:[\w.-]+$/);
        expect(container.image).not.toMatch(/:latest$/);
        expect(container.resources?.requests).toBeDefined();
        expect(container.readinessProbe).toBeDefined();
        expect(container.livenessProbe).toBeDefined();
        if (container.livenessProbe.httpGet) {
          expect(container.livenessProbe.httpGet.path).toBe('/healthz');
          expect(container.readinessProbe.httpGet.path).toBe('/readyz');
          const portName = container.readinessProbe.httpGet.port;
          expect(container.ports.map((p: Doc) => p.name)).toContain(portName);
        }
      }
    }
  });

  it('every Service selects pods of some workload and targets a declared port', () => {
    for (const service of byKind('Service')) {
      const target = workloads.find((w) =>
        Object.entries(service.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v),
      );
      expect(target).toBeDefined();
      const containerPorts = target!.spec.template.spec.containers.flatMap((c: Doc) => c.ports.map((p: Doc) => [p.name, p.containerPort]));
      for (const port of service.spec.ports) {
        expect(containerPorts.some(([name, number]: [string, number]) => name === port.targetPort || number === port.targetPort)).toBe(true);
      }
    }
  });

  it('HPAs target existing Deployments of stateless services, never the single settler', () => {
    const hpas = byKind('HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['dashboard', 'datanet-service', 'inference-gateway']);
    for (const hpa of hpas) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      const ref = hpa.spec.scaleTargetRef;
      expect(ref.kind).toBe('Deployment');
      expect(find('Deployment', ref.name)).toBeDefined();
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      expect(hpa.spec.metrics.length).toBeGreaterThan(0);
    }
    expect(find('Deployment', 'attribution-worker')!.spec.replicas).toBe(1);
    expect(find('Deployment', 'attribution-worker')!.spec.strategy.type).toBe('Recreate');
  });

  it('engines run as a StatefulSet on the GPU node pool', () => {
    const engine = find('StatefulSet', 'inference-engine')!;
    expect(engine).toBeDefined();
    expect(engine.spec.template.spec.nodeSelector['openledger.io/node-pool']).toBe('gpu');
    expect(engine.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(engine.spec.volumeClaimTemplates.length).toBeGreaterThan(0);
    expect(find('Service', engine.spec.serviceName)).toBeDefined();
  });

  it('references Secrets and ConfigMaps that are committed as ConfigMaps or documented as out-of-band Secrets', () => {
    expect(byKind('Secret')).toEqual([]); // secrets are created out of band, never committed
    const configMaps = new Set(byKind('ConfigMap').map((c) => c.metadata.name));
    const secretRefs = new Set<string>();
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      for (const container of pod.containers) {
        for (const env of container.env ?? []) {
          if (env.valueFrom?.secretKeyRef) secretRefs.add(env.valueFrom.secretKeyRef.name);
          if (/PRIVATE_KEY|PASSWORD|DATABASE_URL/.test(env.name)) expect(env.value).toBeUndefined();
        }
        for (const from of container.envFrom ?? []) if (from.configMapRef) expect(configMaps.has(from.configMapRef.name)).toBe(true);
      }
      for (const volume of pod.volumes ?? []) if (volume.configMap) expect(configMaps.has(volume.configMap.name)).toBe(true);
    }
    expect([...secretRefs]).toEqual(['openledger-secrets']);
    walk(docs, (value, path) => {
      if (looksSecret(value)) throw new Error(`inline secret at ${path}`);
    });
  });

  it('PodDisruptionBudgets select the pods of a replicated Deployment', () => {
    const pdbs = byKind('PodDisruptionBudget');
    expect(pdbs.length).toBeGreaterThan(0);
    for (const pdb of pdbs) {
      const target = byKind('Deployment').find((d) =>
        Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(target).toBeDefined();
      expect(target!.spec.replicas).toBeGreaterThan(pdb.spec.minAvailable);
    }
  });

  it('PersistentVolumeClaims used by pods exist', () => {
    const claims = new Set(byKind('PersistentVolumeClaim').map((c) => c.metadata.name));
    for (const workload of workloads) {
      for (const volume of workload.spec.template.spec.volumes ?? []) {
        if (volume.persistentVolumeClaim) expect(claims.has(volume.persistentVolumeClaim.claimName)).toBe(true);
      }
    }
  });
});
