// The shell: account screens until logged in, then five tabs (Home, Pay, Scan, Wallet, Me) and
// the screens behind them, routed by the URL's hash.

import { api } from './api.js';
import { renderAccount } from './account.js';
import { launchApp } from './appframe-slot.js';
import { renderHome } from './home.js';
import { renderMe } from './me.js';
import { leavePay, renderPay } from './pay.js';
import { leaveScan, renderScan } from './scan.js';
import { h, icon, toast } from './ui.js';
import { renderTrade, renderWallet } from './wallet.js';

const TABS = [
  { id: 'home', label: 'Home' }, { id: 'pay', label: 'Pay' }, { id: 'scan', label: 'Scan' },
  { id: 'wallet', label: 'Wallet' }, { id: 'me', label: 'Me' },
];

const app = document.getElementById('app');
let user = null;
/** An app link (#/app/...) opened before logging in: opened once the user has. */
let pendingAppLink = null;
/** Scenes an app link may carry (launch links and their QR codes); anything else is a link. */
const LINK_SCENES = ['link', 'qr'];

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function start() {
  try {
    user = (await api('GET', '/api/me')).user;
  } catch (e) {
    user = null;
  }
  window.addEventListener('hashchange', route);
  route();
}

function route() {
  leavePay();
  leaveScan();
  const [, screen = '', arg = ''] = location.hash.split('/');
  if (!user) {
    if (screen === 'app') pendingAppLink = location.hash;
    const view = h('main', { class: 'screen' });
    app.replaceChildren(view);
    renderAccount(view, screen === 'signup' ? 'signup' : 'login', (u) => {
      user = u;
      const link = pendingAppLink;
      pendingAppLink = null;
      navigate(link || '#/home');
    });
    app.dataset.screen = screen === 'signup' ? 'signup' : 'login';
    return;
  }
  if (screen === 'app') {
    openAppLink(location.hash);
    return;
  }
  const tab = TABS.some((t) => t.id === screen) ? screen : screen === 'trade' ? 'wallet' : 'home';
  const view = h('main', { class: 'screen' });
  app.replaceChildren(view, tabBar(tab));
  app.dataset.screen = screen === 'trade' ? 'trade' : tab;
  const context = { user, navigate, onLoggedOut: () => { user = null; navigate('#/login'); } };
  if (screen === 'trade') renderTrade(view, decodeURIComponent(arg), context);
  else if (tab === 'pay') renderPay(view);
  else if (tab === 'scan') renderScan(view, context);
  else if (tab === 'wallet') renderWallet(view, context);
  else if (tab === 'me') renderMe(view, context);
  else renderHome(view, context);
}

/**
 * `#/app/<appId>?page=&query=&scene=` (where /launch/<appId> links and launch QR codes land):
 * the home screen with the app opened over it; closing the app leaves the home screen. The link
 * is replaced by #/home at once, so going back or reloading does not open the app again.
 */
function openAppLink(hash) {
  const rest = hash.slice('#/app/'.length);
  const cut = rest.indexOf('?');
  const appId = decodeURIComponent(cut < 0 ? rest : rest.slice(0, cut));
  const params = new URLSearchParams(cut < 0 ? '' : rest.slice(cut + 1));
  const scene = LINK_SCENES.includes(params.get('scene')) ? params.get('scene') : 'link';
  history.replaceState(null, '', '#/home');
  route();
  launchApp(appId, { page: params.get('page') || undefined, query: params.get('query') || undefined, scene })
    .then((view) => view?.closed)
    .then(() => { if (location.hash === '#/home') route(); })
    .catch((e) => toast(e.message, 'error'));
}

function tabBar(active) {
  return h('nav', { class: 'tabbar', 'aria-label': 'Main' }, TABS.map((t) => h('a', {
    class: 'tab' + (t.id === active ? ' active' : ''), href: '#/' + t.id, dataset: { tab: t.id },
    'aria-current': t.id === active ? 'page' : undefined,
  }, icon(t.id, 'tab-icon'), h('span', {}, t.label))));
}

start();
