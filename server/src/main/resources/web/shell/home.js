// Home: search, categories, recently used / favourite / featured mini-programs (docs/shell.md).
// Search and categories ask GET /api/search (discovery: text relevance, synonyms, prefixes, then
// quality); "Featured" is the same search with no text, which lists the best apps by quality. The
// user's own lists come from /api/me/apps/recent and /api/me/apps/favorites. Opening an app goes
// through launchApp (appframe-slot.js), which the runtime serves, with the scene the app sees.

import { api } from './api.js';
import { launchApp } from './appframe-slot.js';
import { h, icon, mount, toast } from './ui.js';

/** Category tiles shown before "More"; the rest appear when it is tapped. */
const CATEGORY_TILES = 7;
/** Tile colours: classes cat-0 … cat-9 in app.css (the shell's CSP allows no inline styles). */
const CATEGORY_COLORS = 10;
const SEARCH_PAGE_SIZE = 20;
const SECTION_APPS = 8;

export function renderHome(container, { user, navigate }) {
  const results = h('div', { class: 'home-results' });
  const sections = h('div', { class: 'home-sections' });
  const categories = h('div', { class: 'categories' });
  const search = h('input', { class: 'search-input', type: 'search', name: 'q', maxlength: 200,
    placeholder: 'Search mini-programs, merchants', 'aria-label': 'Search' });
  const home = { results, sections, search, reload: () => loadSections(sections, home) };
  const form = h('form', { class: 'search-box', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    showSearch(home, { q: search.value.trim() });
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
    h('section', { class: 'card' }, categories),
    results, sections);
  loadCategories(categories, home);
  loadSections(sections, home);
}

function quick(iconName, label, onclick) {
  return h('button', { class: 'quick-item', type: 'button', onclick }, icon(iconName, 'quick-icon'), h('span', {}, label));
}

/** The discovery service's categories: the first few as tiles, the others behind "More". */
async function loadCategories(box, home) {
  let list;
  try {
    list = (await api('GET', '/api/categories')).categories;
  } catch (e) {
    box.replaceChildren(h('p', { class: 'muted' }, 'Categories are not available: ' + e.message));
    return;
  }
  const tile = (c, i) => h('button', {
    class: 'category', type: 'button', dataset: { category: c.slug }, title: c.name,
    onclick: () => {
      home.search.value = '';
      showSearch(home, { category: c.slug, title: c.name });
    },
  }, h('span', { class: 'category-icon cat-' + (i % CATEGORY_COLORS) },
    c.name.slice(0, 1)), h('span', { class: 'category-name' }, shortName(c.name)));
  const tiles = list.map(tile);
  if (tiles.length <= CATEGORY_TILES + 1) {
    box.replaceChildren(...tiles);
    return;
  }
  const more = h('button', { class: 'category', type: 'button', dataset: { category: 'more' },
    onclick: () => box.replaceChildren(...tiles) },
  h('span', { class: 'category-icon cat-more' }, '…'), h('span', {}, 'More'));
  box.replaceChildren(...tiles.slice(0, CATEGORY_TILES), more);
}

/** "Movies & cinemas" → "Movies": the tile has room for one word; the title keeps the rest. */
function shortName(name) {
  return name.split(/\s*[&,]\s*/)[0];
}

/** Recently used, favourites and featured; each section is one call. */
function loadSections(sections, home) {
  const lists = [
    ['recent', 'Recently used', '/api/me/apps/recent?limit=' + SECTION_APPS, 'recent'],
    ['favorite', 'Favourites', '/api/me/apps/favorites?limit=' + SECTION_APPS, 'favourite'],
    ['featured', 'Featured', '/api/search?size=' + SECTION_APPS, 'home'],
  ];
  sections.replaceChildren();
  for (const [kind, title, path, scene] of lists) {
    const section = h('section', { class: 'card app-section', dataset: { section: kind } },
      h('h2', { class: 'card-title' }, title), h('p', { class: 'muted' }, 'Loading…'));
    sections.append(section);
    fillSection(section, title, path, scene, home);
  }
}

async function fillSection(section, title, path, scene, home) {
  let body;
  try {
    const answer = await api('GET', path);
    const apps = answer.apps || answer.results || [];
    body = apps.length === 0 ? h('p', { class: 'muted' }, emptyText(section.dataset.section))
      : appGrid(apps, scene, home);
  } catch (e) {
    body = h('p', { class: 'muted' }, 'Could not load this list: ' + e.message);
  }
  section.replaceChildren(h('h2', { class: 'card-title' }, title), body);
}

function emptyText(kind) {
  if (kind === 'recent') return 'Apps you open appear here.';
  if (kind === 'favorite') return 'Add an app here from its “…” menu.';
  return 'No mini-programs are online yet.';
}

async function showSearch(home, { q, category, title }) {
  const heading = h('h2', { class: 'card-title' }, title || (q ? 'Results for “' + q + '”' : 'Mini-programs'));
  const list = h('ul', { class: 'result-list' });
  const card = h('section', { class: 'card search-results' }, heading, list);
  home.results.replaceChildren(card);
  await searchPage(home, card, list, { q, category }, 1);
}

/** One page of results appended to the list, with "More results" while there are more. */
async function searchPage(home, card, list, { q, category }, page) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (category) params.set('category', category);
  params.set('page', String(page));
  params.set('size', String(SEARCH_PAGE_SIZE));
  const status = h('p', { class: 'muted' }, 'Searching…');
  card.append(status);
  let found;
  try {
    found = await api('GET', '/api/search?' + params);
  } catch (e) {
    status.textContent = e.message;
    return;
  }
  status.remove();
  list.append(...found.results.map((app) => resultRow(app, home)));
  if (list.children.length === 0) {
    card.append(h('p', { class: 'muted' }, 'No mini-programs found.'));
  } else if (list.children.length < found.total && page * SEARCH_PAGE_SIZE < 1000) {
    const more = h('button', { class: 'link-button more-results', type: 'button', onclick: () => {
      more.remove();
      searchPage(home, card, list, { q, category }, page + 1);
    } }, 'More results');
    card.append(more);
  }
}

function resultRow(app, home) {
  return h('li', {}, h('button', {
    class: 'result-row', type: 'button', dataset: { appId: app.app_id },
    onclick: () => open(app.app_id, 'search', home),
  }, letterIcon(app), h('span', { class: 'result-text' },
    h('span', { class: 'result-name' }, app.name || app.app_id),
    // Said before it is opened; the app itself shows the same notice under its title bar.
    app.merchant_suspended
      ? h('span', { class: 'result-suspended' }, 'Merchant suspended · payments unavailable')
      : null,
    h('span', { class: 'result-description muted' }, app.description || ''))));
}

/**
 * A grid of app tiles; an item is {app_id, name, description?, category?, icon?,
 * merchant_suspended?} (a frozen merchant's app is marked, as in the search results).
 */
export function appGrid(apps, scene, home) {
  return h('div', { class: 'app-grid' }, apps.map((app) => h('button', {
    class: 'app-tile', type: 'button', dataset: { appId: app.app_id },
    onclick: () => open(app.app_id, scene, home),
  }, letterIcon(app), h('span', { class: 'app-name' }, app.name || app.app_id),
  app.merchant_suspended ? h('span', { class: 'app-suspended' }, 'Suspended') : null)));
}

// An app's icon is a file inside its package, served only on the app's own origin under a launch
// ticket, so the home screen draws its initial instead.
function letterIcon(app) {
  return h('span', { class: 'app-icon app-icon-letter' }, (app.name || '?').slice(0, 1));
}

/** Opens the app; when it closes, the lists are read again (it is now the most recent). */
async function open(appId, scene, home) {
  try {
    const view = await launchApp(appId, { scene });
    await view?.closed;
    if (home?.sections.isConnected) home.reload();
  } catch (e) {
    toast(e.message, 'error');
  }
}
