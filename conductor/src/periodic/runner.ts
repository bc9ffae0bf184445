/** Runs periodic jobs: one timer per job, never overlapping itself, errors logged (a DB blip must not kill it). */
import type { Logger } from '../log.ts';

export interface PeriodicJob {
  name: string;
  /** seconds; <= 0 disables the job */
  interval: number;
  run(): Promise<unknown>;
}

export class PeriodicRunner {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  constructor(private readonly log: Logger) {}

  add(job: PeriodicJob, runNow = false): void {
    if (!(job.interval > 0)) return;
    let busy = false;
    const tick = () => {
      if (busy || this.stopped) return;
      busy = true;
      const p = job
        .run()
        .catch((err) => this.log.warn(`periodic task ${job.name} failed`, { error: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          busy = false;
          this.running.delete(p);
        });
      this.running.add(p);
    };
    const t = setInterval(tick, job.interval * 1000);
    t.unref();
    this.timers.push(t);
    if (runNow) tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await Promise.allSettled([...this.running]);
  }
}
