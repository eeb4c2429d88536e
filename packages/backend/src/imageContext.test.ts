import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');
const read = (file: string) =>
  fs.readFileSync(path.join(repoRoot, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of each stage of a Dockerfile, continuation lines joined. */
function dockerfileStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  for (const line of lines) {
    const [, keyword, args] = line.match(/^(\w+)\s+(.*)$/)!;
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/** What a path of the build context is excluded by, per .dockerignore (null: it is sent). */
function dockerignoreExclusion(ignore: string, file: string): string | null {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\/+|\/+$/g, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\/?/g, '§')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/§/g, '(?:.*/)?')}$`,
    );
  const prefixes = file
    .split('/')
    .map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let excludedBy: string | null = null;
  for (const raw of ignore.split('\n').map(l => l.trim())) {
    if (!raw || raw.startsWith('#')) continue;
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (prefixes.some(p => toRegExp(pattern).test(p))) {
      excludedBy = negated ? null : pattern;
    }
  }
  return excludedBy;
}

/** Where the final stage puts a file of the build context, or undefined when it copies it nowhere. */
function imagePathOf(finalStage: Instruction[], contextFile: string) {
  let workdir = '/';
  let found: string | undefined;
  for (const { keyword, args } of finalStage) {
    if (keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, args);
    if (keyword !== 'COPY' || /--from=/.test(args)) continue;
    const words = args.split(/\s+/).filter(w => !w.startsWith('--'));
    const dest = path.posix.resolve(workdir, words.pop()!);
    const intoFolder = words.length > 1 || /\/$/.test(args.split(/\s+/).pop()!);
    for (const source of words.map(s => s.replace(/^\.\/|\/$/g, ''))) {
      const glob = new RegExp(
        `^${source.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`,
      );
      if (glob.test(contextFile)) {
        found = intoFolder
          ? path.posix.join(dest, path.posix.basename(contextFile))
          : dest;
      } else if (contextFile.startsWith(`${source}/`)) {
        found = path.posix.join(dest, contextFile.slice(source.length + 1));
      }
    }
  }
  return found;
}

describe('the image (packages/backend/Dockerfile)', () => {
  const stages = dockerfileStages(read('packages/backend/Dockerfile'));
  const finalStage = stages[stages.length - 1];
  const workdir = finalStage
    .filter(i => i.keyword === 'WORKDIR')
    .map(i => i.args)
    .reduce((at, dir) => path.posix.resolve(at, dir), '/');
  const cmd: string[] = JSON.parse(
    finalStage.find(i => i.keyword === 'CMD')!.args,
  );
  const configFiles = cmd.flatMap((arg, i) =>
    cmd[i - 1] === '--config' ? [arg] : [],
  );
  const ignore = read('.dockerignore');

  /** The repository file a path the portal opens in the container must be, and where it lands. */
  function expectInImage(file: string, cwd = workdir) {
    const inImage = path.posix.resolve(cwd, file);
    const contextFile = path.posix.relative(workdir, inImage);
    expect({
      file,
      exists: fs.existsSync(path.join(repoRoot, contextFile)),
    }).toEqual({
      file,
      exists: true,
    });
    expect({
      file,
      excludedBy: dockerignoreExclusion(ignore, contextFile),
    }).toEqual({
      file,
      excludedBy: null,
    });
    expect({ file, copiedTo: imagePathOf(finalStage, contextFile) }).toEqual({
      file,
      copiedTo: inImage,
    });
  }

  it('builds in stages, runs as a non-root user, and starts with production config', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const runs = stages
      .flat()
      .filter(i => i.keyword === 'RUN')
      .map(i => i.args);
    expect(runs.join('\n')).toMatch(/yarn install --immutable/);
    expect(runs.join('\n')).toMatch(/yarn tsc && yarn build:backend/);
    expect(
      finalStage
        .filter(i => i.keyword === 'RUN')
        .map(i => i.args)
        .join('\n'),
    ).toMatch(/yarn workspaces focus --all --production/);
    const user = finalStage.filter(i => i.keyword === 'USER').pop()!.args;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(configFiles).toEqual([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
  });

  it('holds every file the production config names: the config, catalog locations, templates', () => {
    const configs = configFiles.map(file => {
      expectInImage(file);
      return { context: file, data: parse(read(file)) };
    });
    const merged = ConfigReader.fromConfigs(configs);
    const fileLocations = merged
      .getConfigArray('catalog.locations')
      .filter(l => l.getString('type') === 'file')
      .map(l => l.getString('target'));
    expect(fileLocations).toEqual(
      expect.arrayContaining(['./templates/deploy-model/template.yaml']),
    );
    for (const target of fileLocations) expectInImage(target);

    // Every `$file` / `$include` of the config files, and every `…File` setting in force.
    const named: string[] = [];
    const walk = (node: unknown, key = ''): void => {
      if (Array.isArray(node)) node.forEach(n => walk(n, key));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if ((k === '$file' || k === '$include') && typeof v === 'string') {
            named.push(v);
          } else walk(v, k);
        }
      } else if (
        /File$/.test(key) &&
        typeof node === 'string' &&
        !node.includes('${')
      ) {
        named.push(node);
      }
    };
    configs.forEach(c => walk(c.data));
    walk(merged.get());
    for (const file of named.filter(f => !path.isAbsolute(f)))
      expectInImage(file);
  });

  it('holds the GitOps chart, the contract of the values the portal writes', () => {
    expect.assertions(9);
    for (const file of [
      'gitops/charts/omnivision-platform/Chart.yaml',
      'gitops/charts/omnivision-platform/values.schema.json',
      'gitops/charts/omnivision-platform/templates/rollout.yaml',
    ]) {
      expectInImage(file);
    }
  });

  it('judges the context as Docker does: a file left out or ignored is caught', () => {
    expect(dockerignoreExclusion('catalog\n', 'catalog/org.yaml')).toBe(
      'catalog',
    );
    expect(dockerignoreExclusion('**/node_modules\n', 'a/node_modules/x')).toBe(
      '**/node_modules',
    );
    expect(
      dockerignoreExclusion('*.yaml\n!keep.yaml\n', 'keep.yaml'),
    ).toBeNull();
    expect(imagePathOf(finalStage, 'README.md')).toBeUndefined();
    expect(
      imagePathOf(
        [
          { keyword: 'WORKDIR', args: '/app' },
          { keyword: 'COPY', args: 'catalog ./catalog' },
        ],
        'catalog/org.yaml',
      ),
    ).toBe('/app/catalog/org.yaml');
  });
});
