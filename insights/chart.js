// Line charts drawn as SVG by the page: no chart library to ship or trust, text that is real text,
// and colours that are also told apart by their dash pattern (Okabe and Ito's palette, safe for the
// common colour-vision deficiencies). The chart is a picture for sighted readers (role="img" with a
// title and description); the same figures are in the table the page puts under it.

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 60 };
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D00'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 2', '12 4', '1 3', '6 2 1 2'];
// Beyond this many points a series is a line without markers: they would only blur it.
const MARKER_LIMIT = 90;

/** The stroke of the nth series, for the chart and for its legend. */
export function seriesStyle(index) {
  return { colour: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length] };
}

export const MAX_SERIES = COLOURS.length;

function element(name, attributes = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round axis steps (1, 2 or 5 times a power of ten) from 0 to at least `max`. */
function ticks(max, wanted = 4) {
  if (max <= 0) return [0, 1];
  const rough = max / wanted;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  const top = Math.ceil(max / step) * step;
  const out = [];
  for (let value = 0; value <= top + step / 2; value += step) out.push(Math.round(value * 1e6) / 1e6);
  return out;
}

/**
 * An SVG line chart. `periods` are the x positions (period start dates), each series has one value
 * per period (null: no point, a gap in the line). `formatY` and `formatX` write axis and point labels;
 * `maxY` fixes the top of the axis (1 for a rate) instead of fitting the data.
 */
export function lineChart({ id, title, description, periods, series, formatY, formatX, pointLabel, maxY }) {
  const svg = element('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    class: 'chart',
    id,
  });
  svg.append(element('title', { id: `${id}-title` }, title), element('desc', { id: `${id}-desc` }, description));

  const values = series.flatMap((s) => s.values).filter((v) => v !== null);
  const yTicks = ticks(maxY ?? Math.max(0, ...values));
  const yTop = yTicks[yTicks.length - 1];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i) => MARGIN.left + (periods.length === 1 ? plotW / 2 : (i * plotW) / (periods.length - 1));
  const y = (v) => MARGIN.top + plotH - (v / yTop) * plotH;

  const axes = element('g', { class: 'axes', 'aria-hidden': 'true' });
  for (const value of yTicks) {
    axes.append(element('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value), class: 'grid' }));
    axes.append(element('text', { x: MARGIN.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, formatY(value)));
  }
  const every = Math.max(1, Math.ceil(periods.length / 6));
  periods.forEach((period, i) => {
    if (i % every !== 0) return;
    axes.append(element('line', { x1: x(i), x2: x(i), y1: MARGIN.top + plotH, y2: MARGIN.top + plotH + 5, class: 'tick' }));
    axes.append(element('text', { x: x(i), y: HEIGHT - 12, 'text-anchor': 'middle' }, formatX(period)));
  });
  svg.append(axes);

  series.forEach((line, index) => {
    const { colour, dash } = seriesStyle(index);
    const group = element('g', { class: 'series', 'data-group': line.group });
    let d = '';
    let pen = 'M';
    line.values.forEach((value, i) => {
      if (value === null) {
        pen = 'M';
        return;
      }
      d += `${pen}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
      pen = 'L';
    });
    group.append(element('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-dasharray': dash }));
    const points = line.values.filter((v) => v !== null).length;
    line.values.forEach((value, i) => {
      // A lone point (between gaps) needs its marker to be seen at all.
      const lone = value !== null && line.values[i - 1] == null && line.values[i + 1] == null;
      if (value === null || (points > MARKER_LIMIT && !lone)) return;
      const point = element('circle', { cx: x(i).toFixed(1), cy: y(value).toFixed(1), r: 3.5, fill: colour });
      point.append(element('title', {}, pointLabel(line.group, periods[i], value)));
      group.append(point);
    });
    svg.append(group);
  });
  return svg;
}

/** A small sample of a series' stroke, for the legend. */
export function swatch(index) {
  const { colour, dash } = seriesStyle(index);
  const svg = element('svg', { viewBox: '0 0 28 10', width: 28, height: 10, 'aria-hidden': 'true', class: 'swatch' });
  svg.append(element('line', { x1: 1, x2: 27, y1: 5, y2: 5, stroke: colour, 'stroke-width': 3, 'stroke-dasharray': dash }));
  return svg;
}
