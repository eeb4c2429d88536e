import path from 'node:path';
import { parse } from 'yaml';
import {
  clusterOverridesPath,
  modelApplicationName,
  parseModelValuesPath,
} from '@internal/plugin-omnivision-common';
import type { Cloud } from '../kubernetes/SimulatedCluster';
import { MODELS_NAMESPACE } from '../kubernetes/objects/namespaces';
import type { HelmSource } from './HelmTemplate';

/** An Argo CD Application of the GitOps repository: one Helm release on one cluster. */
export interface GitOpsApplication {
  name: string;
  /** The destination cluster's name (`spec.destination.name`). */
  cluster: string;
  /** The model it serves, for the per-model Applications. */
  model?: string;
  source: HelmSource;
}

/**
 * The Applications a revision of the GitOps repository asks for. Each cluster folder's
 * `argo-app.yaml` is one Application (the AI worker's release); each `models/<model>.yaml` in
 * that folder is another, as the platform's ApplicationSet (git files generator) makes them:
 * the same chart, the folder's `values-overrides.yaml`, then the model's file, with the
 * parameter `model.name` set to the file's name.
 * `readText` gives a file's text at that revision; a folder whose Application cannot be read is
 * reported in `errors` and skipped.
 */
export function gitOpsApplications(
  paths: string[],
  readText: (path: string) => string,
  cloudOf: (cluster: string) => Cloud | undefined,
): { applications: GitOpsApplication[]; errors: string[] } {
  const applications: GitOpsApplication[] = [];
  const errors: string[] = [];
  for (const appFile of paths.filter(p => /\/argo-app\.yaml$/.test(p))) {
    const folder = path.posix.dirname(appFile);
    let app: any;
    try {
      app = parse(readText(appFile));
    } catch (error) {
      errors.push(`${appFile}: ${(error as Error).message}`);
      continue;
    }
    const cluster = app?.spec?.destination?.name;
    const source = app?.spec?.source;
    const cloud = typeof cluster === 'string' ? cloudOf(cluster) : undefined;
    if (
      app?.kind !== 'Application' ||
      !cloud ||
      typeof source?.path !== 'string'
    ) {
      errors.push(
        `${appFile}: not an Application of a known cluster with a Helm source`,
      );
      continue;
    }
    const chartPath = path.posix.normalize(source.path);
    applications.push({
      name: String(app.metadata?.name ?? folder),
      cluster,
      source: {
        chartPath,
        releaseName: String(source.helm?.releaseName ?? app.metadata?.name),
        namespace: String(app.spec.destination.namespace ?? 'default'),
        valueFiles: (source.helm?.valueFiles ?? []).map(String),
        parameters: Object.fromEntries(
          (source.helm?.parameters ?? []).map((p: any) => [
            String(p.name),
            String(p.value),
          ]),
        ),
      },
    });
    const overrides = path.posix.relative(
      chartPath,
      clusterOverridesPath(folder),
    );
    for (const file of paths) {
      const model = parseModelValuesPath(file);
      if (model?.gitopsFolder !== folder) continue;
      applications.push({
        name: modelApplicationName(model.model, cloud),
        cluster,
        model: model.model,
        source: {
          chartPath,
          releaseName: model.model,
          namespace: MODELS_NAMESPACE,
          valueFiles: [overrides, path.posix.relative(chartPath, file)],
          parameters: { 'model.name': model.model },
        },
      });
    }
  }
  return { applications, errors };
}
