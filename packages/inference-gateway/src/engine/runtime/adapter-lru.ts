/**
 * Bookkeeping of adapters resident in llama.cpp memory: least-recently-used order, a byte budget,
 * pins (never evicted) and in-use counts (never evicted while a request runs with them).
 * Pure data structure; the runtime does the actual loading and freeing.
 */
export interface ResidentAdapter {
  sha256: string;
  path: string;
  bytes: number;
  inUse: number;
}

export class AdapterLru {
  private readonly entries = new Map<string, ResidentAdapter>(); // insertion order = LRU order
  private readonly pins = new Set<string>();
  private bytes = 0;

  constructor(private readonly maxBytes: number, private readonly maxCount = Number.POSITIVE_INFINITY) {}

  get(sha256: string): ResidentAdapter | undefined {
    const e = this.entries.get(sha256);
    if (e) {
      this.entries.delete(sha256);
      this.entries.set(sha256, e);
    }
    return e;
  }

  has(sha256: string): boolean {
    return this.entries.has(sha256);
  }

  add(entry: ResidentAdapter): void {
    this.entries.set(entry.sha256, entry);
    this.bytes += entry.bytes;
  }

  remove(sha256: string): void {
    const e = this.entries.get(sha256);
    if (!e) return;
    this.entries.delete(sha256);
    this.bytes -= e.bytes;
  }

  pin(sha256: string, pinned: boolean): void {
    if (pinned) this.pins.add(sha256);
    else this.pins.delete(sha256);
  }

  isPinned(sha256: string): boolean {
    return this.pins.has(sha256);
  }

  /** Entries to evict, oldest first, so that `incomingBytes` more fit the budget. */
  victims(incomingBytes: number): ResidentAdapter[] {
    const out: ResidentAdapter[] = [];
    let bytes = this.bytes + incomingBytes;
    let count = this.entries.size + (incomingBytes > 0 ? 1 : 0);
    for (const e of this.entries.values()) {
      if (bytes <= this.maxBytes && count <= this.maxCount) break;
      if (e.inUse > 0 || this.pins.has(e.sha256)) continue;
      out.push(e);
      bytes -= e.bytes;
      count -= 1;
    }
    return out;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}
