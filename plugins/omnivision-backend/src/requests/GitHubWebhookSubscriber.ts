import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  RestPullRequest,
  RestReview,
  pullRequestFromRest,
  reviewFromRest,
} from '@internal/plugin-omnivision-node';
import type { OmniVisionMetrics, WebhookDeliveryOutcome } from '../metrics';
import type { RequestLifecycle } from './RequestLifecycle';

/** The GitHub events the request lifecycle follows, as the events backend's GitHub module routes them. */
export const GITHUB_TOPICS = [
  'github.pull_request',
  'github.pull_request_review',
  'github.status',
  'github.push',
] as const;

interface WebhookPayload {
  action?: string;
  repository?: { full_name?: string };
  sender?: { login?: string };
  pull_request?: RestPullRequest;
  review?: RestReview;
  sha?: string;
  context?: string;
  state?: string;
  description?: string | null;
  ref?: string;
  after?: string;
}

/**
 * Takes GitHub's webhooks for the GitOps repository into the request lifecycle, through
 * Backstage's events system (`@backstage/plugin-events-backend` receives them at
 * `/api/events/http/github`; its GitHub module checks `X-Hub-Signature-256` and routes them to
 * `github.<event>` topics): pull requests, reviews, commit statuses and pushes to a request's
 * branch change the request store. Events of other repositories, and of pull requests that are
 * not recorded requests, are ignored.
 */
export class GitHubWebhookSubscriber {
  readonly #lifecycle: RequestLifecycle;
  readonly #repository: string;
  readonly #logger: LoggerService;
  readonly #metrics: OmniVisionMetrics | undefined;

  static create(options: {
    lifecycle: RequestLifecycle;
    /** `owner/repo` of the GitOps repository. */
    repository: string;
    logger: LoggerService;
    /** Where each delivery is counted, by event and outcome. */
    metrics?: OmniVisionMetrics;
  }): GitHubWebhookSubscriber {
    return new GitHubWebhookSubscriber(options);
  }

  private constructor(
    options: Parameters<typeof GitHubWebhookSubscriber.create>[0],
  ) {
    this.#lifecycle = options.lifecycle;
    this.#repository = options.repository.toLocaleLowerCase('en-US');
    this.#logger = options.logger;
    this.#metrics = options.metrics;
  }

  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'omnivision-deployment-requests',
      topics: [...GITHUB_TOPICS],
      onEvent: params => this.handle(params),
    });
  }

  /**
   * One event, counted by its outcome; a failure is logged (the reconciler catches up with what
   * it missed).
   */
  async handle(params: EventParams): Promise<void> {
    const outcome = await this.#takeIn(params);
    this.#metrics?.webhookDeliveries.add(1, {
      event: params.topic.replace(/^github\./, ''),
      outcome,
    });
  }

  async #takeIn(params: EventParams): Promise<WebhookDeliveryOutcome> {
    const payload = params.eventPayload as WebhookPayload;
    if (
      payload.repository?.full_name?.toLocaleLowerCase('en-US') !==
      this.#repository
    ) {
      return 'ignored';
    }
    const actor = payload.sender?.login
      ? { login: payload.sender.login }
      : undefined;
    try {
      switch (params.topic) {
        case 'github.pull_request':
          if (!payload.pull_request) return 'ignored';
          await this.#lifecycle.pullRequestChanged(
            pullRequestFromRest(payload.pull_request),
            actor,
          );
          return 'accepted';
        case 'github.pull_request_review':
          if (!payload.pull_request || !payload.review) return 'ignored';
          await this.#lifecycle.reviewChanged(
            payload.pull_request.number,
            reviewFromRest(payload.review),
            actor,
          );
          return 'accepted';
        case 'github.status':
          if (!payload.sha || !payload.context || !payload.state) {
            return 'ignored';
          }
          await this.#lifecycle.statusChanged({
            sha: payload.sha,
            context: payload.context,
            state: payload.state,
            description: payload.description ?? undefined,
          });
          return 'accepted';
        case 'github.push':
          if (!payload.ref?.startsWith('refs/heads/') || !payload.after) {
            return 'ignored';
          }
          await this.#lifecycle.branchPushed(
            payload.ref.slice('refs/heads/'.length),
            payload.after,
          );
          return 'accepted';
        default:
          return 'ignored';
      }
    } catch (error) {
      this.#logger.warn(
        `could not take in GitHub's ${params.topic} event: ${error}`,
      );
      return 'failed';
    }
  }
}
