/**
 * Where the time of one inference request goes, stage by stage (HTTP in, auth, rate limit, admission,
 * credit, dispatch + engine, usage row, reply). Off unless a sink is attached (the bench attaches one);
 * a request without a sink pays one `undefined` check per stage.
 */
export class StageTimings {
  private readonly samples = new Map<string, number[]>();

  begin(): StageClock {
    return new StageClock(this);
  }

  add(stage: string, ms: number): void {
    let xs = this.samples.get(stage);
    if (!xs) this.samples.set(stage, (xs = []));
    xs.push(ms);
  }

  reset(): void {
    this.samples.clear();
  }

  /** Stages in the order first seen, with their sample count and p50/p99 in ms. */
  summary(): { stage: string; n: number; p50: number; p99: number }[] {
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    return [...this.samples.entries()].map(([stage, xs]) => ({ stage, n: xs.length, p50: q(xs, 0.5), p99: q(xs, 0.99) }));
  }
}

/** One request's clock: each `mark` records the time since the previous mark under the given stage. */
export class StageClock {
  private last = performance.now();

  constructor(private readonly sink: StageTimings) {}

  mark(stage: string): void {
    const now = performance.now();
    this.sink.add(stage, now - this.last);
    this.last = now;
  }

  /** Records a duration measured elsewhere (e.g. Fastify's time before the handler) without moving the clock. */
  record(stage: string, ms: number): void {
    this.sink.add(stage, ms);
  }
}
