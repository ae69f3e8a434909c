/*
 * Review console, formatting (bottom layer, imports nothing, pure functions): numbers, times, sizes, model
 * preferences, token counts, JSON, item states, roles, who decided.
 */

const numberFormat = new Intl.NumberFormat();
export const fmtNum = (n) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—');

export function fmtCompact(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function fmtTime(ms) {
  if (typeof ms !== 'number') return '—';
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function fmtDateTime(ms) {
  if (typeof ms !== 'number') return '—';
  const d = new Date(ms);
  return `${d.toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' })} ${fmtTime(ms)}`;
}

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function fmtRemaining(ms) {
  if (ms <= 0) return 'expired';
  const total = Math.ceil(ms / 1000);
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

const fmtPriority = (v) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100).replace(/^0\./, '.'));

function hintNames(prefs) {
  const hints = prefs && Array.isArray(prefs.hints) ? prefs.hints : [];
  return hints.map((hint) => (typeof hint === 'string' ? hint : hint && hint.name)).filter((n) => typeof n === 'string' && n);
}

export function prefsText(prefs) {
  if (!prefs || typeof prefs !== 'object') return 'no preference';
  const parts = [];
  const hints = hintNames(prefs);
  if (hints.length) parts.push(hints.join(', '));
  const priorities = [['cost', prefs.costPriority], ['speed', prefs.speedPriority], ['intelligence', prefs.intelligencePriority]]
    .filter(([, v]) => typeof v === 'number')
    .map(([name, v]) => `${name} ${fmtPriority(v)}`);
  if (priorities.length) parts.push(priorities.join(' · '));
  return parts.length ? parts.join(' — ') : 'no preference';
}

export function tokensText(item) {
  let text = `${fmtNum(item.promptTokens)} + ${fmtNum(item.maxTokens)}`;
  if (item.stage === 'response' && typeof item.completionTokens === 'number') text += ` · ${fmtNum(item.completionTokens)} out`;
  return text;
}

export function tokensTitle(item) {
  let text = `about ${fmtNum(item.promptTokens)} prompt tokens (estimate) + up to ${fmtNum(item.maxTokens)} completion tokens`;
  if (item.stage === 'response' && typeof item.completionTokens === 'number') text += `; the model wrote ${fmtNum(item.completionTokens)}`;
  return text;
}

/** Pretty JSON for display; very long strings (base64 payloads) are shortened. */
export function displayJson(value) {
  try {
    const text = JSON.stringify(value, (key, v) => (typeof v === 'string' && v.length > 4000
      ? `${v.slice(0, 120)}… (${fmtNum(v.length)} characters)` : v), 2);
    return text === undefined ? String(value) : text;
  } catch (err) {
    return String(value);
  }
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

const STATE_WORDS = {
  pending: 'pending', approved: 'approved', edited: 'edited', denied: 'denied',
  expired: 'expired', cancelled: 'cancelled', abandoned: 'abandoned', answered: 'answered',
};

export function stateLabel(item) {
  if (item && item.stage === 'response') {
    if (item.state === 'approved') return 'delivered';
    if (item.state === 'denied') return 'rejected';
  }
  return STATE_WORDS[item && item.state] || String(item && item.state);
}

export function concludedAt(item) {
  return (item.decision && item.decision.decidedAt) || item.updatedAt || 0;
}

export const roleClass = (role) => (role === 'user' || role === 'assistant' ? role : 'other');

export function hostServer(item) {
  return item ? `${item.hostId || 'unknown host'} › ${item.serverName || 'unknown server'}` : 'the item';
}

export function alreadyDecidedText(decision) {
  if (!isPlainObject(decision)) return null;
  return `Already decided by ${decision.reviewer || 'someone'}${decision.decidedAt ? ` at ${fmtTime(decision.decidedAt)}` : ''}${decision.action ? ` (${decision.action})` : ''}`;
}
