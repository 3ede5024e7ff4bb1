/**
 * A bar chart in plain SVG. One chart on one page doesn't justify a charting library (the common
 * ones add 50-100 KB gzip); this draws bars, a few gridlines and labels, and each bar carries a
 * <title> so its exact value is one hover (or screen-reader focus) away.
 */
export interface Bar {
  label: string;
  value: number;
  /** Longer text for the tooltip and assistive technology. */
  description: string;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const ticks = niceTicks(max);
  const top = ticks.at(-1)!;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, bars.length);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  // Label every day when there is room, else every few, so labels never overlap.
  const labelEvery = Math.ceil(bars.length / 14);

  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line className="axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
          <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end">{tick}</text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const height = y(0) - y(bar.value);
        const x = PAD.left + index * slot + slot * 0.15;
        return (
          <g key={bar.label}>
            <rect className="bar" x={x} y={y(bar.value)} width={slot * 0.7} height={Math.max(height, bar.value > 0 ? 1 : 0)} rx={2}>
              <title>{bar.description}</title>
            </rect>
            {index % labelEvery === 0 && (
              <text x={x + slot * 0.35} y={HEIGHT - 10} textAnchor="middle">{bar.label}</text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** 0 and up to four round steps covering `max` (0, 5, 10, 15, 20). */
function niceTicks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? magnitude * 10);
  const ticks = [0];
  while (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step);
  return ticks;
}
