import { start, api, el, $, when, statusBadge, guard } from '../../lib/booking.js';

// Viewings and deposits of this user at this agency.
guard(async () => {
  await start();
  const list = await api('GET', 'reservations');
  const main = $('list');
  main.replaceChildren();
  if (list.length === 0) main.append(el('p', { class: 'empty' }, 'Nothing booked yet.'));
  list.forEach((r) => main.append(el('section', { class: 'card', role: 'button',
    onclick: () => r.listing_id && my.navigateTo({ url: `pages/listing/listing?id=${r.listing_id}` }) },
    el('div', { class: 'row' }, el('strong', {}, r.kind === 'DEPOSIT' ? `Deposit ¥${r.amount}`
      : when(r.starts_at)), statusBadge(r.status)),
    el('p', { class: 'muted' }, r.summary + (r.deposit_status ? ` · escrow ${r.deposit_status.toLowerCase()}` : '')))));
})();
