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
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const margin = { top: 56, right: 20, bottom: 70, left: 70 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const values = options.groups.flatMap((g) => g.values).filter((v): v is number => v !== undefined && v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 10)));
  const y = (v: number) => margin.top + plotH - ((Math.log10(v) - lo) / (hi - lo)) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`,
  );
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#dddddd"/>`,
      `<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${format(v)}</text>`,
    );
  }
  out.push(
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)} (log scale)</text>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333333"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333333"/>`,
  );
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
  let lx = margin.left;
  for (const s of options.legend ?? options.series) {
    out.push(
      `<rect x="${lx}" y="${height - 24}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="${height - 14}">${escape(s.name)}</text>`,
    );
    lx += 24 + s.name.length * 7;
  }
  if (options.legendNote)
    out.push(`<text x="${lx + 8}" y="${height - 14}" fill="#555555">${escape(options.legendNote)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
