/*
 * Review console, overview view of the last hour: the charts, as inline SVG. It renders what it is given and
 * fetches nothing (console-live.js loads the overview).
 */

import { el, h, s } from './console-dom.js';
import { fmtCompact, fmtNum, fmtTime, isPlainObject } from './console-format.js';

const OUTCOME_ORDER = ['APPROVED', 'AMENDED', 'DENIED', 'HELD_FOR_REVIEW', 'approved', 'edited', 'denied', 'expired', 'cancelled', 'abandoned', 'answered'];

function outcomeClass(name) {
  const key = String(name).toLowerCase();
  const map = {
    approved: 'c-approved', amended: 'c-edited', edited: 'c-edited', denied: 'c-denied', held_for_review: 'c-held',
    expired: 'c-expired', cancelled: 'c-cancelled', abandoned: 'c-cancelled', answered: 'c-cancelled',
  };
  return map[key] || 'c-neutral';
}

function outcomeEntries(obj) {
  if (!isPlainObject(obj)) return [];
  return Object.entries(obj)
    .filter(([, v]) => typeof v === 'number')
    .sort(([a], [b]) => {
      const ia = OUTCOME_ORDER.indexOf(a);
      const ib = OUTCOME_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    })
    .map(([name, value]) => ({ name, label: name.toLowerCase().replace(/_/g, ' '), value, cls: outcomeClass(name) }));
}

/** The top 8 by {@code valueKey}; with prices, each label carries its cost (a decimal string from the server). */
function topEntries(list, valueKey, currency) {
  if (!Array.isArray(list)) return [];
  return list.filter((e) => isPlainObject(e) && typeof e[valueKey] === 'number')
    .sort((a, b) => b[valueKey] - a[valueKey])
    .slice(0, 8)
    .map((e) => ({
      name: String(e.name),
      label: typeof e.cost === 'string' && currency ? `${e.name} · ${e.cost} ${currency}` : String(e.name),
      value: e[valueKey],
      cls: 'c-tokens',
    }));
}

/** "Tokens by host", and the hour's total spend when the server sent one. */
function spendTitle(title, spend) {
  if (!isPlainObject(spend) || typeof spend.tokens !== 'number') return title;
  const cost = typeof spend.cost === 'string' && typeof spend.currency === 'string'
    ? `, ${spend.cost} ${spend.currency}` : '';
  return `${title} (hour: ${fmtNum(spend.tokens)} tokens${cost})`;
}

function niceCeil(n) {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function rpmChart(points) {
  const list = Array.isArray(points) ? points.filter((p) => isPlainObject(p)) : [];
  const W = 720; const H = 150; const L = 30; const R = 6; const T = 8; const B = 22;
  const pw = W - L - R; const ph = H - T - B;
  const counts = list.map((p) => (typeof p.count === 'number' ? p.count : 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const peak = Math.max(0, ...counts);
  const top = niceCeil(Math.max(1, peak));
  const peakAt = list[counts.indexOf(peak)];
  const label = list.length
    ? `Requests per minute over the last hour: ${fmtNum(total)} in total, at most ${fmtNum(peak)} in a minute${peak && peakAt ? ` (${fmtTime(peakAt.minute)})` : ''}.`
    : 'Requests per minute: no data.';
  const chart = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label, 'data-testid': 'chart-requests' },
    s('title', null, label));
  for (const v of [0, top / 2, top]) {
    const y = T + ph - (v / top) * ph;
    chart.append(s('line', { x1: L, x2: W - R, y1: y, y2: y, class: v === 0 ? 'axis' : 'gridline' }));
    chart.append(s('text', { x: L - 4, y: y + 3.5, class: 'tick', 'text-anchor': 'end' }, fmtCompact(v)));
  }
  const n = Math.max(list.length, 1);
  const bw = pw / n;
  list.forEach((p, i) => {
    const c = counts[i];
    const bh = (c / top) * ph;
    const rect = s('rect', {
      x: (L + i * bw + 0.4).toFixed(2), y: (T + ph - bh).toFixed(2), width: Math.max(bw - 0.8, 0.6).toFixed(2),
      height: Math.max(bh, 0).toFixed(2), class: 'bar c-requests',
    }, s('title', null, `${fmtTime(p.minute).slice(0, 5)}: ${fmtNum(c)} request${c === 1 ? '' : 's'}`));
    chart.append(rect);
  });
  chart.append(s('text', { x: L, y: H - 6, class: 'tick' }, '−60 min'));
  chart.append(s('text', { x: L + pw / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, '−30'));
  chart.append(s('text', { x: W - R, y: H - 6, class: 'tick', 'text-anchor': 'end' }, 'now'));
  return chart;
}

function hbarChart(entries, name, emptyText) {
  if (!entries.length) return h('p', { class: 'muted small chart-empty' }, emptyText);
  const W = 360; const rowH = 22; const L = 122; const R = 46;
  const H = entries.length * rowH + 4;
  const max = Math.max(1, ...entries.map((e) => e.value));
  const label = `${name}: ${entries.map((e) => `${e.label} ${fmtNum(e.value)}`).join(', ')}.`;
  const chart = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart hbar', role: 'img', 'aria-label': label }, s('title', null, label));
  entries.forEach((e, i) => {
    const y = 2 + i * rowH;
    const bw = (e.value / max) * (W - L - R);
    chart.append(s('text', { x: L - 6, y: y + rowH / 2 + 4, class: 'label', 'text-anchor': 'end' },
      truncate(e.label, 19), s('title', null, e.name)));
    chart.append(s('rect', { x: L, y: y + 4, width: Math.max(bw, e.value > 0 ? 1.5 : 0).toFixed(2), height: rowH - 8, rx: 2, class: `bar ${e.cls}` },
      s('title', null, `${e.name}: ${fmtNum(e.value)}`)));
    chart.append(s('text', { x: L + bw + 5, y: y + rowH / 2 + 4, class: 'value' }, fmtCompact(e.value)));
  });
  return chart;
}

function chartCard(title, chart, wide) {
  return h('figure', { class: `chart-card${wide ? ' wide' : ''}` }, h('figcaption', null, title), chart);
}

export function renderOverview(o) {
  if (!isPlainObject(o)) return;
  el.overviewRange.textContent = typeof o.since === 'number' && typeof o.until === 'number'
    ? `${fmtTime(o.since).slice(0, 5)}–${fmtTime(o.until).slice(0, 5)}, updated ${fmtTime(Date.now())}` : '';
  el.overviewCharts.replaceChildren(
    chartCard('Requests per minute', rpmChart(o.requestsPerMinute), true),
    chartCard('Policy decisions', hbarChart(outcomeEntries(o.decisionsByOutcome), 'Policy decisions by outcome', 'No decisions.')),
    chartCard('Human reviews', hbarChart(outcomeEntries(o.reviewsByOutcome), 'Reviews by outcome', 'No reviews.')),
    chartCard(spendTitle('Tokens by host', o.spend),
      hbarChart(topEntries(o.tokensByHost, 'tokens', currencyOf(o.spend)), 'Tokens by host, top 8', 'No tokens used.')),
    chartCard('Tokens by server',
      hbarChart(topEntries(o.tokensByServer, 'tokens', currencyOf(o.spend)), 'Tokens by server, top 8', 'No tokens used.')));
}

function currencyOf(spend) {
  return isPlainObject(spend) && typeof spend.currency === 'string' ? spend.currency : null;
}

/** In place of the charts when the overview could not be loaded (status 0: the network failed). */
export function renderOverviewUnavailable(status) {
  el.overviewCharts.replaceChildren(h('p', { class: 'muted' }, `The overview is not available (${status || 'network'}).`));
}
