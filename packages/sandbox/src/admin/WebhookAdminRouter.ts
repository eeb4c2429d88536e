import express, { Request, Response } from 'express';
import type { WebhookDeliverer } from '../github/webhooks/WebhookDeliverer';
import { parseWebhookConfig } from '../github/webhooks/WebhookConfig';

/**
 * The admin API of the GitHub App's webhook (`/sandbox/webhooks/`): its configuration, the
 * deliveries log, GitHub's manual redelivery, an outage (hold), and a wait for the queue.
 */
export function createWebhookAdminRouter(
  deliverer: WebhookDeliverer,
): express.Router {
  const router = express.Router();

  /** `{ url, secretConfigured, held }`: never the secret. */
  router.get('/config', (_req, res) => {
    res.json(deliverer.config);
  });

  /** `{ "url": string | null, "secret"?: string }`; bad input changes nothing. */
  router.put('/config', (req, res) => {
    try {
      deliverer.configure(parseWebhookConfig(req.body));
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
      return;
    }
    res.json(deliverer.config);
  });

  router.get('/deliveries', (_req, res) => {
    res.json({ items: deliverer.deliveries() });
  });

  const deliveryId = (req: Request, res: Response): number | undefined => {
    const id = Number(req.params.id);
    if (Number.isInteger(id) && deliverer.delivery(id)) return id;
    res
      .status(404)
      .json({ error: `no delivery ${JSON.stringify(req.params.id)}` });
    return undefined;
  };

  router.get('/deliveries/:id', (req, res) => {
    const id = deliveryId(req, res);
    if (id !== undefined) res.json(deliverer.delivery(id));
  });

  /** GitHub's redelivery: a new delivery of the same payload, `redelivery: true`. */
  router.post('/deliveries/:id/redeliver', (req, res) => {
    const id = deliveryId(req, res);
    if (id !== undefined) res.status(202).json(deliverer.redeliver(id));
  });

  /** An outage: events from now on are logged `held`, and never sent by themselves. */
  router.post('/hold', (_req, res) => {
    deliverer.hold();
    res.json(deliverer.config);
  });

  router.delete('/hold', (_req, res) => {
    deliverer.release();
    res.json(deliverer.config);
  });

  /** Answers once no delivery is pending (each is delivered, failed or held). */
  router.post('/drain', async (_req, res) => {
    await deliverer.drain();
    res.json({ pending: 0 });
  });

  return router;
}
