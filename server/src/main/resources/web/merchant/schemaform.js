// A form rendered from a template's ext JSON Schema (draft 2020-12, the parts templates use):
// strings (with enum → select), integers and numbers, booleans, objects with properties, arrays
// (of anything, with add/remove), "#/$defs/..." references. Objects whose keys are free
// (patternProperties) are edited as JSON. The browser only hints (required, min/max, lengths,
// patterns); the server validates, and showErrors puts its messages next to the fields.

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function resolve(root, s) {
  let schema = s || {};
  for (let i = 0; i < 10 && typeof schema.$ref === 'string'; i++) {
    const parts = schema.$ref.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
    let target = root;
    for (const p of parts) target = target ? target[p.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    schema = { ...(target || {}), ...schema, $ref: undefined };
  }
  return schema;
}

function kind(s) {
  if (Array.isArray(s.enum)) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'object' && !s.properties) return 'json';
  return t || (s.properties ? 'object' : 'json');
}

function hint(s) {
  const bits = [];
  if (s.minLength) bits.push(`at least ${s.minLength} characters`);
  if (s.maxLength) bits.push(`at most ${s.maxLength} characters`);
  if (s.minimum !== undefined) bits.push(`from ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`to ${s.maximum}`);
  if (s.minItems) bits.push(`at least ${s.minItems}`);
  if (s.maxItems) bits.push(`at most ${s.maxItems}`);
  if (s.pattern) bits.push(`format ${s.pattern}`);
  return s.description || bits.join(', ');
}

// Each field is { node, read() } where read() gives the value or undefined (left out).
function field(root, schema, value, path, label, required) {
  const s = resolve(root, schema);
  const k = kind(s);
  const wrap = el('div', null, { class: 'sf-field', 'data-path': path });
  const title = (s.title || label || '') + (required ? ' *' : '');
  const error = el('span', null, { class: 'sf-error', role: 'alert' });
  let read;
  if (k === 'object') {
    const box = el('fieldset', null, { class: 'sf-object' });
    if (title) box.append(el('legend', title));
    const req = new Set(s.required || []);
    const parts = Object.entries(s.properties).map(([name, sub]) => [name,
      field(root, sub, value ? value[name] : undefined, path ? path + '.' + name : name, name, req.has(name))]);
    parts.forEach(([, f]) => box.append(f.node));
    box.append(error);
    wrap.append(box);
    read = () => {
      const out = {};
      for (const [name, f] of parts) {
        const v = f.read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    };
  } else if (k === 'array') {
    const box = el('fieldset', null, { class: 'sf-array' });
    box.append(el('legend', title), el('small', hint(s), { class: 'hint' }));
    const list = el('div', null, { class: 'sf-items' });
    const items = [];
    const add = (v) => {
      const row = el('div', null, { class: 'sf-item' });
      const entry = { row, f: null };
      const renumber = () => items.forEach((it, i) => it.row.querySelectorAll('[data-path]').forEach((n) => {
        n.dataset.path = n.dataset.path.replace(new RegExp('^' + (path ? path.replace(/\./g, '\\.') + '\\.' : '') + '\\d+'),
          (path ? path + '.' : '') + i);
      }));
      entry.f = field(root, s.items || {}, v, (path ? path + '.' : '') + items.length, `${label || 'item'} ${items.length + 1}`, true);
      const remove = el('button', 'Remove', { type: 'button', class: 'sf-remove' });
      remove.addEventListener('click', () => {
        items.splice(items.indexOf(entry), 1);
        row.remove();
        renumber();
      });
      row.append(entry.f.node, remove);
      list.append(row);
      items.push(entry);
    };
    (Array.isArray(value) ? value : []).forEach(add);
    const more = el('button', 'Add ' + (label || 'item'), { type: 'button', class: 'sf-add' });
    more.addEventListener('click', () => add(undefined));
    box.append(list, more, error);
    wrap.append(box);
    read = () => items.map((it) => it.f.read()).map((v) => (v === undefined ? '' : v));
  } else {
    const lab = el('label', title + ' ');
    let input;
    if (k === 'enum') {
      input = el('select');
      if (!required) input.append(el('option', '', { value: '' }));
      s.enum.forEach((o, i) => input.append(el('option', String(o), { value: String(i) })));
      const at = s.enum.indexOf(value);
      input.value = at >= 0 ? String(at) : (required ? '0' : '');
      read = () => (input.value === '' ? undefined : s.enum[Number(input.value)]);
    } else if (k === 'boolean') {
      input = el('input', null, { type: 'checkbox' });
      input.checked = value === true;
      read = () => input.checked;
    } else if (k === 'integer' || k === 'number') {
      input = el('input', null, { type: 'number', step: k === 'integer' ? '1' : 'any' });
      if (s.minimum !== undefined) input.min = String(s.minimum);
      if (s.maximum !== undefined) input.max = String(s.maximum);
      if (value !== undefined && value !== null) input.value = String(value);
      // Not a number: sent as typed, so the server's message says what is wrong.
      read = () => (input.value.trim() === '' ? (required ? '' : undefined)
        : (Number.isFinite(Number(input.value)) ? Number(input.value) : input.value));
    } else if (k === 'string') {
      input = el('input', null, { type: 'text' });
      if (s.maxLength) input.maxLength = s.maxLength;
      if (s.pattern) input.pattern = s.pattern;
      if (typeof value === 'string') input.value = value;
      read = () => (input.value === '' && !required ? undefined : input.value);
    } else {
      input = el('textarea', null, { rows: '4', class: 'sf-json' });
      input.value = value === undefined ? '' : JSON.stringify(value, null, 1);
      read = () => {
        if (input.value.trim() === '') return required ? {} : undefined;
        try { return JSON.parse(input.value); } catch (e) { return input.value; }
      };
    }
    if (required && k !== 'boolean') input.required = true;
    input.name = path;
    input.dataset.field = path;
    lab.append(input);
    wrap.append(lab, el('small', hint(s), { class: 'hint' }), error);
  }
  return { node: wrap, read };
}

// "/tables/0/seats: must be ..." → "tables.0.seats"; a missing required property names itself.
function pathOf(violation) {
  const m = violation.match(/^(\/[^:]*|\$[^:]*)?:?\s*(.*)$/);
  let where = (m && m[1]) || '';
  where = where.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1').replace(/^\//, '').replace(/\//g, '.');
  const req = violation.match(/required property '([^']+)'/);
  if (req) where = where ? where + '.' + req[1] : req[1];
  return { path: where, message: (m && m[1]) ? m[2] : violation };
}

export function renderSchemaForm(container, schema, value) {
  const root = field(schema, schema, value || {}, '', '', true);
  const summary = el('ul', null, { class: 'sf-summary error', hidden: '' });
  container.replaceChildren(summary, root.node);
  return {
    read: () => root.read(),
    showErrors(violations) {
      container.querySelectorAll('.sf-error').forEach((e) => { e.textContent = ''; });
      summary.replaceChildren(...(violations || []).map((v) => el('li', v)));
      summary.hidden = !violations || violations.length === 0;
      for (const v of violations || []) {
        const { path, message } = pathOf(v);
        // The deepest field the path reaches (a missing item lands on its array).
        let parts = path ? path.split('.') : [];
        let target = null;
        while (!target) {
          const p = parts.join('.');
          target = [...container.querySelectorAll('.sf-field')].find((n) => n.dataset.path === p) || null;
          if (!target && parts.length === 0) break;
          parts = parts.slice(0, -1);
        }
        const slot = target ? target.querySelector(':scope > .sf-error, :scope > fieldset > .sf-error') : null;
        if (slot) slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + message;
      }
    },
  };
}
