// The portal's "Mini-programs" tab: make a mini-program from a template by filling the form its
// ext schema renders, save drafts, preview as a trial in your own Hutong app, submit for review,
// read the reviewers' reasons, fix and resubmit. The portal passes in its API helpers.
import { renderSchemaForm } from './schemaform.js';

export function miniapps({ call, guard, el, newKey, $ }) {
  let form = null;
  let editing = null; // { template } while creating, { appId } while editing
  let createKey = null;

  async function load() {
    const [mine, offered] = await Promise.all([call('GET', '/miniapps'), call('GET', '/templates')]);
    $('#mp-list').replaceChildren(...mine.miniapps.map((a) => {
      const li = el('li', null, { 'data-app': a.app_id });
      const open = el('button', a.name, { type: 'button', class: 'link' });
      open.addEventListener('click', guard(() => edit(a.app_id)));
      li.append(open, el('span', ` ${a.version} · ${label(a.state)}`, { class: 'mp-state' }));
      return li;
    }));
    $('#mp-templates').replaceChildren(...offered.templates.map((t) => {
      const li = el('li', null, { 'data-template': t.app_id });
      const use = el('button', 'Use ' + t.name, { type: 'button' });
      use.addEventListener('click', guard(async () => create(t)));
      li.append(use, el('span', ' ' + (t.description || '')));
      return li;
    }));
  }

  function label(state) {
    return { DEVELOP: 'draft', TRIAL: 'draft (previewing)', AUDITING: 'in review',
      REJECTED: 'rejected', APPROVED: 'approved', ONLINE: 'online', OFFLINE: 'offline' }[state] || state;
  }

  function create(t) {
    editing = { template: t };
    createKey = newKey();
    $('#mp-editor').hidden = false;
    $('#mp-title').textContent = 'New mini-program from ' + t.name;
    $('#mp-description-row').hidden = false;
    $('#mp-status').replaceChildren();
    $('#mp-reasons').replaceChildren();
    $('#mp-preview').hidden = true;
    $('#mp-submit').hidden = true;
    $('#mp-preview-btn').hidden = true;
    form = renderSchemaForm($('#mp-form'), t.schema, {});
  }

  async function edit(appId) {
    const d = await call('GET', '/miniapps/' + appId);
    editing = { appId };
    $('#mp-editor').hidden = false;
    $('#mp-title').textContent = d.name;
    $('#mp-description-row').hidden = true;
    show(d);
    form = renderSchemaForm($('#mp-form'), d.schema, d.ext);
  }

  function show(d) {
    $('#mp-status').textContent = `Version ${d.version}: ${label(d.state)}`
      + (d.status === 'ONLINE' ? ' · live, users can find it' : '');
    $('#mp-status').dataset.state = d.state;
    const rejected = d.versions.find((v) => v.reasons.length > 0);
    $('#mp-reasons').replaceChildren(...(rejected && (d.state === 'REJECTED' || d.state === 'DEVELOP'
      || d.state === 'TRIAL') ? rejected.reasons.map((r) => el('li',
      `Reviewer (version ${rejected.version}): ${r.reason}` + (r.file && r.file !== '(app)' ? ` [${r.file}]` : '')))
      : []));
    const draft = d.state === 'DEVELOP' || d.state === 'TRIAL';
    $('#mp-submit').hidden = !draft;
    $('#mp-preview-btn').hidden = !(draft || d.state === 'ONLINE');
    $('#mp-preview').hidden = true;
  }

  async function withErrors(fn) {
    try {
      form.showErrors([]);
      return await fn();
    } catch (e) {
      if (e.body && Array.isArray(e.body.violations)) form.showErrors(e.body.violations);
      throw e;
    }
  }

  $('#mp-save').addEventListener('click', guard(async () => {
    const ext = form.read();
    const d = await withErrors(() => (editing.template
      ? call('POST', '/miniapps', { template_app_id: editing.template.app_id,
        template_version: editing.template.version, description: $('#mp-description').value, ext }, createKey)
      : call('POST', `/miniapps/${editing.appId}/ext`, { ext })));
    editing = { appId: d.app_id };
    $('#mp-title').textContent = d.name;
    $('#mp-description-row').hidden = true;
    show(d);
    await load();
  }));

  $('#mp-preview-btn').addEventListener('click', guard(async () => {
    const p = await call('POST', `/miniapps/${editing.appId}/preview`);
    $('#mp-preview-link').href = p.link;
    $('#mp-preview-link').textContent = p.link;
    $('#mp-preview-qr').src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(p.qr_svg);
    $('#mp-preview').hidden = false;
  }));

  $('#mp-submit').addEventListener('click', guard(async () => {
    show(await call('POST', `/miniapps/${editing.appId}/submit`));
    await load();
  }));

  return { load };
}
