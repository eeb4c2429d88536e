/**
 * A duration in milliseconds, as Argo Rollouts reads pauses and analysis intervals: a whole
 * number of seconds (`30`), or a Go duration (`10m`, `1h30m`, `90s`, `1.5h`); absent means
 * indefinite. An unreadable duration is also indefinite (Argo Rollouts would refuse it).
 */
export function durationMs(duration: string | number | undefined): number {
  if (duration === undefined || duration === '') return Infinity;
  const text = String(duration);
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== text)
    return Infinity;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}
