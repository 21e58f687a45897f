// Charts with Chart.js (served from node_modules as its UMD build). Every chart has a text
// alternative: its label says so, and the same figures follow in a table.
import { h } from './dom.js';
import { t } from './i18n.js';

const PALETTE = [
  '#0b5cad',
  '#e07b00',
  '#1b7f3b',
  '#b3261e',
  '#6a3fb5',
  '#00838f',
  '#8d6e00',
  '#c2185b',
];

export function chartAvailable() {
  return typeof window.Chart === 'function';
}

/**
 * A bar chart: labels along the axis, one dataset per series ({label, data}). Options: stacked,
 * horizontal, percent (0–1 values shown as %), format(value) for tooltips and ticks.
 */
export function barChart(title, labels, series, options = {}) {
  const canvas = h('canvas', { role: 'img', 'aria-label': t('reports.chartOf', { what: title }) });
  const box = h('div', { class: 'chart-box' }, canvas);
  if (!chartAvailable()) return { node: box, destroy() {} };
  const format = options.format ?? ((value) => value);
  const valueAxis = {
    beginAtZero: true,
    stacked: !!options.stacked,
    ticks: { callback: (value) => format(value) },
  };
  const categoryAxis = { stacked: !!options.stacked };
  const chart = new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((item, index) => ({
        label: item.label,
        data: item.data,
        backgroundColor: PALETTE[index % PALETTE.length],
      })),
    },
    options: {
      indexAxis: options.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: series.length > 1 },
        tooltip: {
          callbacks: { label: (context) => `${context.dataset.label}: ${format(context.raw)}` },
        },
      },
      scales: options.horizontal
        ? { x: valueAxis, y: categoryAxis }
        : { x: categoryAxis, y: valueAxis },
    },
  });
  return { node: box, destroy: () => chart.destroy() };
}
