/** A small Prometheus text-format registry (counters and gauges with labels); no extra dependency. */
type Labels = Record<string, string>;

const key = (labels: Labels) => Object.entries(labels).sort().map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<[Labels, number][]> | [Labels, number][] }>();
  private tokenWindow: { at: number; tokens: number }[] = [];

  counter(name: string, help: string): void {
    if (!this.counters.has(name)) this.counters.set(name, { help, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const c = this.counters.get(name);
    if (!c) throw new Error(`unknown counter ${name}`);
    const k = key(labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  gauge(name: string, help: string, read: () => Promise<[Labels, number][]> | [Labels, number][]): void {
    this.gauges.set(name, { help, read });
  }

  /** Generated tokens, for the tokens-per-second gauge over the last minute. */
  observeTokens(tokens: number): void {
    const now = Date.now();
    this.tokenWindow.push({ at: now, tokens });
    while (this.tokenWindow.length && this.tokenWindow[0]!.at < now - 60_000) this.tokenWindow.shift();
  }

  tokensPerSecond(): number {
    const now = Date.now();
    const recent = this.tokenWindow.filter((t) => t.at >= now - 60_000);
    return recent.reduce((s, t) => s + t.tokens, 0) / 60;
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, c] of this.counters) {
      lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      if (c.values.size === 0) lines.push(`${name} 0`);
      for (const [k, v] of c.values) lines.push(k ? `${name}{${k}} ${v}` : `${name} ${v}`);
    }
    for (const [name, g] of this.gauges) {
      lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      for (const [labels, v] of await g.read()) {
        const k = key(labels);
        lines.push(k ? `${name}{${k}} ${v}` : `${name} ${v}`);
      }
    }
    return lines.join('\n') + '\n';
  }
}
