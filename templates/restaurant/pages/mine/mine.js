import { start, api, el, $, when, statusBadge, guard } from '../../lib/booking.js';

// This user's bookings at this restaurant.
guard(async () => {
  await start();
  const list = await api('GET', 'reservations');
  const main = $('list');
  main.replaceChildren();
  if (list.length === 0) main.append(el('p', { class: 'empty' }, 'No bookings yet.'));
  list.forEach((r) => main.append(el('section', { class: 'card', role: 'button',
    onclick: () => my.navigateTo({ url: `pages/booking/booking?id=${r.id}` }) },
    el('div', { class: 'row' }, el('strong', {}, when(r.starts_at)), statusBadge(r.status)),
    el('p', { class: 'muted' }, r.summary))));
})();
