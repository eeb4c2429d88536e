import { structuredPatch } from 'diff';

export interface FileDiff {
  additions: number;
  deletions: number;
  /** Unified diff hunks as GitHub's `patch` gives them (no ---/+++ header); none for binaries. */
  patch?: string;
}

const isBinary = (content: Buffer) => content.includes(0);

/** A hunk header's range as git writes it: the count is left out when it is 1. */
const range = (start: number, lines: number) =>
  lines === 1 ? `${start}` : `${lines === 0 ? start - 1 : start},${lines}`;

/**
 * The line-level difference of one file between two versions (undefined for a file that does
 * not exist on that side), with three lines of context like `git diff`.
 */
export function diffFile(
  before: Buffer | undefined,
  after: Buffer | undefined,
): FileDiff {
  if ((before && isBinary(before)) || (after && isBinary(after)))
    return { additions: 0, deletions: 0 };
  const { hunks } = structuredPatch(
    'a',
    'b',
    before?.toString('utf8') ?? '',
    after?.toString('utf8') ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  // Like git's default hunk heading: the last line above the hunk that starts a "section"
  // (a letter, `_` or `$` in its first column), cut at 80 characters.
  const oldLines = (before?.toString('utf8') ?? '').split('\n');
  const heading = (oldStart: number) => {
    for (let i = oldStart - 2; i >= 0; i--)
      if (/^[A-Za-z_$]/.test(oldLines[i]))
        return ` ${oldLines[i].trimEnd().slice(0, 80)}`;
    return '';
  };
  let additions = 0;
  let deletions = 0;
  const text: string[] = [];
  for (const hunk of hunks) {
    text.push(
      `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(
        hunk.newStart,
        hunk.newLines,
      )} @@${heading(hunk.oldStart)}`,
    );
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
      text.push(line);
    }
  }
  return {
    additions,
    deletions,
    ...(hunks.length ? { patch: text.join('\n') } : {}),
  };
}
