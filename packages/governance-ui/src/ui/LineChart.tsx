import { useId } from 'react';

export interface ChartSeries {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface LineChartProps {
  title: string;
  series: ChartSeries[];
  formatX(x: number): string;
  formatY(y: number): string;
  /** Draw each series as steps (value holds until the next point), e.g. voting power. */
  step?: boolean;
  height?: number;
}

const W = 640;
const PAD = { left: 72, right: 12, top: 12, bottom: 28 };

function ticks(min: number, max: number, count: number): number[] {
  if (max === min) return [min];
  return Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);
}

/**
 * A dependency-free SVG line chart. The SVG is decorative for screen readers; the same numbers are
 * in a data table inside a <details> element.
 */
export function LineChart({ title, series, formatX, formatY, step = false, height = 220 }: LineChartProps) {
  const titleId = useId();
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="muted">{title}: no data yet.</p>;
  const xMin = Math.min(...all.map((p) => p.x));
  const xMax = Math.max(...all.map((p) => p.x));
  const yMax = Math.max(...all.map((p) => p.y), 0) || 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + (xMax === xMin ? innerW / 2 : ((x - xMin) / (xMax - xMin)) * innerW);
  const sy = (y: number) => PAD.top + innerH - (y / yMax) * innerH;
  const path = (points: { x: number; y: number }[]) => {
    const sorted = [...points].sort((a, b) => a.x - b.x);
    const out: string[] = [];
    sorted.forEach((p, i) => {
      if (i === 0) out.push(`M${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
      else {
        if (step) out.push(`H${sx(p.x).toFixed(1)}`);
        out.push(`L${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
      }
    });
    if (step && sorted.length) out.push(`H${sx(xMax).toFixed(1)}`);
    return out.join('');
  };
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`${title} (chart; data table below)`} preserveAspectRatio="xMidYMid meet">
        {ticks(0, yMax, 4).map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end" className="tick">
              {formatY(t)}
            </text>
          </g>
        ))}
        {ticks(xMin, xMax, 4).map((t, i, all) => (
          <text key={`x${t}`} x={sx(t)} y={height - 8} textAnchor={i === 0 && all.length > 1 ? 'start' : i === all.length - 1 && all.length > 1 ? 'end' : 'middle'} className="tick">
            {formatX(t)}
          </text>
        ))}
        {series.map((s) => (
          <path key={s.label} d={path(s.points)} fill="none" stroke={s.color} strokeWidth={2} />
        ))}
      </svg>
      {series.length > 1 && (
        <ul className="legend">
          {series.map((s) => (
            <li key={s.label}>
              <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Data table: {title}</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">x</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {xs.map((x) => (
                <tr key={x}>
                  <th scope="row">{formatX(x)}</th>
                  {series.map((s) => {
                    const p = s.points.find((q) => q.x === x);
                    return <td key={s.label}>{p ? formatY(p.y) : '–'}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
