import { start, api, pay, el, $, day, time, requestId, guard, toast } from '../../lib/booking.js';

// Pick a day, the party size and a free time; pay the optional prepayment; see the booking card.
let venue = null;
let chosenDay = day(0);
let party = 2;
let chosenTime = null;

function renderDays(daysAhead) {
  const box = $('days');
  box.replaceChildren();
  for (let i = 0; i < Math.min(daysAhead, 7); i++) {
    const d = day(i);
    const label = i === 0 ? 'Today' : i === 1 ? 'Tomorrow' : new Date(d + 'T12:00:00+08:00')
      .toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'Asia/Shanghai' });
    box.append(el('button', { class: 'chip', type: 'button', 'data-day': d,
      'aria-pressed': d === chosenDay ? 'true' : 'false',
      onclick: guard(async () => { chosenDay = d; renderDays(daysAhead); await loadSlots(); }) },
      label));
  }
}

async function loadSlots() {
  chosenTime = null;
  updateButton();
  const slots = await api('GET', `tables?date=${chosenDay}&party=${party}`, undefined, false);
  const box = $('slots');
  box.replaceChildren();
  if (slots.length === 0) box.append(el('p', { class: 'muted' }, 'No times left on this day.'));
  slots.forEach((s) => box.append(el('button', { class: 'chip', type: 'button',
    'data-time': s.starts_at, disabled: s.free_tables === 0,
    onclick: (e) => {
      chosenTime = s.starts_at;
      box.querySelectorAll('.chip').forEach((c) => c.setAttribute('aria-pressed', 'false'));
      e.currentTarget.setAttribute('aria-pressed', 'true');
      updateButton();
    } }, time(s.starts_at))));
}

function prepayTotal() {
  return Number(venue.prepay_per_person) * party;
}

function updateButton() {
  const b = $('book');
  b.disabled = !chosenTime;
  b.textContent = !chosenTime ? 'Choose a time'
    : prepayTotal() > 0 ? `Book and prepay ¥${prepayTotal().toFixed(2)}` : 'Book this table';
  $('prepay').textContent = prepayTotal() > 0
    ? `A prepayment of ¥${venue.prepay_per_person} per guest is taken when you book and`
      + ' deducted from your bill.' : '';
}

function setParty(n) {
  party = Math.max(venue.party_min, Math.min(venue.party_max, n));
  $('party').textContent = String(party);
  return loadSlots();
}

async function book() {
  $('book').disabled = true;
  let r;
  try {
    r = await api('POST', 'tables', { request_id: requestId(), time: chosenTime, party });
  } catch (e) {
    if (e.status === 409) { toast('That time was just taken — choose another'); await loadSlots(); return; }
    throw e;
  }
  if (r.status === 'HELD') {
    const paid = await pay(r);
    if (paid.cancelled) { toast('Payment cancelled; the table is held for 15 minutes'); }
    r = paid.reservation;
  }
  if (r.status === 'CONFIRMED') my.navigateTo({ url: `pages/booking/booking?id=${r.id}` });
  updateButton();
}

guard(async () => {
  const ext = await start();
  $('name').textContent = ext.name || 'Restaurant';
  $('tagline').textContent = ext.tagline || `Open ${ext.opens || ''}–${ext.closes || ''}`;
  venue = await api('GET', 'venue', undefined, false);
  renderDays(venue.days_ahead);
  $('fewer').addEventListener('click', guard(() => setParty(party - 1)));
  $('more').addEventListener('click', guard(() => setParty(party + 1)));
  $('book').addEventListener('click', guard(book));
  await setParty(2);
})();
