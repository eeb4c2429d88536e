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
  /** The cluster folder it comes from (`infrastructure/cluster-<cloud>`). */
  folder: string;
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
 * reported in `errors` (the caller keeps what that folder ran, as Argo CD keeps live state).
 */
export function gitOpsApplications(
  paths: string[],
  readText: (path: string) => string,
  cloudOf: (cluster: string) => Cloud | undefined,
): {
  applications: GitOpsApplication[];
  errors: Array<{ folder: string; message: string }>;
} {
  const applications: GitOpsApplication[] = [];
  const errors: Array<{ folder: string; message: string }> = [];
  for (const appFile of paths.filter(p => /\/argo-app\.yaml$/.test(p))) {
    const folder = path.posix.dirname(appFile);
    let app: any;
    try {
      app = parse(readText(appFile));
    } catch (error) {
      errors.push({
        folder,
        message: `${appFile}: ${(error as Error).message}`,
      });
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
      errors.push({
        folder,
        message: `${appFile}: not an Application of a known cluster with a Helm source`,
      });
      continue;
    }
    const chartPath = path.posix.normalize(source.path);
    applications.push({
      name: String(app.metadata?.name ?? folder),
      folder,
      cluster,
      source: {
        chartPath,
        releaseName: String(source.helm?.releaseName ?? app.metadata?.name),
        namespace: String(app.spec.destination.namespace ?? 'default'),
        valueFiles: (source.helm?.valueFiles ?? []).map(String),
        parameters: (source.helm?.parameters ?? []).map((p: any) => ({
          name: String(p.name),
          value: String(p.value),
          ...(p.forceString ? { forceString: true } : {}),
        })),
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
        folder,
        cluster,
        model: model.model,
        source: {
          chartPath,
          releaseName: model.model,
          namespace: MODELS_NAMESPACE,
          valueFiles: [overrides, path.posix.relative(chartPath, file)],
          // A name like 123 stays a string, as the chart's schema wants it.
          parameters: [
            { name: 'model.name', value: model.model, forceString: true },
          ],
        },
      });
    }
  }
  return { applications, errors };
}
