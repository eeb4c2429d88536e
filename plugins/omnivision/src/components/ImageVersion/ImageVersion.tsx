import type { ModelImageVersion } from '@internal/plugin-omnivision-common';

/**
 * An image as a person reads it: the catalog's version of its digest, or the digest's first
 * characters when the catalog lists no version of it (the full digest is the tooltip).
 */
export function ImageVersion(props: { image?: ModelImageVersion }) {
  const { image } = props;
  if (!image?.digest) return <>—</>;
  if (image.version) return <span title={image.digest}>{image.version}</span>;
  return (
    <code title={image.digest}>
      {image.digest.slice(0, 'sha256:'.length + 7)}
    </code>
  );
}
