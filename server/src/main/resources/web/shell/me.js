// Me: the account, and mini-program settings — which scopes each app holds, revocable.
// The scope API (GET /api/me/apps, DELETE /api/me/apps/{appId}/scopes/{scope}) belongs to the
// mini-program runtime (answering {apps: [{app_id, name, icon, scopes}]}).

import { api } from './api.js';
import { h, header, mount, toast } from './ui.js';

// Scope names as GET /api/me/apps gives them (docs/miniapp-guide.md): scope.userInfo stands for
// the OAuth consent to auth_user, so auth_user itself is not listed twice.
const SCOPE_NAMES = {
  'scope.userInfo': 'Your nickname', auth_base: 'Your app-specific user id',
  'scope.userLocation': 'Your location', 'scope.camera': 'The camera (scan)',
};

function shownScopes(scopes) {
  return scopes.filter((s) => s !== 'auth_user' && !(s === 'auth_base' && scopes.includes('scope.userInfo')));
}

export function renderMe(container, { user, onLoggedOut }) {
  const apps = h('div', { class: 'me-apps', 'data-testid': 'me-apps' }, h('p', { class: 'muted' }, 'Loading…'));
  mount(container, header('Me'),
    h('section', { class: 'card me-profile' },
      h('span', { class: 'avatar' }, (user.nickname || '?').slice(0, 1)),
      h('div', {}, h('p', { class: 'me-name' }, user.nickname), h('p', { class: 'muted' }, user.phone))),
    h('section', { class: 'card' }, h('h2', { class: 'card-title' }, 'Mini-program permissions'), apps),
    h('section', { class: 'card' },
      h('p', { class: 'muted small' }, 'Top-ups come from a simulated bank: no real money moves in this installation.'),
      h('button', { class: 'btn btn-danger', type: 'button', 'data-testid': 'logout', onclick: async () => {
        try {
          await api('POST', '/api/logout');
        } catch (e) {
          // Already logged out.
        }
        onLoggedOut();
      } }, 'Log out')));
  loadApps(apps);
}

async function loadApps(container) {
  let list;
  try {
    list = (await api('GET', '/api/me/apps')).apps || [];
  } catch (e) {
    container.replaceChildren(h('p', { class: 'muted' }, e.status === 404
      ? 'No mini-program holds any permission.' : e.message));
    return;
  }
  if (list.length === 0) {
    container.replaceChildren(h('p', { class: 'muted' }, 'No mini-program holds any permission.'));
    return;
  }
  container.replaceChildren(...list.map((app) => h('div', { class: 'scope-app', dataset: { appId: app.app_id } },
    h('p', { class: 'scope-app-name' }, app.name || app.app_id),
    h('ul', { class: 'scope-list' }, shownScopes(app.scopes || []).map((scope) => h('li', { dataset: { scope } },
      h('span', {}, SCOPE_NAMES[scope] || scope),
      h('button', { class: 'btn btn-small', type: 'button', onclick: async () => {
        try {
          await api('DELETE', '/api/me/apps/' + encodeURIComponent(app.app_id) + '/scopes/' + encodeURIComponent(scope));
          toast('Permission revoked', 'success');
          loadApps(container);
        } catch (e) {
          toast(e.message, 'error');
        }
      } }, 'Revoke')))))));
}
