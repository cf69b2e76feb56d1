/** A grouped bar chart as standalone SVG, with a logarithmic axis (the floor and the servers differ by decades). */
export interface ChartSeries {
  name: string;
  color: string;
}

export interface ChartGroup {
  label: string;
  /** One value per series, in series order; NaN or undefined leaves a gap. */
  values: (number | undefined)[];
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The plot area of a chart and the SVG written so far: the canvas, its title, then what the chart draws. */
interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  plotW: number;
  plotH: number;
  out: string[];
}

/** Starts a chart: the canvas of the given size (or the chart's default), white, with the title centred above. */
function frame(
  options: { title: string; width?: number; height?: number },
  defaults: { height: number; margin: Frame['margin'] },
): Frame {
  const width = options.width ?? 900;
  const height = options.height ?? defaults.height;
  const margin = defaults.margin;
  return {
    width,
    height,
    margin,
    plotW: width - margin.left - margin.right,
    plotH: height - margin.top - margin.bottom,
    out: [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`,
    ],
  };
}

/** The y axis's label, turned along it, and the two axes. */
function axes(f: Frame, yLabel: string): void {
  const { margin, plotW, plotH } = f;
  f.out.push(
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333333"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333333"/>`,
  );
}

/**
 * The legend along the bottom, from the left axis: a swatch and a name for each entry, `gap` pixels plus the name's
 * width apart, the names' baseline `baseline` pixels above the bottom; then `note`, if any. Closes the SVG.
 */
function legendAndEnd(
  f: Frame,
  entries: readonly ChartSeries[],
  layout: { baseline: number; gap: number },
  note?: string,
): string {
  let lx = f.margin.left;
  const y = f.height - layout.baseline;
  for (const s of entries) {
    f.out.push(
      `<rect x="${lx}" y="${y - 10}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="${y}">${escape(s.name)}</text>`,
    );
    lx += layout.gap + s.name.length * 7;
  }
  if (note) f.out.push(`<text x="${lx + 8}" y="${y}" fill="#555555">${escape(note)}</text>`);
  f.out.push('</svg>');
  return f.out.join('\n') + '\n';
}

export function groupedBarChart(options: {
  title: string;
  yLabel: string;
  series: ChartSeries[];
  groups: ChartGroup[];
  width?: number;
  height?: number;
  /** Legend entries, when they are not simply the series (a note may follow them). */
  legend?: ChartSeries[];
  legendNote?: string;
}): string {
  const f = frame(options, { height: 420, margin: { top: 56, right: 20, bottom: 70, left: 70 } });
  const { margin, plotW, plotH, out } = f;
  const values = options.groups.flatMap((g) => g.values).filter((v): v is number => v !== undefined && v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 10)));
  const y = (v: number) => margin.top + plotH - ((Math.log10(v) - lo) / (hi - lo)) * plotH;
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#dddddd"/>`,
      `<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${format(v)}</text>`,
    );
  }
  axes(f, `${options.yLabel} (log scale)`);
  const groupW = plotW / Math.max(1, options.groups.length);
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, options.series.length));
  options.groups.forEach((group, gi) => {
    const x0 = margin.left + gi * groupW + (groupW - barW * options.series.length) / 2;
    group.values.forEach((value, si) => {
      if (value === undefined || !(value > 0)) return;
      const x = x0 + si * barW;
      const top = y(Math.max(value, 10 ** lo));
      out.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(margin.top + plotH - top).toFixed(1)}" fill="${options.series[si].color}"><title>${escape(`${options.series[si].name}, ${group.label}: ${format(value)}`)}</title></rect>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9">${format(value)}</text>`,
      );
    });
    out.push(
      `<text x="${(margin.left + gi * groupW + groupW / 2).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle">${escape(group.label)}</text>`,
    );
  });
  return legendAndEnd(f, options.legend ?? options.series, { baseline: 14, gap: 24 }, options.legendNote);
}

export interface LineSeries extends ChartSeries {
  /** Points in x order; a missing series draws nothing. */
  points: { x: number; y: number }[];
  /** A dashed horizontal line of the same colour (e.g. a target), with its label. */
  guide?: { y: number; label: string };
}

/**
 * Lines over a logarithmic x axis (population sizes a decade or more apart) and a linear y axis from zero, so that a
 * 10% drop looks like one.
 */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
}): string {
  const f = frame(options, { height: 440, margin: { top: 56, right: 30, bottom: 80, left: 70 } });
  const { margin, plotW, plotH, out } = f;
  const xs = options.series.flatMap((s) => s.points.map((p) => p.x)).filter((x) => x > 0);
  const ys = options.series.flatMap((s) => [...s.points.map((p) => p.y), s.guide?.y ?? 0]);
  const xLo = Math.log10(Math.min(...xs, 1000)) - 0.05;
  const xHi = Math.log10(Math.max(...xs, 10000)) + 0.05;
  const step = niceStep(Math.max(...ys, 1) / 5);
  const yHi = Math.ceil((Math.max(...ys, 1) * 1.08) / step) * step;
  const x = (v: number) => margin.left + ((Math.log10(v) - xLo) / (xHi - xLo)) * plotW;
  const y = (v: number) => margin.top + plotH - (v / yHi) * plotH;
  for (let v = 0; v <= yHi + step / 2; v += step) {
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#dddddd"/>`,
      `<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${format(v)}</text>`,
    );
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eeeeee"/>`,
      `<text x="${x(v).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle">${v.toLocaleString('en')}</text>`,
    );
  }
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 40}" text-anchor="middle">${escape(options.xLabel)} (log scale)</text>`,
  );
  axes(f, options.yLabel);
  for (const s of options.series) {
    if (s.guide) {
      out.push(
        `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(s.guide.y).toFixed(1)}" y2="${y(s.guide.y).toFixed(1)}" stroke="${s.color}" stroke-dasharray="6 4" opacity="0.7"/>`,
        `<text x="${margin.left + plotW - 4}" y="${(y(s.guide.y) - 4).toFixed(1)}" text-anchor="end" fill="${s.color}" font-size="10">${escape(s.guide.label)}</text>`,
      );
    }
    if (s.points.length === 0) continue;
    const path = s.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of s.points) {
      out.push(
        `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${s.color}"><title>${escape(`${s.name}, ${p.x.toLocaleString('en')}: ${format(p.y)}`)}</title></circle>`,
        `<text x="${x(p.x).toFixed(1)}" y="${(y(p.y) - 8).toFixed(1)}" text-anchor="middle" font-size="10">${format(p.y)}</text>`,
      );
    }
  }
  return legendAndEnd(f, options.series, { baseline: 12, gap: 30 });
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
