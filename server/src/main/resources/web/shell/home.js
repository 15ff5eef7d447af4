// Home: search, categories, recently used / favourite / featured mini-programs. The app lists
// come from GET /api/search (the discovery service); without it the sections say so. Opening an
// app goes through launchApp (appframe-slot.js), which the runtime serves.

import { api } from './api.js';
import { launchApp } from './appframe-slot.js';
import { h, icon, mount, toast } from './ui.js';

export const CATEGORIES = [
  { id: 'food', name: 'Food', color: '#ff7a45' },
  { id: 'movies', name: 'Movies', color: '#9254de' },
  { id: 'housing', name: 'Housing', color: '#13c2c2' },
  { id: 'travel', name: 'Travel', color: '#1677ff' },
  { id: 'shopping', name: 'Shopping', color: '#eb2f96' },
  { id: 'services', name: 'Services', color: '#52c41a' },
  { id: 'health', name: 'Health', color: '#fa541c' },
  { id: 'more', name: 'More', color: '#8c8c8c' },
];

export function renderHome(container, { user, navigate }) {
  const results = h('div', { class: 'home-results' });
  const sections = h('div', { class: 'home-sections' });
  const search = h('input', { class: 'search-input', type: 'search', name: 'q', maxlength: 100,
    placeholder: 'Search mini-programs, merchants', 'aria-label': 'Search' });
  const form = h('form', { class: 'search-box', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    showSearch(results, { q: search.value.trim() });
  } }, icon('search'), search);

  mount(container,
    h('section', { class: 'home-hero' },
      h('p', { class: 'hello' }, 'Hello, ' + (user ? user.nickname : '')),
      form,
      h('div', { class: 'quick' },
        quick('scan', 'Scan', () => navigate('#/scan')),
        quick('pay', 'Pay', () => navigate('#/pay')),
        quick('topup', 'Top up', () => navigate('#/wallet')),
        quick('bill', 'Bills', () => navigate('#/wallet')))),
    h('section', { class: 'card' },
      h('div', { class: 'categories' }, CATEGORIES.map((c) => h('button', {
        class: 'category', type: 'button', dataset: { category: c.id },
        onclick: () => showSearch(results, { category: c.id, title: c.name }),
      }, h('span', { class: 'category-icon cat-' + c.id }, c.name.slice(0, 1)), h('span', {}, c.name))))),
    results, sections);
  loadSections(sections);
}

function quick(iconName, label, onclick) {
  return h('button', { class: 'quick-item', type: 'button', onclick }, icon(iconName, 'quick-icon'), h('span', {}, label));
}

/** Recent, favourite and featured apps; each section is one call that may not exist yet. */
async function loadSections(sections) {
  const lists = [
    ['recent', 'Recently used'], ['favorite', 'Favourites'], ['featured', 'Featured'],
  ];
  for (const [kind, title] of lists) {
    const section = h('section', { class: 'card app-section', dataset: { section: kind } },
      h('h2', { class: 'card-title' }, title), h('p', { class: 'muted' }, 'Loading…'));
    sections.append(section);
    fillSection(section, title, '/api/search?list=' + kind, kind === 'favorite' ? 'favourite' : kind);
  }
}

async function fillSection(section, title, path, scene) {
  let apps = [];
  try {
    apps = (await api('GET', path)).items || [];
  } catch (e) {
    apps = null;
  }
  const body = !apps ? h('p', { class: 'muted' }, 'Mini-programs will appear here.')
    : apps.length === 0 ? h('p', { class: 'muted' }, 'Nothing here yet.')
      : appGrid(apps, scene);
  section.replaceChildren(h('h2', { class: 'card-title' }, title), body);
}

async function showSearch(results, { q, category, title }) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (category) params.set('category', category);
  results.replaceChildren(h('section', { class: 'card' }, h('p', { class: 'muted' }, 'Searching…')));
  let apps;
  try {
    // GET /api/search answers {results, total} (MiniappRoutes).
    const found = await api('GET', '/api/search?' + params);
    apps = found.results || found.items || [];
  } catch (e) {
    apps = null;
  }
  const heading = h('h2', { class: 'card-title' }, title || (q ? 'Results for “' + q + '”' : 'Mini-programs'));
  const body = apps === null ? h('p', { class: 'muted' }, 'Search is not available yet.')
    : apps.length === 0 ? h('p', { class: 'muted' }, 'No mini-programs found.') : appGrid(apps, 'search');
  results.replaceChildren(h('section', { class: 'card' }, heading, body));
}

/** A grid of app tiles; an item is {app_id, name, icon_url?, description?}. */
export function appGrid(apps, scene) {
  return h('div', { class: 'app-grid' }, apps.map((app) => h('button', {
    class: 'app-tile', type: 'button', dataset: { appId: app.app_id },
    onclick: () => launchApp(app.app_id, { scene }).catch((e) => toast(e.message, 'error')),
  }, app.icon_url ? h('img', { class: 'app-icon', src: app.icon_url, alt: '' })
    : h('span', { class: 'app-icon app-icon-letter' }, (app.name || '?').slice(0, 1)),
  h('span', { class: 'app-name' }, app.name || app.app_id))));
}
