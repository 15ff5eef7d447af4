// The operations console: plain ES module. Calls /ops/api with the operator's session cookie;
// state-changing calls echo the CSRF cookie and carry the operator's reason (it is audited).
const API = '/ops/api';
const $ = (sel) => document.querySelector(sel);
const history = [];
const backlog = [];
let timer = null;
let current = null;

function csrf() {
  const m = document.cookie.match(/(?:^|; )hutong_ops_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  const res = await fetch(API + path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(json.message || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return json;
}

function showError(e) {
  $('#error').textContent = e ? e.message : '';
  $('#error').hidden = !e;
}

function guard(fn) {
  return async (ev) => {
    if (ev) ev.preventDefault();
    showError(null);
    try { await fn(ev); } catch (e) {
      if (e.status === 401) loggedIn(false);
      showError(e);
    }
  };
}

function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (v !== '') out[k] = String(v);
  return out;
}

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function row(values) {
  const tr = el('tr');
  values.forEach((v) => tr.append(el('td', v)));
  return tr;
}

function loggedIn(yes) {
  $('#login-form').hidden = yes;
  $('#console').hidden = !yes;
  $('#logout').hidden = !yes;
  clearInterval(timer);
  if (yes) timer = setInterval(() => dashboard().catch(showError), 3000);
}

$('#login-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', '/login', formData(ev.target));
  ev.target.reset();
  loggedIn(true);
  await dashboard();
}));

$('#logout').addEventListener('click', guard(async () => {
  await call('POST', '/logout');
  loggedIn(false);
}));

document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', guard(async () => {
  document.querySelectorAll('nav button').forEach((x) => x.classList.toggle('active', x === b));
  document.querySelectorAll('.tab').forEach((t) => { t.hidden = t.id !== 'tab-' + b.dataset.tab; });
  const load = { dashboard, review, merchants: search, risk, audit }[b.dataset.tab];
  if (load) await load();
})));

// ------------------------------------------------------------------ dashboard

async function dashboard() {
  const d = await call('GET', '/dashboard');
  const cards = [['Payments/s', d.payments_per_second], ['Payments today', d.payments_today],
    ['Volume today', '¥' + d.volume_today], ['Success rate', (d.success_rate * 100).toFixed(1) + '%'],
    ['Notification backlog', d.notification_backlog], ['Blocked today', d.blocked_today]];
  $('#cards').replaceChildren(...cards.map(([k, v]) => {
    const c = el('div', k, { class: 'card' });
    c.prepend(el('b', String(v)));
    return c;
  }));
  history.push(d.payments_per_second);
  backlog.push(d.notification_backlog);
  for (const h of [history, backlog]) if (h.length > 100) h.shift();
  line($('#chart'), history);
  line($('#chart-backlog'), backlog);
  // The last hour comes from the server, so a reloaded console draws it at once.
  const minutes = d.minutes;
  bars($('#chart-payments'), minutes.map((m) => m.paid), (v, i) => `${clock(minutes[i].start)}: ${v} payments`);
  bars($('#chart-volume'), minutes.map((m) => Number(m.volume)),
    (v, i) => `${clock(minutes[i].start)}: ¥${minutes[i].volume}`);
  // Paid among created in the same minute; a minute without trades has no rate (a gap).
  line($('#chart-success'), minutes.map((m) => (m.created ? Math.min(1, m.paid / m.created) : null)), 1);
  topMerchants(d.top_merchants);
}

const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 80;

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A line over the values (null = no point); {@code top} fixes the scale (1 for a rate). */
function line(svg, values, top) {
  const max = top || Math.max(1, ...values.filter((v) => v !== null));
  const step = (W - 6) / Math.max(1, values.length - 1); // 3 units each side: end dots stay whole
  const segments = [];
  let points = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (points.length) segments.push(points);
      points = [];
    } else {
      points.push(`${(3 + i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 6)).toFixed(1)}`);
    }
  });
  if (points.length) segments.push(points);
  svg.replaceChildren(...segments.map((p) => svgEl('polyline', {
    points: (p.length === 1 ? [p[0], p[0]] : p).join(' '), fill: 'none', class: 'chart-line',
  })));
  svg.dataset.points = String(values.filter((v) => v !== null).length);
}

/** One bar per value, each with a tooltip. */
function bars(svg, values, title) {
  const max = Math.max(1, ...values);
  const width = W / values.length;
  svg.replaceChildren(...values.map((v, i) => {
    const height = (v / max) * (H - 4);
    const bar = svgEl('rect', { x: (i * width + 0.5).toFixed(1), y: (H - height).toFixed(1),
      width: Math.max(0.5, width - 1).toFixed(1), height: height.toFixed(1), class: 'chart-bar' });
    bar.append(svgEl('title', {}));
    bar.firstChild.textContent = title(v, i);
    return bar;
  }));
  svg.dataset.total = String(values.reduce((a, b) => a + b, 0));
}

function topMerchants(top) {
  const max = Math.max(1, ...top.map((t) => Number(t.volume)));
  $('#top').replaceChildren(...top.map((t) => {
    const li = el('li', `${t.name}: ¥${t.volume} (${t.payments} payments)`);
    const bar = el('span', null, { class: 'top-bar' });
    bar.style.width = `${(Number(t.volume) / max) * 8}rem`; // CSSOM: the CSP forbids style attributes
    li.prepend(bar);
    return li;
  }));
}

// ------------------------------------------------------------------ review queue

async function review() {
  const r = await call('GET', '/review');
  $('#review').replaceChildren(...r.pending.map((v) => {
    const li = el('li', null, { 'data-app': v.app_id });
    li.append(el('b', `${v.app_name} ${v.version}`), el('span', ` by ${v.merchant_name}: ${v.description}`));
    const d = v.diff;
    li.append(el('p', `against ${d.against || 'nothing online'}: +${d.files_added.join(', ') || '-'}`
      + ` ~${d.files_changed.join(', ') || '-'} −${d.files_removed.join(', ') || '-'};`
      + ` domains +${d.domains_added.join(', ') || '-'}; scopes +${d.scopes_added.join(', ') || '-'}`));
    if (v.template_app_id) li.append(extChanges(v));
    const reason = el('input', null, { name: 'reason', placeholder: 'reason to reject', maxlength: '1000' });
    const approve = el('button', 'Approve', { 'data-action': 'approve' });
    const reject = el('button', 'Reject', { 'data-action': 'reject' });
    approve.addEventListener('click', guard(async () => {
      closePreview();
      await call('POST', `/review/${v.app_id}/${v.version}/approve`, {});
      await review();
    }));
    reject.addEventListener('click', guard(async () => {
      closePreview();
      await call('POST', `/review/${v.app_id}/${v.version}/reject`, { reason: reason.value });
      await review();
    }));
    const preview = el('button', 'Preview', { 'data-action': 'preview' });
    preview.addEventListener('click', guard(() => openPreview(v)));
    li.append(reason, reject, approve, preview);
    return li;
  }));
}

// ------------------------------------------------------------------ live preview

let previewApp = null;

/**
 * Mounts the version under review with the shell's own runtime (same sandboxed iframe on the app's
 * origin, same bridge checks), launched by a short-lived preview ticket. Its server calls go to
 * the preview API (launch.api_base), which refuses whatever needs a user or moves money.
 */
async function openPreview(v) {
  const path = `/review/${encodeURIComponent(v.app_id)}/${encodeURIComponent(v.version)}/preview`;
  const { openMiniApp } = await import('/shell/runtime/runtime.js');
  closePreview();
  $('#preview-title').textContent = `${v.app_name} ${v.version}`;
  $('#preview-panel').hidden = false;
  const app = await openMiniApp({ appId: v.app_id, scene: 'home' }, {
    container: $('#preview-phone'),
    launch: () => call('POST', path, {}),
    openCashier: async () => ({ resultCode: '4000' }),
  });
  previewApp = app;
  // The app's own ✕ closes it too; a newer preview has replaced it by then otherwise.
  app.closed.then(() => { if (previewApp === app) closePreview(); });
}

function closePreview() {
  const app = previewApp;
  previewApp = null;
  app?.close();
  $('#preview-panel').hidden = true;
}

$('#preview-close').addEventListener('click', closePreview);

// A merchant's template instance: its code is the reviewed template's, so what is judged is the
// content the merchant typed (the ext), field by field against its previous version.
function extChanges(v) {
  const box = el('div', null, { class: 'ext' });
  box.append(el('p', `Instance of template ${v.template_app_id}: review the merchant's content.`
    + ' Approving puts it online at once.'));
  const show = (x) => (x === null || x === undefined ? '—' : JSON.stringify(x));
  const table = el('table', null, { class: 'ext-changes' });
  table.append(row(['field', 'before', 'now']));
  v.ext_changes.forEach((c) => {
    const tr = row([c.field, show(c.before), show(c.after)]);
    tr.dataset.field = c.field;
    table.append(tr);
  });
  const full = el('details');
  full.append(el('summary', 'whole ext'), el('pre', JSON.stringify(v.ext, null, 2)));
  box.append(table, full);
  return box;
}

// ------------------------------------------------------------------ merchants

async function search() {
  const q = new URLSearchParams(formData($('#search-form')));
  const r = await call('GET', '/merchants?' + q);
  $('#merchants tbody').replaceChildren(...r.merchants.map((m) => {
    const tr = row([m.name, m.city || '', m.status, m.tier, m.created_at]);
    tr.dataset.merchant = m.id;
    tr.addEventListener('click', guard(() => showMerchant(m.id)));
    return tr;
  }));
}

$('#search-form').addEventListener('submit', guard(search));

async function showMerchant(id) {
  const r = await call('GET', '/merchants/' + id);
  current = r.merchant;
  $('#merchant').hidden = false;
  $('#m-name').textContent = `${current.name} (${current.status})`;
  $('#m-facts').textContent = `${current.category}, ${current.city || '-'}; tier ${current.tier}; limits `
    + `${current.payment_limit || 'none'} per payment, ${current.day_limit || 'none'} per day; fee ${current.fee_rate};`
    + ` balance ¥${r.balance}, received ¥${r.gross}, paid out ¥${r.paid_out}`;
  $('#m-blocked').replaceChildren(...r.blocked.map((b) => el('li', `${b.at} ¥${b.amount} ${b.rule}: ${b.reason}`)));
  $('#m-audit').replaceChildren(...r.audit.map((a) => el('li', `${a.at} ${a.actor} ${a.action}: ${a.detail}`)));
}

$('#status-form').addEventListener('submit', guard(async (ev) => {
  const action = ev.submitter.dataset.action;
  await call('POST', `/merchants/${current.id}/${action}`, formData(ev.target));
  ev.target.reset();
  await showMerchant(current.id);
}));

$('#limits-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', `/merchants/${current.id}/limits`, formData(ev.target));
  await showMerchant(current.id);
}));

// ------------------------------------------------------------------ risk, settlement, audit

async function risk() {
  const r = await call('GET', '/risk');
  $('#rules tbody').replaceChildren(...Object.entries(r.rules).map(([k, v]) => {
    const tr = row([k]);
    const td = el('td');
    td.append(el('input', null, { name: 'rule:' + k, value: String(v), 'data-was': String(v) }));
    tr.append(td);
    return tr;
  }));
  $('#blocked tbody').replaceChildren(...r.blocked.map((b) =>
    row([b.at, b.trade_no, '¥' + b.amount, b.rule, b.reason])));
}

$('#rules-form').addEventListener('submit', guard(async (ev) => {
  const reason = ev.target.reason.value;
  for (const input of ev.target.querySelectorAll('input[data-was]')) {
    if (input.value !== input.dataset.was) {
      await call('POST', '/risk/rules', { name: input.name.slice(5), value: input.value, reason });
    }
  }
  await risk();
}));

$('#sweep-form').addEventListener('submit', guard(async (ev) => {
  const r = await call('POST', '/settlement/sweep', formData(ev.target));
  $('#sweep-result').textContent = `${r.day}: ${r.paid_out} merchants paid ¥${r.total};`
    + ` ${r.already_swept} swept before; ${r.failed} failed`;
}));

async function audit() {
  const r = await call('GET', '/audit');
  $('#audit tbody').replaceChildren(...r.entries.map((a) => row([a.at, a.actor, a.action, a.target, a.detail])));
}

// Already logged in (a reload)?
call('GET', '/dashboard').then((d) => { loggedIn(true); return dashboard(); })
  .catch(() => loggedIn(false));
