import { start, api, el, $, statusBadge, guard } from '../../lib/booking.js';

// Every ticket of this user in this cinema, newest first.
guard(async () => {
  await start();
  const list = await api('GET', 'reservations');
  const main = $('list');
  main.replaceChildren();
  if (list.length === 0) main.append(el('p', { class: 'empty' }, 'No tickets yet.'));
  list.forEach((r) => main.append(el('section', { class: 'card', role: 'button',
    onclick: () => my.navigateTo({ url: `pages/ticket/ticket?id=${r.id}` }) },
    el('div', { class: 'row' }, el('strong', {}, r.summary.split(' · ')[0]), statusBadge(r.status)),
    el('p', { class: 'muted' }, r.summary.split(' · ').slice(1).join(' · '), ` · ¥${r.amount}`))));
})();
