// The shell: account screens until logged in, then five tabs (Home, Pay, Scan, Wallet, Me) and
// the screens behind them, routed by the URL's hash.

import { api } from './api.js';
import { renderAccount } from './account.js';
import { renderHome } from './home.js';
import { renderMe } from './me.js';
import { leavePay, renderPay } from './pay.js';
import { leaveScan, renderScan } from './scan.js';
import { h, icon } from './ui.js';
import { renderTrade, renderWallet } from './wallet.js';

const TABS = [
  { id: 'home', label: 'Home' }, { id: 'pay', label: 'Pay' }, { id: 'scan', label: 'Scan' },
  { id: 'wallet', label: 'Wallet' }, { id: 'me', label: 'Me' },
];

const app = document.getElementById('app');
let user = null;

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
    const view = h('main', { class: 'screen' });
    app.replaceChildren(view);
    renderAccount(view, screen === 'signup' ? 'signup' : 'login', (u) => {
      user = u;
      navigate('#/home');
    });
    app.dataset.screen = screen === 'signup' ? 'signup' : 'login';
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

function tabBar(active) {
  return h('nav', { class: 'tabbar', 'aria-label': 'Main' }, TABS.map((t) => h('a', {
    class: 'tab' + (t.id === active ? ' active' : ''), href: '#/' + t.id, dataset: { tab: t.id },
    'aria-current': t.id === active ? 'page' : undefined,
  }, icon(t.id, 'tab-icon'), h('span', {}, t.label))));
}

start();
