import { asc, eq } from 'drizzle-orm';
import type { Queue } from 'bullmq';
import type { Db } from '../db/database.js';
import { outbox } from '../db/schema.js';

/**
 * Moves outbox rows into their BullMQ queues (jobId = the row's deterministic job id, so a row sent
 * twice after a crash is still one job), deleting each row once its job exists.
 */
export class OutboxDispatcher {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly queues: Record<string, Queue>,
  ) {}

  /** Drains the outbox; concurrent calls coalesce into one more pass. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    for (;;) {
      const rows = await this.db.select().from(outbox).orderBy(asc(outbox.id)).limit(100);
      if (rows.length === 0) return;
      for (const row of rows) {
        const queue = this.queues[row.queue];
        if (!queue) throw new Error(`outbox row ${row.id} names unknown queue ${row.queue}`);
        await queue.add(row.queue, row.payload, {
          jobId: row.jobId,
          attempts: 10,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: false,
        });
        await this.db.delete(outbox).where(eq(outbox.id, row.id));
      }
    }
  }
}
