// The merchant portal: plain ES module, no framework. Every call goes to /merchant/api with the
// session cookie; state-changing calls echo the CSRF cookie in X-CSRF-Token.
import { miniapps } from './miniapps.js';
import { bookings } from './bookings.js';

const API = '/merchant/api';
const $ = (sel) => document.querySelector(sel);
let me = null;
let liveSince = Date.now() - 1000;
let liveTimer = null;
let currentTrade = null;

function csrf() {
  const m = document.cookie.match(/(?:^|; )hutong_merchant_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

// A fresh key per user action; a retry of the same action reuses it (kept on the form).
function newKey() {
  return 'web-' + crypto.randomUUID();
}

async function call(method, path, body, key) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  if (key) headers['Idempotency-Key'] = key;
  // The booking screens call the booking API's merchant side (/api/booking/merchant/...).
  const url = path.startsWith('/api/') ? path : API + path;
  const res = await fetch(url, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(json.message || ('HTTP ' + res.status));
    err.status = res.status;
    err.body = json;
    throw err;
  }
  return json;
}

function showError(e) {
  const p = $('#error');
  p.textContent = e ? e.message : '';
  p.hidden = !e;
}

function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (v !== '') out[k] = String(v);
  }
  return out;
}

function guard(fn) {
  return async (ev) => {
    if (ev) ev.preventDefault();
    showError(null);
    try { await fn(ev); } catch (e) { showError(e); }
  };
}

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

// The Mini-programs tab (miniapps.js), built on the helpers above.
const programs = miniapps({ call, guard, el, newKey, $ });
// The Bookings tab (bookings.js).
const venues = bookings({ call, guard, el, $ });

// ------------------------------------------------------------------ session

async function start() {
  try {
    me = await call('GET', '/me');
  } catch (e) {
    if (e.status !== 401) showError(e);
    me = null;
  }
  render();
}

function render() {
  $('#welcome').hidden = !!me;
  $('#portal').hidden = !me;
  $('#logout').hidden = !me;
  if (!me) { clearInterval(liveTimer); return; }
  const m = me.merchant;
  $('#who').textContent = m.name + ' · ' + me.staff.role.toLowerCase();
  const owner = me.staff.role === 'OWNER';
  document.querySelectorAll('.owner').forEach((e) => { e.hidden = !owner; });
  $('#shop-name').textContent = m.name + (m.status === 'FROZEN' ? ' (FROZEN: payments stopped)' : '');
  $('#limits').textContent = m.tier === 'MICRO'
    ? `Micro-merchant: up to ¥${m.payment_limit} per payment and ¥${m.day_limit} per day.`
    : 'Limits: ' + (m.payment_limit ? '¥' + m.payment_limit + ' per payment' : 'none per payment')
      + ', ' + (m.day_limit ? '¥' + m.day_limit + ' per day' : 'none per day') + '.';
  $('#qr').src = API + '/collect-code.svg?t=' + Date.now();
  $('#gateway-url').textContent = location.origin + '/gateway.do';
  clearInterval(liveTimer);
  liveTimer = setInterval(() => poll().catch(showError), 2000);
}

$('#onboard-form').addEventListener('submit', guard(async (ev) => {
  me = await call('POST', '/onboard', formData(ev.target));
  render();
}));

$('#login-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', '/login', formData(ev.target));
  me = await call('GET', '/me');
  render();
}));

$('#logout').addEventListener('click', guard(async () => {
  await call('POST', '/logout');
  me = null;
  render();
}));

document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', guard(async () => {
  document.querySelectorAll('nav button').forEach((x) => x.classList.toggle('active', x === b));
  document.querySelectorAll('.tab').forEach((t) => { t.hidden = t.id !== 'tab-' + b.dataset.tab; });
  const load = { trades: loadTrades, money: loadMoney, apps: loadApps, miniapps: programs.load,
    bookings: venues.load }[b.dataset.tab];
  if (load) await load();
})));

// ------------------------------------------------------------------ live payments

async function poll() {
  const r = await call('GET', '/live?since=' + liveSince);
  liveSince = r.until;
  for (const t of r.payments) announce(t);
}

function announce(t) {
  const li = el('li', `${t.paid_at}  ¥${t.total_amount}  ${t.trade_no}`, { class: 'payment' });
  $('#live').prepend(li);
  const f = $('#flash');
  f.textContent = `Received ¥${t.total_amount}`;
  f.hidden = false;
  setTimeout(() => { f.hidden = true; }, 4000);
  ding();
}

// Two short tones, like a till; browsers allow sound after the first user interaction.
function ding() {
  try {
    const ctx = new AudioContext();
    [880, 1320].forEach((hz, i) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = hz;
      g.gain.value = 0.2;
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.18);
      o.stop(ctx.currentTime + i * 0.18 + 0.15);
    });
  } catch (e) { /* no audio device: the banner is enough */ }
}

// ------------------------------------------------------------------ trades

async function loadTrades() {
  const q = new URLSearchParams(formData($('#filter')));
  const r = await call('GET', '/trades?' + q);
  const body = $('#trades tbody');
  body.replaceChildren();
  for (const t of r.trades) {
    const tr = el('tr', null, { 'data-trade': t.trade_no });
    [t.created_at, t.trade_no, '¥' + t.total_amount, '¥' + t.refunded, t.status]
      .forEach((v) => tr.append(el('td', v)));
    tr.addEventListener('click', guard(() => showTrade(t.trade_no)));
    body.append(tr);
  }
}

$('#filter').addEventListener('submit', guard(loadTrades));

async function showTrade(tradeNo) {
  const r = await call('GET', '/trades/' + tradeNo);
  currentTrade = r.trade;
  $('#detail').hidden = false;
  $('#d-no').textContent = r.trade.trade_no;
  $('#d-summary').textContent = `${r.trade.subject}: ¥${r.trade.total_amount}, fee ¥${r.trade.fee},`
    + ` refunded ¥${r.trade.refunded}, ${r.trade.status}`;
  $('#d-refunds').replaceChildren(...r.refunds.map((x) =>
    el('li', `${x.refunded_at || ''} refund ¥${x.amount} ${x.status} ${x.reason || ''}`)));
  $('#refund-form').dataset.key = newKey();
}

$('#refund-form').addEventListener('submit', guard(async (ev) => {
  const form = ev.target;
  await call('POST', '/trades/' + currentTrade.trade_no + '/refunds', formData(form), form.dataset.key);
  form.reset();
  await showTrade(currentTrade.trade_no);
  await loadTrades();
}));

// ------------------------------------------------------------------ money

async function loadMoney() {
  const m = await call('GET', '/money');
  const rows = [['Balance', m.balance], ['Received', m.gross], ['Fees (rate ' + m.fee_rate + ')', m.fees],
    ['Refunded', m.refunded], ['Fees returned', m.fees_returned], ['Paid out', m.paid_out],
    ['Next daily payout (T+1)', m.next_sweep]];
  $('#money').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', k), el('dd', '¥' + v, { id: 'm-' + k.split(' ')[0].toLowerCase() })]));
  $('#payouts').replaceChildren(...m.payouts.map((p) =>
    el('li', `${p.created_at} ¥${p.amount} ${p.status}${p.simulated ? ' (simulated bank)' : ''}`)));
  $('#payout-form').dataset.key = newKey();
  $('#s-day').value ||= new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

$('#payout-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', '/payouts', formData(ev.target), ev.target.dataset.key);
  ev.target.reset();
  await loadMoney();
}));

$('#statement-form').addEventListener('submit', guard(async (ev) => {
  location.href = API + '/statements/' + $('#s-day').value + '.csv';
}));

// ------------------------------------------------------------------ apps

async function loadApps() {
  const r = await call('GET', '/apps');
  $('#platform-key').textContent = r.platform_public_key;
  $('#apps').replaceChildren(...r.apps.map((a) => {
    const li = el('li', `${a.app_id} ${a.name || ''} notify: ${a.notify_url || '-'} `);
    const b = el('button', 'Notifications');
    b.addEventListener('click', guard(() => loadNotifications(a.app_id)));
    li.append(b);
    return li;
  }));
}

async function loadNotifications(appId) {
  const r = await call('GET', '/apps/' + appId + '/notifications');
  $('#notifications tbody').replaceChildren(...r.notifications.map((n) => {
    const tr = el('tr');
    [n.created_at, n.event, n.state, n.attempts + ' attempts', n.last_outcome || '', n.last_response || '']
      .forEach((v) => tr.append(el('td', v)));
    if (n.state !== 'DELIVERED') {
      const b = el('button', 'Retry now');
      b.addEventListener('click', guard(async () => {
        await call('POST', `/apps/${appId}/notifications/${n.id}/retry`);
        await loadNotifications(appId);
      }));
      tr.append(b);
    }
    return tr;
  }));
}

$('#app-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', '/apps', formData(ev.target));
  ev.target.reset();
  await loadApps();
}));

$('#staff-form').addEventListener('submit', guard(async (ev) => {
  await call('POST', '/staff', formData(ev.target));
  ev.target.reset();
}));

start();
