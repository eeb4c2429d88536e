import type { z as zod } from 'zod/v3';

/**
 * A DNS-1123 label (RFC 1123, as Kubernetes names most objects): lower-case letters, digits and
 * dashes, starting and ending with a letter or digit, at most 63 characters. Model, cluster and
 * file names go through it, so no path or YAML can be steered through them.
 *
 * @public
 */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The longest DNS-1123 label. @public */
export const DNS_1123_LABEL_MAX_LENGTH = 63;

/** Whether a name is a DNS-1123 label. @public */
export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_1123_LABEL_MAX_LENGTH && DNS_1123_LABEL.test(name);
}

/** The DNS-1123 label rule as a zod schema, built with the caller's zod. @public */
export function dnsLabelSchema(z: typeof zod) {
  return z
    .string()
    .max(
      DNS_1123_LABEL_MAX_LENGTH,
      `must be at most ${DNS_1123_LABEL_MAX_LENGTH} characters`,
    )
    .regex(
      DNS_1123_LABEL,
      'must be a DNS-1123 label: lower-case letters, digits and dashes',
    );
}
