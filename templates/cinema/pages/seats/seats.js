import { start, api, pay, el, $, when, requestId, guard, toast } from '../../lib/booking.js';

// The seat map: tap seats, hold them (15 minutes, counted down), pay in the cashier, get a ticket.
const showtime = new URLSearchParams(location.search).get('showtime');
const picked = new Map();
let hold = null;
let timer = null;
const attempt = requestId();

async function load() {
  const map = await api('GET', `showtimes/${showtime}/seats`, undefined, false);
  $('film').textContent = map.showtime.film;
  $('when').textContent = `${when(map.showtime.starts_at)} · ${map.showtime.hall}`;
  $('classes').textContent = Object.entries(map.classes)
    .map(([k, v]) => `${v} ¥${map.showtime.prices[k]}`).join(' · ');
  const width = Math.max(...map.layout.map((r) => r.length));
  const grid = $('map');
  grid.style.gridTemplateColumns = `repeat(${width}, 24px)`;
  grid.replaceChildren();
  const byPlace = new Map(map.seats.map((s) => [`${s.row}:${s.col}`, s]));
  map.layout.forEach((row, r) => {
    for (let c = 0; c < width; c++) {
      const seat = byPlace.get(`${r}:${c}`);
      if (!seat) { grid.append(el('span', { class: 'aisle' })); continue; }
      grid.append(el('button', { class: 'seat' + (seat.class === 'V' ? ' vip' : ''), type: 'button',
        title: `${seat.label} · ¥${seat.price}`, 'data-seat': seat.label, disabled: seat.taken,
        'aria-pressed': picked.has(seat.id) ? 'true' : 'false',
        onclick: (e) => toggle(seat, e.currentTarget) }, seat.label));
    }
  });
}

function toggle(seat, button) {
  if (hold) return;
  if (picked.has(seat.id)) picked.delete(seat.id);
  else if (picked.size < 8) picked.set(seat.id, seat);
  else toast('At most 8 seats at once');
  button.setAttribute('aria-pressed', picked.has(seat.id) ? 'true' : 'false');
  const seats = [...picked.values()];
  $('picked').textContent = seats.length ? seats.map((s) => s.label).join(', ')
    : 'Tap seats to choose them';
  $('total').textContent = seats.length
    ? '¥' + seats.reduce((t, s) => t + Number(s.price), 0).toFixed(2) : '';
  $('go').disabled = seats.length === 0;
}

function countdown() {
  const left = Math.max(0, new Date(hold.expires_at) - Date.now());
  const m = Math.floor(left / 60000);
  const s = Math.floor((left % 60000) / 1000);
  $('countdown').textContent = `${m}:${String(s).padStart(2, '0')}`;
  if (left === 0) {
    clearInterval(timer);
    toast('The hold expired; the seats are free again');
    hold = null;
    $('hold').hidden = true;
    $('go').textContent = 'Hold seats';
    picked.clear();
    load();
  }
}

async function go() {
  $('go').disabled = true;
  try {
    if (!hold) {
      try {
        hold = await api('POST', 'holds', { request_id: attempt, seats: [...picked.keys()] });
      } catch (e) {
        if (e.status === 409) {
          toast('Someone just took one of those seats — pick again');
          picked.clear();
          toggle({ id: null }, document.createElement('i'));
          await load();
          return;
        }
        throw e;
      }
      $('hold').hidden = false;
      $('go').textContent = `Pay ¥${hold.amount}`;
      timer = setInterval(countdown, 1000);
      countdown();
    }
    const { reservation, cancelled } = await pay(hold);
    if (cancelled) { toast('Payment cancelled — your seats stay held until the timer ends'); return; }
    if (reservation.status === 'CONFIRMED') {
      clearInterval(timer);
      my.redirectTo({ url: `pages/ticket/ticket?id=${reservation.id}` });
    } else if (reservation.status !== 'HELD') {
      toast('The hold ended before payment; nothing was charged');
      hold = null;
      await load();
    }
  } finally {
    $('go').disabled = picked.size === 0;
  }
}

$('go').addEventListener('click', guard(go));
guard(async () => { await start(); await load(); })();
