import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  DeploymentRequestState,
  REQUESTS_NOTIFICATION_TOPIC,
  REQUESTS_SIGNAL_CHANNEL,
  RequestChangedSignal,
} from '@internal/plugin-omnivision-common';

/** The page of a request in the portal. */
export function requestPath(pullRequestNumber: number): string {
  return `/deployments/${pullRequestNumber}`;
}

/** A notification about a request: to whom, and what it says. */
export interface RequestNotification {
  pullRequestNumber: number;
  /** User or group entity refs; a group reaches its members. */
  to: string[];
  /** Left out of a group's members (the requester, for the review request). */
  except?: string;
  title: string;
  description: string;
  severity: 'low' | 'normal' | 'high' | 'critical';
  /** What happened, so that the same news replaces rather than repeats (e.g. `merged`). */
  kind: string;
}

/**
 * Tells people about requests: a signal to every open request page when a request changed
 * (broadcast: it names the request and its state only; pages read the rest with their
 * permissions), and notifications to the people concerned. A failure to tell is logged, never
 * fails what changed.
 */
export class RequestNotifier {
  readonly #signals?: SignalsService;
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;

  static create(options: {
    signals?: SignalsService;
    notifications?: NotificationService;
    logger: LoggerService;
  }): RequestNotifier {
    return new RequestNotifier(options);
  }

  private constructor(options: {
    signals?: SignalsService;
    notifications?: NotificationService;
    logger: LoggerService;
  }) {
    this.#signals = options.signals;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  async changed(
    pullRequestNumber: number,
    state: DeploymentRequestState,
  ): Promise<void> {
    if (!this.#signals) return;
    try {
      await this.#signals.publish<RequestChangedSignal>({
        recipients: { type: 'broadcast' },
        channel: REQUESTS_SIGNAL_CHANNEL,
        message: {
          pullRequestNumber,
          state,
          updatedAt: new Date().toISOString(),
        },
      });
    } catch (error) {
      this.#logger.warn(
        `could not signal the change of request #${pullRequestNumber}: ${error}`,
      );
    }
  }

  async notify(notification: RequestNotification): Promise<void> {
    if (!this.#notifications) return;
    const { pullRequestNumber } = notification;
    try {
      await this.#notifications.send({
        recipients: {
          type: 'entity',
          entityRef: notification.to,
          ...(notification.except && {
            excludeEntityRef: notification.except,
          }),
        },
        payload: {
          title: notification.title,
          description: notification.description,
          link: requestPath(pullRequestNumber),
          severity: notification.severity,
          topic: REQUESTS_NOTIFICATION_TOPIC,
          scope: `omnivision-request-${pullRequestNumber}-${notification.kind}`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `could not notify ${notification.to.join(
          ', ',
        )} about request #${pullRequestNumber}: ${error}`,
      );
    }
  }
}
