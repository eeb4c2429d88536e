import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kubernetes/resources';

/** What Argo CD's Helm source asks for: a chart folder, a release and its value files. */
export interface HelmSource {
  /** The chart's folder, relative to the repository's root. */
  chartPath: string;
  releaseName: string;
  namespace: string;
  /** Value files relative to the chart's folder, as `spec.source.helm.valueFiles` lists them. */
  valueFiles: string[];
  /**
   * `spec.source.helm.parameters`: values set after the files, with `--set` (or `--set-string`
   * for `forceString`), as Argo CD passes them.
   */
  parameters: Array<{ name: string; value: string; forceString?: boolean }>;
}

/** A failure to render: Helm's own message (Argo CD shows it as a ComparisonError). */
export class HelmRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelmRenderError';
  }
}

/**
 * Renders charts of one checkout of the GitOps repository with the real `helm template`
 * (`HELM_BIN`, or `helm` on PATH as `scripts/with-toolchain.sh` puts it there), as Argo CD's
 * Helm source does: the chart at the synced revision, the value files in order.
 */
export class HelmTemplate {
  readonly #root: string;
  readonly #helm: string;

  /** Writes the files of one revision to a fresh folder; `dispose` removes it. */
  static async checkout(
    files: Iterable<[string, Buffer | string]>,
    options: { helm?: string } = {},
  ): Promise<HelmTemplate> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-argocd-'));
    for (const [file, content] of files) {
      const target = path.join(root, file);
      if (!target.startsWith(root + path.sep))
        throw new HelmRenderError(`${file}: outside the repository`);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content);
    }
    return new HelmTemplate(root, options.helm);
  }

  private constructor(root: string, helm?: string) {
    this.#root = root;
    this.#helm = helm ?? process.env.HELM_BIN ?? 'helm';
  }

  /** The objects `helm template` renders for a source; throws `HelmRenderError` with Helm's words. */
  async render(source: HelmSource): Promise<KubeObject[]> {
    const chartDir = this.#inside(source.chartPath);
    const args = [
      'template',
      source.releaseName,
      chartDir,
      '--namespace',
      source.namespace,
    ];
    for (const file of source.valueFiles) {
      const resolved = this.#inside(path.join(source.chartPath, file));
      try {
        await fs.access(resolved);
      } catch {
        throw new HelmRenderError(`value file ${file} does not exist`);
      }
      args.push('--values', resolved);
    }
    for (const { name, value, forceString } of source.parameters) {
      args.push(
        forceString ? '--set-string' : '--set',
        `${name}=${value.replace(/([\\,])/g, '\\$1')}`,
      );
    }
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        this.#helm,
        args,
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, cwd: this.#root },
        (error, out, stderr) => {
          if (error) {
            const message = (stderr || error.message)
              .split(this.#root + path.sep)
              .join('')
              .trim();
            reject(new HelmRenderError(message));
          } else resolve(out);
        },
      );
    });
    const objects: KubeObject[] = [];
    for (const doc of parseAllDocuments(stdout)) {
      if (doc.errors.length)
        throw new HelmRenderError(
          `helm template output is not YAML: ${doc.errors[0].message}`,
        );
      const object = doc.toJS();
      if (object && typeof object === 'object') objects.push(object);
    }
    return objects;
  }

  async dispose(): Promise<void> {
    await fs.rm(this.#root, { recursive: true, force: true });
  }

  #inside(relative: string): string {
    const resolved = path.resolve(this.#root, relative);
    if (resolved !== this.#root && !resolved.startsWith(this.#root + path.sep))
      throw new HelmRenderError(`${relative}: outside the repository`);
    return resolved;
  }
}
