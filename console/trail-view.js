// The trail: filters (kept in the URL), the decisions chart, a page of events, cursor paging and the export.
import { apiJson } from './api.js';
import { drawChart } from './decisions-chart.js';
import { $, el, showError } from './dom.js';
import { startExport } from './export.js';
import { fillForm, filtersOf, readForm, searchOf } from './filters.js';
import { navigate } from './nav.js';

const PAGE_SIZE = 100;
let current = { filters: {}, cursor: undefined };
let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(searchOf('trail', readForm($('filters'))));
  });
  $('clear-filters').addEventListener('click', () => navigate('?view=trail'));
  $('first-page').addEventListener('click', () => navigate(searchOf('trail', current.filters)));
  $('next-page').addEventListener('click', () => {
    if (current.nextCursor) navigate(searchOf('trail', current.filters, { cursor: current.nextCursor }));
  });
  $('export').addEventListener('click', () => startExport($('export-format').value, current.filters));
  const redraw = () => drawChart(current.filters, $('chart-split').value, onChartClick);
  $('chart-split').addEventListener('change', redraw);
  $('chart-range').addEventListener('change', redraw);
}

/** A click on a bar narrows the trail to that interval and, for a split, to that operation or rule. */
function onChartClick({ from, to, split, key }) {
  const filters = { ...current.filters, from, to };
  if (split !== 'decision' && key) filters[split] = key;
  if (split === 'decision' && key) filters.decision = key;
  navigate(searchOf('trail', filters));
}

function row(event) {
  const link = el('a', { href: `?view=event&eventId=${encodeURIComponent(event.eventId)}` }, event.eventTime.replace('T', ' ').slice(0, 23));
  return el(
    'tr',
    { class: `decision-${event.decision.toLowerCase()}` },
    el('td', {}, link),
    el('td', { class: 'num' }, event.sequence),
    el('td', {}, event.operation),
    el('td', {}, el('span', { class: 'badge' }, event.decision)),
    el('td', {}, event.failingRuleId ?? ''),
    el('td', {}, event.caller.accountId ?? ''),
    el('td', { class: 'mono', title: event.resource.certificateId ?? '' }, event.resource.certificateId?.slice(0, 12) ?? ''),
    el('td', {}, event.chain ? `#${event.chain.chainSeq}` : 'not yet'),
  );
}

export async function showTrail(params) {
  wire();
  const filters = filtersOf(params);
  const cursor = params.get('cursor') ?? undefined;
  current = { filters, cursor };
  fillForm($('filters'), filters);
  showError('trail-error');
  $('trail-status').textContent = 'Loading…';
  drawChart(filters, $('chart-split').value, onChartClick);
  try {
    const started = performance.now();
    const page = await apiJson('/v1/audit/events', { query: { ...filters, limit: PAGE_SIZE, cursor } });
    current.nextCursor = page.nextCursor;
    $('trail').tBodies[0].replaceChildren(...page.events.map(row));
    $('next-page').disabled = !page.nextCursor;
    $('first-page').disabled = !cursor;
    const shown = page.events.length === 0 ? 'No events match.' : `${page.events.length} events${page.nextCursor ? ', more older' : ''}`;
    $('trail-status').textContent = `${shown} (${Math.round(performance.now() - started)} ms)`;
    document.body.dataset.trailLoaded = String(Date.now());
  } catch (error) {
    $('trail').tBodies[0].replaceChildren();
    $('trail-status').textContent = '';
    showError('trail-error', error);
  }
}
