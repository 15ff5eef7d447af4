// The portal's "Bookings" tab: for each booking venue the merchant owns (a cinema, a restaurant,
// an estate agency made from the platform's templates), its bookings with the actions their state
// allows, and its inventory. Calls /api/booking/merchant/... with the portal's session cookie and
// CSRF token (the portal's call()); every refusal shows the server's own message by the form.

const ZONE = 'Asia/Shanghai'; // venues book in China Standard Time, whatever the browser's zone
const DONE_LABEL = { SEATS: 'Attended', TABLE: 'Seated', VIEWING: 'Attended' };

export function bookings({ call, guard, el, $ }) {
  const M = '/api/booking/merchant';
  let venues = [];
  let venue = null;

  function when(iso) {
    return iso ? new Date(iso).toLocaleString('en-GB', { timeZone: ZONE, dateStyle: 'medium',
      timeStyle: 'short' }) : '';
  }

  // "2026-11-25T19:30" typed in China Standard Time -> an ISO instant.
  function instant(local) {
    return local ? new Date(local + ':00+08:00').toISOString() : '';
  }

  function today(plusDays = 0) {
    return new Date(Date.now() + 8 * 3600e3 + plusDays * 86400e3).toISOString().slice(0, 10);
  }

  function api(method, path, body) {
    return call(method, M + '/' + encodeURIComponent(venue.app_id) + path, body);
  }

  // Runs a form's submit; the server's refusal is shown in the form's own error line.
  function submitting(form, fn) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const out = form.querySelector('.form-error');
      out.textContent = '';
      const button = form.querySelector('button[type=submit], button:not([type])');
      if (button) button.disabled = true;
      try {
        await fn(form);
      } catch (e) {
        out.textContent = e.message;
      } finally {
        if (button) button.disabled = false;
      }
    });
  }

  function field(form, name) {
    return form.elements[name].value.trim();
  }

  async function load() {
    venues = await call('GET', M + '/venues');
    const pick = $('#bk-venue');
    pick.replaceChildren(...venues.map((v) => el('option', `${v.name} (${v.kind.toLowerCase()})`,
      { value: v.app_id })));
    $('#bk-none').hidden = venues.length > 0;
    $('#bk-venue-panel').hidden = venues.length === 0;
    if (venues.length) await choose(venue && venues.some((v) => v.app_id === venue.app_id)
      ? venue.app_id : venues[0].app_id);
  }

  async function choose(appId) {
    venue = venues.find((v) => v.app_id === appId);
    $('#bk-venue').value = appId;
    $('#bk-policy').textContent = `Free cancellation until ${venue.cancel_free_hours} h before,`
      + ` then ${venue.cancel_fee_percent}% is kept. Holds wait ${venue.hold_minutes} min for payment.`
      + ' Cancelling here refunds the customer in full.';
    for (const id of ['#rs-date', '#pr-date']) $(id).value ||= today();
    document.querySelectorAll('#bk-venue-panel input[name=day]').forEach((i) => {
      i.value ||= today(1);
    });
    document.querySelectorAll('#bk-venue-panel input[name=first_day]').forEach((i) => {
      i.value ||= today();
    });
    for (const kind of ['CINEMA', 'RESTAURANT', 'PROPERTY']) {
      $('#bk-inv-' + kind.toLowerCase()).hidden = venue.kind !== kind;
    }
    const panel = $('#bk-venue-panel');
    delete panel.dataset.ready;
    await Promise.all([loadBookings(), loadInventory()]);
    panel.dataset.ready = appId; // the venue's lists are drawn (tests wait for this)
  }

  // ---------------------------------------------------------------- bookings

  async function loadBookings() {
    const q = new URLSearchParams();
    if ($('#bk-status').value) q.set('status', $('#bk-status').value);
    if ($('#bk-date').value) q.set('date', $('#bk-date').value);
    const table = $('#bk-list');
    table.dataset.loading = ''; // until the rows are drawn (tests wait for this)
    try {
      const list = await api('GET', '/reservations?' + q);
      $('#bk-empty').hidden = list.length > 0;
      table.tBodies[0].replaceChildren(...list.map(row));
    } finally {
      delete table.dataset.loading;
    }
  }

  function row(r) {
    const tr = el('tr', null, { 'data-booking': r.id, 'data-status': r.status });
    const status = r.status + (r.deposit_status ? ` · deposit ${r.deposit_status.toLowerCase()}` : '')
      + (r.refund_status !== 'NONE' ? ` · refund ¥${r.refund} ${r.refund_status.toLowerCase()}` : '');
    [when(r.starts_at), r.customer, r.summary, r.party_size > 1 ? String(r.party_size) : '',
      '¥' + r.amount, status].forEach((v) => tr.append(el('td', v)));
    const actions = el('td');
    for (const [label, path, cls, ask] of actionsOf(r)) {
      const b = el('button', label, { type: 'button', class: cls });
      b.addEventListener('click', async () => {
        if (ask && !confirm(ask)) return;
        b.disabled = true;
        $('#bk-action-error').textContent = '';
        try {
          await api('POST', `/reservations/${r.id}/${path}`);
          await Promise.all([loadBookings(), loadInventory()]);
        } catch (e) {
          $('#bk-action-error').textContent = e.message;
          b.disabled = false;
        }
      });
      actions.append(b);
    }
    tr.append(actions);
    return tr;
  }

  // What the booking's state allows: a confirmed visit can be completed or cancelled (refunded);
  // a deposit in escrow is released to the agency on move-in or returned on cancellation.
  function actionsOf(r) {
    if (r.status !== 'CONFIRMED') return [];
    const refund = `Cancel this booking and refund ¥${r.amount} to the customer?`;
    if (r.kind === 'DEPOSIT') {
      return r.deposit_status === 'PENDING'
        ? [['Confirm move-in', 'move-in', 'bk-move-in', `Confirm the move-in? The ¥${r.amount}`
            + ' deposit is released to you.'], ['Cancel + refund', 'cancel', 'bk-cancel', refund]]
        : [];
    }
    return [[DONE_LABEL[r.kind] || 'Completed', 'complete', 'bk-complete', null],
      ['Cancel + refund', 'cancel', 'bk-cancel', refund]];
  }

  // ---------------------------------------------------------------- inventory

  function loadInventory() {
    return { CINEMA: loadCinema, RESTAURANT: loadRestaurant, PROPERTY: loadAgency }[venue.kind]();
  }

  async function loadCinema() {
    const [halls, shows] = await Promise.all([api('GET', '/halls'),
      api('GET', '/showtimes?days=7')]);
    $('#bk-halls').replaceChildren(...halls.map(hallView));
    const pick = $('#st-hall');
    const was = pick.value;
    pick.replaceChildren(...halls.map((h) => el('option', h.name, { value: h.id })));
    if (halls.some((h) => h.id === was)) pick.value = was;
    pick.halls = halls;
    priceInputs();
    $('#bk-showtimes tbody').replaceChildren(...shows.map((s) => {
      const tr = el('tr', null, { 'data-showtime': s.id, 'data-film': s.film });
      [when(s.starts_at), s.film, s.minutes + ' min', s.hall, `${s.free} of ${s.seats} free`,
        Object.entries(s.prices).map(([k, v]) => `${k} ¥${v}`).join(', ')]
        .forEach((v) => tr.append(el('td', v)));
      const actions = el('td');
      actions.append(
        action('Edit prices', 'st-edit', $('#st-error'), async () => editPrices(s)),
        action('Remove', 'st-remove', $('#st-error'), async () => {
          if (!confirm(`Remove ${s.film} at ${when(s.starts_at)}?`)) return;
          await api('POST', `/showtimes/${s.id}/remove`);
          await loadCinema();
        }));
      tr.append(actions);
      return tr;
    }));
  }

  // A row's button: runs fn, showing the server's refusal (e.g. "2 bookings hold seats on this
  // showtime; cancel them first") in the section's error line.
  function action(label, cls, errorLine, fn) {
    const b = el('button', label, { type: 'button', class: cls });
    b.addEventListener('click', async () => {
      errorLine.textContent = '';
      b.disabled = true;
      try {
        await fn();
      } catch (e) {
        errorLine.textContent = e.message;
      } finally {
        b.disabled = false;
      }
    });
    return b;
  }

  // Opens the price form for one showtime, prefilled with its prices per seat class.
  function editPrices(s) {
    const form = $('#st-price-form');
    form.dataset.showtime = s.id;
    $('#st-price-what').textContent = `${s.film} at ${when(s.starts_at)}`;
    $('#st-price-inputs').replaceChildren(...Object.entries(s.prices).map(([k, v]) => {
      const label = priceLabel(k, k);
      label.querySelector('input').value = v;
      return label;
    }));
    form.querySelector('.form-error').textContent = '';
    form.hidden = false;
  }

  // A hall's seat map, read-only: one square per seat coloured by class, gaps for aisles.
  function hallView(h) {
    const box = el('div', null, { class: 'bk-hall', 'data-hall': h.name });
    box.append(el('h4', `${h.name} · ${h.seats} seats · `
      + Object.entries(h.classes).map(([k, v]) => `${k} = ${v}`).join(', ')));
    box.append(el('div', 'SCREEN', { class: 'bk-screen' }));
    for (const r of h.rows) {
      const line = el('div', null, { class: 'bk-row' });
      for (const c of r) {
        line.append(el('span', c === '_' ? '' : c, { class: c === '_' ? 'bk-aisle' : 'bk-seat bk-class-' + c }));
      }
      box.append(line);
    }
    return box;
  }

  // One price input per seat class of the chosen hall.
  function priceInputs() {
    const hall = ($('#st-hall').halls || []).find((h) => h.id === $('#st-hall').value);
    $('#st-prices').replaceChildren(...(hall ? Object.entries(hall.classes) : [])
      .map(([k, v]) => priceLabel(k, v)));
  }

  function priceLabel(cls, name) {
    const label = el('label', `Price ${name} (${cls}) ¥ `);
    label.append(el('input', null, { name: 'price-' + cls, 'data-class': cls, required: '',
      inputmode: 'decimal', size: '8', placeholder: '45.00' }));
    return label;
  }

  async function loadRestaurant() {
    const [tables, slots] = await Promise.all([api('GET', '/resources'),
      api('GET', '/slots?date=' + ($('#rs-date').value || today()))]);
    $('#rs-tables').replaceChildren(...tables.map((t) => el('li', `${t.label}: ${t.capacity} seats`)));
    resourceChoice($('#rs-close-form'), tables, 'All tables');
    slotGrid($('#rs-slots'), slots);
  }

  async function loadAgency() {
    const [listings, agents, slots] = await Promise.all([api('GET', '/listings'),
      api('GET', '/resources'), api('GET', '/slots?date=' + ($('#pr-date').value || today()))]);
    $('#pr-listings tbody').replaceChildren(...listings.map((l) => {
      const tr = el('tr', null, { 'data-listing': l.id, 'data-withdrawn': String(l.withdrawn) });
      [l.title + (l.withdrawn ? ' (withdrawn)' : ''), l.address, l.district, l.deal, '¥' + l.price, l.area_m2 + ' m²', String(l.bedrooms),
        l.features.join(', '), '¥' + l.deposit + (l.deposit_taken ? ' (held)' : '')]
        .forEach((v) => tr.append(el('td', v)));
      const td = el('td');
      td.append(l.withdrawn
        ? action('Re-list', 'pr-relist', $('#pr-error'), () => listingAction(l, 'relist'))
        : action('Withdraw', 'pr-withdraw', $('#pr-error'), () => {
          if (!confirm(`Withdraw ${l.title}? Users no longer see it; existing viewings and`
            + ' deposits stay.')) return null;
          return listingAction(l, 'withdraw');
        }));
      tr.append(td);
      return tr;
    }));
    $('#pr-agents').replaceChildren(...agents.map((a) => el('li', a.label)));
    resourceChoice($('#pr-close-form'), agents, 'All agents');
    slotGrid($('#pr-slots'), slots);
  }

  async function listingAction(l, what) {
    await api('POST', `/listings/${l.id}/${what}`);
    await loadAgency();
  }

  // The close form's table/agent choice: all of them, or one.
  function resourceChoice(form, resources, all) {
    const pick = form.elements.resource;
    const was = pick.value;
    pick.replaceChildren(el('option', all, { value: '' }),
      ...resources.map((r) => el('option', r.label, { value: r.id })));
    if (resources.some((r) => r.id === was)) pick.value = was;
  }

  // Closes the free slots of a day's time range; booked ones are kept and listed.
  async function closeSlots(f) {
    const day = field(f, 'day');
    const body = { from: instant(day + 'T' + field(f, 'from')), to: instant(day + 'T' + field(f, 'to')) };
    if (field(f, 'resource')) body.resource_id = field(f, 'resource');
    const r = await api('POST', '/slots/close', body);
    f.querySelector('.form-done').textContent = `${r.closed} slots closed.` + (r.kept.length
      ? ` Kept (booked): ${r.kept.map((k) => `${k.resource} ${when(k.starts_at)}`).join(', ')}.`
      : '');
  }

  // Slots as a grid: a row per time, a column per table or agent, taken ones marked.
  function slotGrid(table, slots) {
    const names = [...new Set(slots.map((s) => s.resource))];
    const times = [...new Set(slots.map((s) => s.starts_at))];
    const head = el('tr');
    head.append(el('th', 'Time'), ...names.map((n) => el('th', n)));
    const rows = times.map((t) => {
      const tr = el('tr');
      tr.append(el('td', when(t)));
      for (const n of names) {
        const s = slots.find((x) => x.starts_at === t && x.resource === n);
        tr.append(el('td', s ? (s.taken ? 'booked' : 'free') : '', { class: s && s.taken ? 'bk-taken' : '' }));
      }
      return tr;
    });
    table.replaceChildren(el('thead'), el('tbody'));
    table.tHead.append(head);
    table.tBodies[0].append(...rows);
    table.nextElementSibling.hidden = slots.length > 0;
  }

  // ---------------------------------------------------------------- forms

  function wire() {
    $('#bk-venue').addEventListener('change', guard(() => choose($('#bk-venue').value)));
    $('#bk-filter').addEventListener('submit', guard(loadBookings));
    $('#st-hall').addEventListener('change', priceInputs);
    $('#rs-date').addEventListener('change', guard(loadRestaurant));
    $('#pr-date').addEventListener('change', guard(loadAgency));

    submitting($('#st-form'), async (f) => {
      const prices = {};
      f.querySelectorAll('[data-class]').forEach((i) => { prices[i.dataset.class] = i.value.trim(); });
      await api('POST', '/showtimes', { film: field(f, 'film'), minutes: field(f, 'minutes'),
        starts_at: instant(field(f, 'starts_at')), hall_id: field(f, 'hall'), prices });
      f.reset();
      priceInputs();
      await loadCinema();
    });
    submitting($('#st-price-form'), async (f) => {
      const prices = {};
      f.querySelectorAll('[data-class]').forEach((i) => { prices[i.dataset.class] = i.value.trim(); });
      await api('POST', `/showtimes/${f.dataset.showtime}/prices`, { prices });
      f.hidden = true;
      await loadCinema();
    });
    $('#st-price-cancel').addEventListener('click', () => { $('#st-price-form').hidden = true; });
    submitting($('#rs-close-form'), async (f) => {
      await closeSlots(f);
      await loadRestaurant();
    });
    submitting($('#pr-close-form'), async (f) => {
      await closeSlots(f);
      await loadAgency();
    });
    submitting($('#rs-table-form'), async (f) => {
      await api('POST', '/resources', { label: field(f, 'label'), capacity: field(f, 'capacity') });
      f.reset();
      await loadRestaurant();
    });
    submitting($('#rs-open-form'), async (f) => {
      await openSlots(f);
      await loadRestaurant();
    });
    submitting($('#pr-agent-form'), async (f) => {
      await api('POST', '/resources', { label: field(f, 'label') });
      f.reset();
      await loadAgency();
    });
    submitting($('#pr-open-form'), async (f) => {
      await openSlots(f);
      await loadAgency();
    });
    submitting($('#pr-listing-form'), async (f) => {
      const body = {};
      for (const k of ['title', 'address', 'district', 'deal', 'price', 'area_m2', 'bedrooms',
        'deposit']) {
        if (field(f, k) !== '') body[k] = field(f, k);
      }
      body.features = field(f, 'features').split(',').map((x) => x.trim()).filter((x) => x);
      await api('POST', '/listings', body);
      f.reset();
      await loadAgency();
    });
  }

  async function openSlots(f) {
    const r = await api('POST', '/slots', { first_day: field(f, 'first_day'), days: field(f, 'days'),
      opens: field(f, 'opens'), closes: field(f, 'closes'), slot_minutes: field(f, 'slot_minutes') });
    f.querySelector('.form-done').textContent = `${r.units_added} slots opened.`;
  }

  wire();
  return { load };
}
