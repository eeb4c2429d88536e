import express from 'express';
import {
  ImageFaults,
  isImageDigest,
  parseImageFault,
} from '../prometheus/ImageFaults';

/**
 * `/sandbox/images/faults`: `POST { digest, cudaErrorsPerMinute }` makes the pods of an image
 * report CUDA faults (DCGM XID errors) at that rate; `DELETE` (with `digest` in the query or
 * body) clears one image's fault, or all of them without; `GET` lists them.
 */
export function createImageFaultsAdminRouter(
  faults: ImageFaults,
): express.Router {
  const router = express.Router();
  const shape = () =>
    faults.list().map(f => ({
      digest: f.digest,
      cudaErrorsPerMinute: f.cudaErrorsPerMinute,
      since: new Date(f.since).toISOString(),
    }));

  router.get('/', (_req, res) => {
    res.json({ faults: shape() });
  });

  router.post('/', (req, res) => {
    try {
      const { digest, cudaErrorsPerMinute } = parseImageFault(req.body);
      faults.set(digest, cudaErrorsPerMinute);
      res.json({ faults: shape() });
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });

  router.delete('/', (req, res) => {
    const digest = (req.query.digest as string | undefined) ?? req.body?.digest;
    if (digest !== undefined && !isImageDigest(digest)) {
      res.status(400).json({
        error:
          '"digest" must be an image digest: "sha256:" and 64 lowercase hex digits',
      });
      return;
    }
    const cleared = faults.clear(digest);
    res.json({ cleared, faults: shape() });
  });
  return router;
}
