// Decisions over time: GET /v1/audit/stats (time-bucketed counts, computed in the database) drawn with chart.js
// (served from /console/vendor/, a classic script: window.Chart). A click on a bar filters the trail to it.
import { apiJson } from './api.js';
import { $, showError } from './dom.js';

const DECISION_COLOURS = { ALLOW: '#2e7d32', DENY: '#c62828', ERROR: '#ef6c00' };
const PALETTE = ['#1565c0', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#558b2f', '#37474f', '#f9a825', '#283593', '#00695c'];
let chart;

/** The range the chart shows: the filter's, or the last hours chosen in the Range select (ends at the next minute). */
function rangeOf(filters) {
  const hours = Number($('chart-range').value);
  const to = filters.to ?? new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString();
  const from = filters.from ?? new Date(Date.parse(to) - hours * 3600_000).toISOString();
  return { from, to };
}

export async function drawChart(filters, split, onBarClick) {
  showError('chart-error');
  const { from, to } = rangeOf(filters);
  const { from: _f, to: _t, ...others } = filters;
  try {
    const stats = await apiJson('/v1/audit/stats', { query: { ...others, from, to, groupBy: split } });
    const labels = stats.buckets.map((bucket) => (stats.intervalSeconds < 86_400 ? bucket.start.slice(11, 16) : bucket.start.slice(5, 10)));
    const keys = [...new Set(stats.buckets.flatMap((bucket) => bucket.counts.map((count) => count.key)))].sort();
    const datasets = keys.map((key, index) => ({
      label: key || '(none)',
      data: stats.buckets.map((bucket) => bucket.counts.find((count) => count.key === key)?.count ?? 0),
      backgroundColor: split === 'decision' ? (DECISION_COLOURS[key] ?? '#757575') : PALETTE[index % PALETTE.length],
      key,
    }));
    const total = stats.buckets.reduce((sum, bucket) => sum + bucket.counts.reduce((s, count) => s + count.count, 0), 0);
    $('chart-caption').textContent = `${total} decisions, ${stats.from.slice(0, 16)} to ${stats.to.slice(0, 16)} UTC, per ${stats.intervalSeconds / 60} min; click a bar to filter`;
    chart?.destroy();
    chart = new window.Chart($('decisions-chart'), {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
        onClick: (_event, elements) => {
          const hit = elements[0];
          if (!hit) return;
          const bucket = stats.buckets[hit.index];
          onBarClick({ from: bucket.start, to: bucket.end, split, key: datasets[hit.datasetIndex].key });
        },
      },
    });
    document.body.dataset.chartLoaded = String(Date.now());
  } catch (error) {
    showError('chart-error', error);
  }
}
