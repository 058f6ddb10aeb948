import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildPool } from './build-pool.js';
import { MAX_SEGMENT_SLOTS, Segment, type ContributionTokens } from './segment.js';

export interface DatanetIndexOptions {
  /** Merge when this many segments below half the maximum size exist. */
  mergeFactor?: number;
  /** Token slots per segment (a shard), at most MAX_SEGMENT_SLOTS. */
  maxSegmentSlots?: number;
}

interface Manifest {
  nextSegment: number;
  segments: string[];
}

/**
 * The span index of one datanet: immutable segments (shards) of a suffix array each, one new segment
 * per accepted contribution, merged in the background (tiered, like an LSM tree) up to a maximum
 * shard size. The manifest is replaced atomically (write + rename), so a crash leaves either the old
 * or the new set of segments. Queries read a snapshot array of segments; mutations are serialized.
 */
export class DatanetIndex {
  segments: readonly Segment[] = [];
  private manifest: Manifest = { nextSegment: 1, segments: [] };
  private readonly owner = new Map<string, Segment>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly mergeFactor: number;
  private readonly maxSlots: number;
  /** Number of mutations applied since load (for diagnostics). */
  version = 0;

  private constructor(readonly dir: string, readonly datanetId: string, private readonly pool: BuildPool, options: DatanetIndexOptions) {
    this.mergeFactor = options.mergeFactor ?? 4;
    this.maxSlots = Math.min(options.maxSegmentSlots ?? MAX_SEGMENT_SLOTS, MAX_SEGMENT_SLOTS);
  }

  static open(dir: string, datanetId: string, pool: BuildPool, options: DatanetIndexOptions = {}): DatanetIndex {
    const index = new DatanetIndex(dir, datanetId, pool, options);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'manifest.json');
    if (existsSync(path)) index.manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    index.setSegments(index.manifest.segments.map((id) => Segment.load(dir, id)));
    // Files of segments a crash left out of the manifest.
    const live = new Set(index.manifest.segments);
    for (const file of readdirSync(dir)) {
      const id = file.split('.')[0]!;
      if (file !== 'manifest.json' && !live.has(id)) rmSync(join(dir, file), { force: true });
    }
    return index;
  }

  get tokenCount(): number {
    return this.segments.reduce((sum, s) => sum + s.tokenCount, 0);
  }

  get byteSize(): number {
    return this.segments.reduce((sum, s) => sum + s.byteSize, 0);
  }

  has(contributionId: string): boolean {
    return this.owner.has(contributionId);
  }

  contributionIds(): string[] {
    return [...this.owner.keys()];
  }

  /** Indexes one accepted contribution (idempotent). */
  addContribution(contribution: ContributionTokens): Promise<void> {
    return this.serialize(async () => {
      if (this.owner.has(contribution.contributionId)) return;
      const segment = await this.buildSegment([contribution]);
      this.commit([...this.segments, segment], []);
    });
  }

  /** Indexes many contributions as one segment per maxSegmentSlots (bulk loads, benches). */
  addMany(contributions: ContributionTokens[]): Promise<void> {
    return this.serialize(async () => {
      const fresh = contributions.filter((c) => !this.owner.has(c.contributionId));
      const groups = groupBySlots(fresh, this.maxSlots);
      const built = await Promise.all(groups.map((g) => this.buildSegment(g)));
      this.commit([...this.segments, ...built], []);
    });
  }

  /** Removes a contribution: its segment is rebuilt without it before this resolves. */
  revoke(contributionId: string): Promise<boolean> {
    return this.serialize(async () => {
      const segment = this.owner.get(contributionId);
      if (!segment) return false;
      const rest = segment.decode().filter((c) => c.contributionId !== contributionId);
      const replacement = rest.length > 0 ? [await this.buildSegment(rest)] : [];
      this.commit([...this.segments.filter((s) => s !== segment), ...replacement], [segment]);
      return true;
    });
  }

  /** Merges small segments while a tier of `mergeFactor` of them exists; returns the merges done. */
  merge(): Promise<number> {
    return this.serialize(async () => {
      let merges = 0;
      for (;;) {
        const small = this.segments.filter((s) => s.data.slots < this.maxSlots / 2).sort((a, b) => a.data.slots - b.data.slots);
        if (small.length < this.mergeFactor) return merges;
        const pick: Segment[] = [];
        let slots = 0;
        for (const s of small) {
          if (slots + s.data.slots > this.maxSlots) break;
          pick.push(s);
          slots += s.data.slots;
        }
        if (pick.length < 2) return merges;
        const merged = await this.buildSegment(pick.flatMap((s) => s.decode()));
        this.commit([...this.segments.filter((s) => !pick.includes(s)), merged], pick);
        merges++;
      }
    });
  }

  private async buildSegment(input: ContributionTokens[]): Promise<Segment> {
    const id = `s${this.manifest.nextSegment++}`;
    const segment = new Segment(id, await this.pool.build(input));
    segment.save(this.dir);
    return segment;
  }

  private commit(segments: Segment[], dropped: Segment[]): void {
    this.manifest = { nextSegment: this.manifest.nextSegment, segments: segments.map((s) => s.id) };
    const path = join(this.dir, 'manifest.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(this.manifest));
    renameSync(`${path}.tmp`, path);
    this.setSegments(segments);
    for (const s of dropped) for (const ext of ['tok', 'sa', 'vocab', 'counts', 'starts', 'filter', 'meta.json']) rmSync(join(this.dir, `${s.id}.${ext}`), { force: true });
    this.version++;
  }

  private setSegments(segments: Segment[]): void {
    this.segments = segments;
    this.owner.clear();
    for (const s of segments) for (const c of s.contributions) this.owner.set(c.contributionId, s);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function groupBySlots(contributions: ContributionTokens[], maxSlots: number): ContributionTokens[][] {
  const groups: ContributionTokens[][] = [];
  let current: ContributionTokens[] = [];
  let slots = 0;
  for (const c of contributions) {
    const size = c.records.reduce((s, r) => s + r.length + 1, 0);
    if (current.length > 0 && slots + size > maxSlots) {
      groups.push(current);
      current = [];
      slots = 0;
    }
    current.push(c);
    slots += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
