// The booking API client shared by the three templates; each package carries it as lib/booking.js
// (the packer copies it in, so there is one source). The page talks to Hutong's booking API as the
// signed-in user of this app: my.getAuthCode gives a one-time code, the API swaps it for a token
// valid for this app only. No merchant secret is ever in the page.

// The platform answers on the port the app is served from; app.json "domains" must list it.
const API_ORIGIN = `http://127.0.0.1:${location.port || '80'}`;
const TOKEN_KEY = 'booking.token';

let appId = null;
let token = null;

/** Waits for the shell, and applies the merchant's colour from the template's ext. */
export async function start() {
  await my.ready();
  appId = my.getAccountInfoSync().miniProgram.appId;
  const ext = (await my.getExtConfig()).data || {};
  if (/^#[0-9a-fA-F]{6}$/.test(ext.colour || '')) {
    document.documentElement.style.setProperty('--brand', ext.colour);
  }
  return ext;
}

async function signIn() {
  const { authCode } = await my.getAuthCode({ scopes: 'auth_base' });
  const session = await call('POST', 'session', { auth_code: authCode }, false);
  token = session.token;
  await my.setStorage({ key: TOKEN_KEY, data: token });
}

async function call(method, path, body, authenticated) {
  const headers = { 'content-type': 'application/json' };
  if (authenticated) headers.authorization = 'Bearer ' + token;
  const res = await fetch(`${API_ORIGIN}/api/booking/${appId}/${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = new Error(data.message || `HTTP ${res.status}`);
    e.status = res.status;
    e.code = data.error;
    throw e;
  }
  return data;
}

/** An API call; user calls sign in first (once per app, remembered in the app's storage). */
export async function api(method, path, body, asUser = true) {
  if (!asUser) return call(method, path, body, false);
  if (!token) token = (await my.getStorage({ key: TOKEN_KEY })).data || null;
  if (!token) await signIn();
  try {
    return await call(method, path, body, true);
  } catch (e) {
    if (e.status !== 401) throw e;
    await signIn(); // the token expired: once more with a fresh one
    return call(method, path, body, true);
  }
}

/** A new idempotency key per booking attempt (a retry of the same attempt reuses it). */
export function requestId() {
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
}

/** Pays a held reservation in the shell's cashier, then asks the API for the truth. */
export async function pay(reservation) {
  const { resultCode } = await my.tradePay({ tradeNO: reservation.trade_no });
  if (resultCode === '6001') return { cancelled: true, reservation };
  // 9000 is a hint only: the booking is confirmed when the API says so.
  for (let i = 0; i < 20; i++) {
    const r = await api('GET', 'reservations/' + reservation.id);
    if (r.status !== 'HELD') return { reservation: r };
    await new Promise((done) => setTimeout(done, 300));
  }
  return { reservation: await api('GET', 'reservations/' + reservation.id) };
}

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const WHEN = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
  hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit',
  timeZone: 'Asia/Shanghai' });

export const when = (iso) => WHEN.format(new Date(iso));
export const time = (iso) => TIME.format(new Date(iso));
/** yyyy-MM-dd in the venue's zone, {@code plusDays} from today. */
export const day = (plusDays = 0) => DAY.format(new Date(Date.now() + plusDays * 86400000));

export function toast(content) {
  return my.showToast({ content, type: 'none', duration: 2500 });
}

/** Runs an async UI action, showing its error instead of failing silently. */
export function guard(fn) {
  return (...args) => fn(...args).catch((e) => {
    toast(e.message || e.errorMessage || String(e));
  });
}

export function statusBadge(status) {
  const words = { HELD: 'Awaiting payment', CONFIRMED: 'Confirmed', RELEASED: 'Expired',
    CANCELLED: 'Cancelled', COMPLETED: 'Completed' };
  return el('span', { class: 'badge badge-' + status.toLowerCase() }, words[status] || status);
}
