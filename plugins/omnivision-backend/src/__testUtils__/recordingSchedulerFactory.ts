import {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { durationToMilliseconds } from '@backstage/types';

/** One run of a scheduled task on one backend, timed by the test's clock. */
export interface TaskRun {
  /** The backend that ran it, e.g. `primary` or `replica-1`. */
  backend: string;
  taskId: string;
  scope: 'global' | 'local';
  /** The task's frequency, when it is a duration (not cron or manual). */
  frequencyMs?: number;
  startedAt: number;
  /** Unset while the run goes on. */
  endedAt?: number;
}

function frequencyMsOf(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): number | undefined {
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  if ('toMillis' in frequency && typeof frequency.toMillis === 'function') {
    return frequency.toMillis();
  }
  return durationToMilliseconds(
    frequency as Parameters<typeof durationToMilliseconds>[0],
  );
}

/**
 * Backstage's own scheduler (`DefaultSchedulerService`: global tasks locked in the database),
 * each run of each task recorded in `runs` with the backend's name: what a test asserts about
 * who ran which task when, across replicas.
 */
export function recordingSchedulerFactory(backend: string, runs: TaskRun[]) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {
      database: coreServices.database,
      logger: coreServices.logger,
      rootLifecycle: coreServices.rootLifecycle,
      httpRouter: coreServices.httpRouter,
      pluginMetadata: coreServices.pluginMetadata,
      metrics: metricsServiceRef,
    },
    factory(deps): SchedulerService {
      const scheduler = DefaultSchedulerService.create(deps);
      const recorded = (
        task: SchedulerServiceTaskScheduleDefinition &
          SchedulerServiceTaskInvocationDefinition,
      ) => ({
        ...task,
        fn: async (signal: AbortSignal) => {
          const run: TaskRun = {
            backend,
            taskId: task.id,
            scope: task.scope ?? 'global',
            frequencyMs: frequencyMsOf(task.frequency),
            startedAt: Date.now(),
          };
          runs.push(run);
          try {
            await task.fn(signal);
          } finally {
            run.endedAt = Date.now();
          }
        },
      });
      return {
        triggerTask: id => scheduler.triggerTask(id),
        cancelTask: id => scheduler.cancelTask(id),
        getScheduledTasks: () => scheduler.getScheduledTasks(),
        scheduleTask: task => scheduler.scheduleTask(recorded(task)),
        createScheduledTaskRunner: schedule => ({
          run: task =>
            scheduler.scheduleTask(recorded({ ...task, ...schedule })),
        }),
      };
    },
  });
}
