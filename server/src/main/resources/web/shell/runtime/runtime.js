// The mini-program runtime, host side: openMiniApp() mounts an app in a sandboxed iframe inside
// the shell and answers its bridge calls. See docs/miniapp-guide.md, "The bridge".
//
// Security rules this file keeps (each one is tested by the hostile app in the browser tests):
// - frames are <iframe sandbox="allow-scripts allow-forms">, never allow-same-origin, so the app
//   runs in an opaque origin: no shell DOM, cookies or storage; no popups; no top navigation;
// - a frame is connected only when its hello comes from that very frame's window (event.source),
//   with the opaque origin a sandboxed frame has ("null"), carrying the nonce this runtime put in
//   that frame's URL. Afterwards it talks only over its private MessagePort: nobody else (another
//   app, a page pretending to be the shell) can inject calls or read answers;
// - the app is known by the frame the call came through, never by anything in the message;
// - every payload is validated against its method's schema before anything happens;
// - each app has a token bucket; calls beyond it fail at once with error 429;
// - money moves only through the shell's cashier sheet, where the user types the PIN.
import { appContainer, setAppLauncher } from '../appframe-slot.js';
import { openCashier } from '../cashier.js';
import { api, ApiError } from './http.js';
import { InvalidPayload, METHODS, validate } from './schema.js';
import { TokenBucket } from './token-bucket.js';
import { RuntimeUi } from './ui.js';

export const PAGE_STACK_MAX = 10;
/** Scene values (getLaunchOptionsSync().scene), after Alipay's. */
export const SCENES = Object.freeze({ home: 1000, recent: 1001, favourite: 1002, search: 1005,
  qr: 1011, link: 1037 });
const BUCKET_CAPACITY = 40;
const BUCKET_PER_SECOND = 20;
const MESSAGE_CHARS_MAX = 512 * 1024;
/** A launch (and its ticket) is reused this long, so a warm start hits the browser's cache. */
const LAUNCH_REUSE_MS = 10 * 60 * 1000;
const COLOR = /^#[0-9a-fA-F]{6}$/;
/** A tab's icon: a file of the app's package (PackageValidator checked that it exists). */
const ICON_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const SCOPE_WORDS = {
  'scope.userLocation': 'use your location',
  'scope.camera': 'use your camera to scan',
  'scope.userInfo': 'know who you are (your nickname)',
};

const launches = new Map();
/** Every connected or connecting frame, by its window: how a message finds its app. */
const frames = new Map();
let current = null;

window.addEventListener('message', (event) => {
  const frame = frames.get(event.source);
  // Only our frames, each with the opaque origin a sandboxed document has, may say hello.
  if (!frame || event.origin !== 'null' || frame.port) return;
  const data = event.data;
  if (!data || data.hutong !== 'hello' || data.nonce !== frame.nonce) return;
  frame.app.connect(frame);
});

document.addEventListener('visibilitychange', () => {
  current?.lifecycle(document.visibilityState === 'visible' ? 'show' : 'hide');
});

function nonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** How long a launch's ticket is reused: never to within two minutes of its expiry. */
function reuseMs(launch) {
  return Math.min(LAUNCH_REUSE_MS, (launch.expires_in - 120) * 1000);
}

/**
 * The launch of an app for the signed-in user. A warm start reuses the cached ticket and records
 * the open in the background; that fresh answer also carries the merchant's current standing,
 * handed to onFresh (a freeze or unfreeze shows at once, not after the reuse time).
 */
async function launchFor(appId, page, onFresh) {
  const cached = launches.get(appId);
  if (cached && cached.until > Date.now() && !page) {
    api('POST', `/api/apps/${encodeURIComponent(appId)}/launch`, {}).then((fresh) => {
      cached.launch = { ...cached.launch, merchant_status: fresh.merchant_status,
        merchant_notice: fresh.merchant_notice };
      onFresh?.(fresh);
    }).catch(() => {});
    return cached.launch;
  }
  const launch = await api('POST', `/api/apps/${encodeURIComponent(appId)}/launch`,
    page ? { page } : {});
  launches.set(appId, { launch, until: Date.now() + reuseMs(launch) });
  return launch;
}

/** Splits "pages/a/b?x=1" (or "/pages/a/b") into a page and its query object. */
function parseUrl(url) {
  const [path, qs = ''] = String(url).split('?', 2);
  return { page: path.replace(/^\/+/, '').replace(/\.html$/, ''),
    query: Object.fromEntries(new URLSearchParams(qs)) };
}

/**
 * The app.json tabBar items the runtime draws: 2 to 5, each a page of the app (the package
 * validator already insists on this; a launch answer that does not hold to it draws no bar).
 */
function tabItems(launch) {
  const items = launch.tab_bar?.items;
  if (!Array.isArray(items) || items.length < 2 || items.length > 5) return [];
  const pages = launch.pages || [];
  const ok = items.every((t) => t && pages.includes(t.pagePath) && typeof t.name === 'string');
  return ok ? items : [];
}

function systemInfo() {
  return {
    brand: 'Hutong', platform: navigator.platform || 'web', language: navigator.language,
    windowWidth: window.innerWidth, windowHeight: window.innerHeight,
    screenWidth: screen.width, screenHeight: screen.height, pixelRatio: devicePixelRatio,
    version: '1.0.0', app: 'hutong',
  };
}

class MiniApp {
  constructor(launch, options, container, deps) {
    this.launch = launch;
    this.appId = launch.app_id;
    this.scene = SCENES[options.scene] || SCENES.home;
    this.deps = deps;
    this.bucket = new TokenBucket(BUCKET_CAPACITY, BUCKET_PER_SECOND);
    this.stack = [];
    this.scopes = new Set(launch.scopes || []);
    this.closed = false;
    this.until = Date.now() + reuseMs(launch);
    this.build(container);
    this.ui = new RuntimeUi(this.overlay);
    this.showNotice(launch);
  }

  /**
   * The line under the title bar: a review preview says so; a frozen merchant's app says that
   * payments are unavailable (the server's words), and the line goes when the merchant is not.
   */
  showNotice(launch) {
    const text = launch.preview
      ? `Review preview of version ${launch.version}: payments and user data are off`
      : launch.merchant_notice;
    this.notice.textContent = text || '';
    this.notice.hidden = !text;
    this.notice.dataset.kind = launch.preview ? 'preview' : (launch.merchant_status || '');
  }

  build(container) {
    const root = document.createElement('section');
    root.className = 'hm-app';
    root.dataset.appId = this.appId;
    const bar = document.createElement('header');
    bar.className = 'hm-titlebar';
    const color = this.launch.window?.titleBarColor;
    if (color) bar.style.background = color;
    const back = document.createElement('button');
    back.className = 'hm-back';
    back.type = 'button';
    back.setAttribute('aria-label', 'Back');
    back.textContent = '‹';
    back.onclick = () => (this.stack.length > 1 ? this.back(1) : this.close());
    this.title = document.createElement('h1');
    this.title.className = 'hm-title';
    this.title.textContent = this.launch.window?.defaultTitle || this.launch.name;
    const more = document.createElement('button');
    more.className = 'hm-more';
    more.type = 'button';
    more.setAttribute('aria-label', 'About and permissions');
    more.textContent = '…';
    more.onclick = () => this.about();
    const close = document.createElement('button');
    close.className = 'hm-close';
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.textContent = '✕';
    close.onclick = () => this.close();
    bar.append(back, this.title, more, close);
    this.notice = document.createElement('p');
    this.notice.className = 'hm-notice';
    this.notice.setAttribute('role', 'status');
    this.notice.hidden = true;
    this.pages = document.createElement('div');
    this.pages.className = 'hm-pages';
    this.tabs = tabItems(this.launch);
    this.tabBar = this.tabs.length > 0 ? this.buildTabBar() : null;
    this.overlay = document.createElement('div');
    this.overlay.className = 'hm-overlay';
    root.append(bar, this.notice, this.pages, ...(this.tabBar ? [this.tabBar] : []), this.overlay);
    container.replaceChildren(root);
    this.root = root;
  }

  /** The app.json tabBar below the pages: a tap is a switchTab; colours from app.json. */
  buildTabBar() {
    const spec = this.launch.tab_bar;
    const nav = document.createElement('nav');
    nav.className = 'hm-tabbar';
    nav.setAttribute('role', 'tablist');
    if (COLOR.test(spec.backgroundColor || '')) nav.style.background = spec.backgroundColor;
    nav.append(...this.tabs.map((t) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.className = 'hm-tab';
      tab.setAttribute('role', 'tab');
      tab.dataset.page = t.pagePath;
      if (ICON_PATH.test(t.icon || '')) {
        const img = document.createElement('img');
        img.className = 'hm-tab-icon';
        img.alt = '';
        tab.append(img);
      }
      const name = document.createElement('span');
      name.className = 'hm-tab-name';
      name.textContent = t.name;
      tab.append(name);
      tab.onclick = () => this.switchTab(t.pagePath).catch((e) => this.ui.showToast({
        content: e?.errorMessage || String(e), type: 'fail' }));
      return tab;
    }));
    return nav;
  }

  isTab(page) {
    return this.tabs.some((t) => t.pagePath === page);
  }

  /**
   * Shows the bar only while a tab page is on screen (a page opened over it with navigateTo has
   * none, as on Alipay), marks the current tab, and draws icons from the current launch ticket.
   */
  updateTabBar() {
    if (!this.tabBar) return;
    const top = this.stack[this.stack.length - 1];
    const current = top && this.isTab(top.page) ? top.page : null;
    this.tabBar.hidden = current === null;
    const spec = this.launch.tab_bar;
    this.tabs.forEach((t, i) => {
      const tab = this.tabBar.children[i];
      const active = t.pagePath === current;
      tab.classList.toggle('active', active);
      tab.setAttribute('aria-selected', String(active));
      const color = active ? spec.selectedColor : spec.textColor;
      tab.style.color = COLOR.test(color || '') ? color : '';
      const img = tab.querySelector('img');
      const icon = active && ICON_PATH.test(t.activeIcon || '') ? t.activeIcon : t.icon;
      if (img && img.dataset.icon !== this.launch.base_url + icon) {
        img.dataset.icon = this.launch.base_url + icon;
        img.src = img.dataset.icon;
      }
    });
  }

  /**
   * my.switchTab and a tap on the bar: every page is closed and the tab page opened alone
   * (Alipay keeps tab pages alive; here the page loads anew, so its data is fresh).
   */
  async switchTab(page) {
    if (!this.isTab(page)) {
      throw { error: 2, errorMessage: `${page.slice(0, 100)} is not a page of app.json "tabBar"` };
    }
    const top = this.stack[this.stack.length - 1];
    if (this.stack.length === 1 && top.page === page) return {};
    await this.refreshTicket();
    this.lifecycle('hide');
    while (this.stack.length) this.pop();
    this.push(page, {});
    return {};
  }

  /** A launch ticket past its reuse time is renewed before a new page is loaded with it. */
  async refreshTicket() {
    if (Date.now() > this.until) {
      const fresh = await this.deps.relaunch();
      this.launch = { ...this.launch, base_url: fresh.base_url };
      this.until = Date.now() + reuseMs(fresh);
    }
  }

  /** Opens a page of the app in a new frame on top of the stack. */
  push(page, query) {
    const frame = { app: this, page, query, nonce: nonce(), port: null };
    const iframe = document.createElement('iframe');
    // Never allow-same-origin: the app's origin stays opaque.
    iframe.setAttribute('sandbox', 'allow-scripts allow-forms');
    iframe.setAttribute('referrerpolicy', 'no-referrer');
    iframe.setAttribute('allow', '');
    iframe.className = 'hm-frame';
    iframe.title = this.launch.name;
    const qs = new URLSearchParams(query).toString();
    iframe.src = `${this.launch.base_url}${page}.html${qs ? '?' + qs : ''}#hutong=${frame.nonce}`;
    frame.iframe = iframe;
    const below = this.stack[this.stack.length - 1];
    if (below) {
      below.iframe.hidden = true;
      this.send(below, { event: 'hide' });
    }
    this.stack.push(frame);
    this.pages.append(iframe);
    frames.set(iframe.contentWindow, frame);
    this.updateTabBar();
    return frame;
  }

  pop() {
    const frame = this.stack.pop();
    frames.delete(frame.iframe.contentWindow);
    frame.port?.close();
    frame.iframe.remove();
  }

  back(delta) {
    const n = Math.min(delta, this.stack.length - 1);
    for (let i = 0; i < n; i++) this.pop();
    const top = this.stack[this.stack.length - 1];
    top.iframe.hidden = false;
    this.send(top, { event: 'show' });
    this.updateTabBar();
  }

  connect(frame) {
    const channel = new MessageChannel();
    frame.port = channel.port1;
    frame.port.onmessage = (event) => this.onCall(frame, event.data);
    const launch = {
      appId: this.appId, version: this.launch.version, envVersion: this.launch.env_version,
      page: frame.page, query: frame.query, scene: this.scene, ext: this.launch.ext,
      systemInfo: systemInfo(),
    };
    // A sandboxed frame's origin is opaque, so no target origin can name it; the port goes to
    // the frame's window we created, and the nonce in its URL proved the document is the page we
    // loaded. From here on, answers travel over the private port only.
    frame.iframe.contentWindow.postMessage({ hutong: 'port', nonce: frame.nonce, launch }, '*',
      [channel.port2]);
    this.send(frame, { event: 'show' });
    this.root.dispatchEvent(new CustomEvent('hutong:connected', { detail: { page: frame.page } }));
  }

  send(frame, message) {
    frame.port?.postMessage(message);
  }

  async onCall(frame, message) {
    if (this.closed || !message || typeof message !== 'object') return;
    const { id, method, payload } = message;
    if (!Number.isSafeInteger(id)) return;
    const reply = (result) => this.send(frame, { id, ok: true, result });
    const fail = (error, errorMessage) => this.send(frame, { id, ok: false, error,
      errorMessage });
    if (!this.bucket.take()) {
      fail(429, 'too many bridge calls; slow down');
      return;
    }
    try {
      if (JSON.stringify(payload ?? {}).length > MESSAGE_CHARS_MAX) {
        throw new InvalidPayload('the payload is too large');
      }
      validate(method, payload);
      reply(await this.dispatch(frame, method, payload));
    } catch (e) {
      if (e instanceof InvalidPayload) fail(METHODS.includes(method) ? 2 : 1, e.message);
      else if (e instanceof ApiError) fail(e.bridgeError, e.message);
      else if (e && typeof e.error === 'number') fail(e.error, e.errorMessage);
      else fail(3, String(e && e.message || e));
    }
  }

  /** The server's bridge API for this app: the user's, or a review preview's (api_base). */
  path(suffix) {
    return (this.launch.api_base || `/api/apps/${encodeURIComponent(this.appId)}/`) + suffix;
  }

  async dispatch(frame, method, p) {
    switch (method) {
      case 'tradePay': return this.tradePay(p.tradeNO);
      case 'getAuthCode': return this.authCode(p.scopes);
      case 'getExtConfig': return { data: this.launch.ext || {} };
      case 'setStorage': return api('POST', this.path('storage/set'), { key: p.key, data: p.data });
      case 'getStorage': return api('POST', this.path('storage/get'), { key: p.key });
      case 'removeStorage': return api('POST', this.path('storage/remove'), { key: p.key });
      case 'clearStorage': return api('POST', this.path('storage/clear'), {});
      case 'getStorageInfo': return api('POST', this.path('storage/info'), {});
      case 'navigateTo': return this.navigate(p.url, false);
      case 'redirectTo': return this.navigate(p.url, true);
      case 'switchTab': {
        const { page, query } = parseUrl(p.url);
        if (Object.keys(query).length > 0) {
          throw { error: 2, errorMessage: 'switchTab takes a tab page without a query' };
        }
        return this.switchTab(page);
      }
      case 'navigateBack':
        if (this.stack.length <= 1) throw { error: 2, errorMessage: 'no page to go back to' };
        this.back(p.delta || 1);
        return {};
      case 'showToast': this.ui.showToast(p); return {};
      case 'hideToast': this.ui.hideToast(); return {};
      case 'showLoading': this.ui.showLoading(p); return {};
      case 'hideLoading': this.ui.hideLoading(); return {};
      case 'showModal': {
        const confirm = await this.ui.dialog({ ...p, showCancel: p.showCancel !== false });
        return { confirm, cancel: !confirm };
      }
      case 'alert':
        await this.ui.dialog({ title: p.title, content: p.content,
          confirmText: p.buttonText || 'OK', showCancel: false });
        return {};
      case 'confirm': {
        const confirm = await this.ui.dialog({ title: p.title, content: p.content,
          confirmText: p.confirmButtonText || 'OK', cancelText: p.cancelButtonText || 'Cancel' });
        return { confirm };
      }
      case 'getLocation': return this.location();
      case 'scan': return this.scan();
      case 'setNavigationBar':
        if (p.title !== undefined) this.title.textContent = p.title;
        if (p.backgroundColor) this.root.querySelector('.hm-titlebar').style.background = p.backgroundColor;
        return {};
      case 'getSystemInfo': return systemInfo();
      default: throw new InvalidPayload(`unknown method ${method}`);
    }
  }

  async tradePay(tradeNo) {
    // Only the app's own trades: an app cannot put another merchant's order in front of the user.
    try {
      await api('GET', this.path(`trades/${encodeURIComponent(tradeNo)}`));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { resultCode: '4000', tradeNO: tradeNo };
      throw e;
    }
    // The cashier sheet shows the merchant, amount and subject from the server and asks for the
    // PIN; the app learns only the result code (9000 is a hint: its back end asks the gateway).
    const result = await this.deps.openCashier({ tradeNo });
    return { resultCode: String(result?.resultCode ?? '6001'), tradeNO: tradeNo };
  }

  async authCode(scopes) {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    // A preview has no user to ask: the server refuses the call itself.
    if (list.includes('auth_user') && !this.scopes.has('auth_user') && !this.launch.preview) {
      const purpose = this.launch.permission?.['scope.userInfo']?.desc;
      if (!(await this.ui.consent(this.launch.name, SCOPE_WORDS['scope.userInfo'], purpose))) {
        throw { error: 11, errorMessage: 'the user declined' };
      }
    }
    const result = await api('POST', this.path('auth-code'), { scopes: list });
    list.forEach((s) => this.scopes.add(s));
    return result;
  }

  /** Asks once per app (remembered on the server) before a device capability is used. */
  async requireScope(scope) {
    const purpose = this.launch.permission?.[scope]?.desc;
    if (!purpose) {
      throw { error: 4, errorMessage: `${scope} is not declared in app.json "permission"` };
    }
    if (this.scopes.has(scope)) return;
    if (!this.launch.preview && !(await this.ui.consent(this.launch.name, SCOPE_WORDS[scope], purpose))) {
      throw { error: 11, errorMessage: 'the user declined' };
    }
    await api('POST', this.path(`scopes/${scope}`), {});
    this.scopes.add(scope);
  }

  async location() {
    await this.requireScope('scope.userLocation');
    const pos = await new Promise((resolve, reject) => navigator.geolocation.getCurrentPosition(
      resolve, (e) => reject({ error: 12, errorMessage: `location unavailable: ${e.message}` }),
      { timeout: 15000, maximumAge: 60000 }));
    return { longitude: String(pos.coords.longitude), latitude: String(pos.coords.latitude),
      accuracy: String(pos.coords.accuracy) };
  }

  async scan() {
    await this.requireScope('scope.camera');
    const code = await this.ui.scanSheet(this.launch.name);
    if (code === null) throw { error: 11, errorMessage: 'the user cancelled' };
    return { code, result: code, qrCode: code };
  }

  async navigate(url, replace) {
    const { page, query } = parseUrl(url);
    const pages = [...(this.launch.pages || [])];
    if (!pages.includes(page)) {
      throw { error: 2, errorMessage: `the app has no page ${page.slice(0, 100)}` };
    }
    if (this.isTab(page)) {
      throw { error: 2, errorMessage: `${page.slice(0, 100)} is a tabBar page: use my.switchTab` };
    }
    if (!replace && this.stack.length >= PAGE_STACK_MAX) {
      throw { error: 2, errorMessage: `at most ${PAGE_STACK_MAX} pages; use redirectTo` };
    }
    await this.refreshTicket();
    if (replace) this.pop();
    this.push(page, query);
    return {};
  }

  async about() {
    // Without the favourites list (a failed call) the sheet still opens, without the toggle.
    const [{ scopes }, favorites] = await Promise.all([api('GET', this.path('scopes')),
      api('GET', '/api/me/apps/favorites?limit=200').catch(() => null)]);
    const favorite = favorites && { on: favorites.apps.some((a) => a.app_id === this.appId),
      toggle: async (on) => {
        const answer = await api(on ? 'PUT' : 'DELETE',
          `/api/me/apps/favorites/${encodeURIComponent(this.appId)}`);
        return answer.favorite;
      } };
    this.ui.aboutSheet(this.launch, scopes, async (scope) => {
      await api('DELETE', `/api/me/apps/${encodeURIComponent(this.appId)}/scopes/${scope}`);
      this.scopes.delete(scope);
      if (scope === 'scope.userInfo') { this.scopes.delete('auth_user'); this.scopes.delete('auth_base'); }
    }, favorite);
  }

  lifecycle(event) {
    const top = this.stack[this.stack.length - 1];
    if (top) this.send(top, { event });
  }

  close() {
    if (this.closed) return;
    this.lifecycle('hide');
    this.closed = true;
    while (this.stack.length) this.pop();
    this.root.remove();
    if (current === this) current = null;
    this.root.dispatchEvent(new CustomEvent('hutong:closed'));
    this.onClose?.();
  }
}

/**
 * Opens a mini-program in the shell's app slot.
 * @param {{appId: string, page?: string, query?: string|object, scene?: string}} options
 *   scene is one of search, recent, favourite, qr, link (or home)
 * @param {{container?, openCashier?, launch?: () => Promise<object>}} deps the operations
 *   console's review preview passes its own container, a cashier that refuses, and launch (its
 *   preview launch, whose api_base sends the bridge's server calls to the console's API)
 * @returns {Promise<{appId, close: () => void, element: HTMLElement, closed: Promise<void>}>}
 */
export async function openMiniApp(options, deps = {}) {
  ensureStyles();
  const container = deps.container || appContainer();
  const cashier = deps.openCashier || openCashier;
  current?.close();
  let app = null;
  let fresh = null;
  const onFresh = (f) => { fresh = f; app?.showNotice(f); };
  const launch = deps.launch ? await deps.launch()
    : await launchFor(options.appId, options.page, onFresh);
  const relaunch = deps.launch || (() => launchFor(options.appId, undefined, onFresh));
  app = new MiniApp(launch, options, container, { openCashier: cashier, relaunch });
  if (fresh) app.showNotice(fresh);
  current = app;
  const query = typeof options.query === 'string'
    ? Object.fromEntries(new URLSearchParams(options.query)) : (options.query || {});
  const page = options.page ? parseUrl(options.page).page : launch.page;
  const closed = new Promise((resolve) => { app.onClose = resolve; });
  app.push(page, query);
  return { appId: app.appId, element: app.root, close: () => app.close(), closed };
}

function ensureStyles() {
  if (document.getElementById('hutong-runtime-css')) return;
  const link = document.createElement('link');
  link.id = 'hutong-runtime-css';
  link.rel = 'stylesheet';
  link.href = '/shell/runtime/runtime.css';
  document.head.append(link);
}

// The shell opens apps through appframe-slot.js's launchApp(appId, {page, query, scene}).
setAppLauncher((appId, options = {}) => openMiniApp({ ...options, appId }));
