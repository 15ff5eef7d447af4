import { start, api, el, $, day, time, guard } from '../../lib/booking.js';

// Films and their showtimes for the coming week, grouped by film, each time a chip.
guard(async () => {
  const ext = await start();
  $('name').textContent = ext.name || 'Cinema';
  $('tagline').textContent = ext.tagline || 'Now showing';
  const showtimes = await api('GET', 'showtimes?days=7', undefined, false);
  const films = new Map();
  for (const s of showtimes) {
    if (!films.has(s.film)) films.set(s.film, []);
    films.get(s.film).push(s);
  }
  const main = $('films');
  main.replaceChildren();
  if (films.size === 0) main.append(el('p', { class: 'empty' }, 'No showtimes this week.'));
  for (const [film, times] of films) {
    const byDay = new Map();
    times.forEach((s) => {
      const d = day(0) === s.starts_at.slice(0, 10) ? 'Today' : new Date(s.starts_at)
        .toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'short',
          timeZone: 'Asia/Shanghai' });
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(s);
    });
    const from = Math.min(...Object.values(times[0].prices).map(Number));
    main.append(el('section', { class: 'card film' },
      el('h2', {}, film, el('span', { class: 'price' }, `from ¥${from.toFixed(2)}`)),
      el('p', { class: 'muted' }, `${times[0].minutes} min · ${times[0].hall}`),
      [...byDay].map(([d, list]) => [el('div', { class: 'day' }, d), el('div', { class: 'chips' },
        list.map((s) => el('button', { class: 'chip', type: 'button', 'data-showtime': s.id,
          disabled: s.free === 0,
          onclick: () => my.navigateTo({ url: `pages/seats/seats?showtime=${s.id}` }) },
          `${time(s.starts_at)} · ${s.free} left`)))])));
  }
})();
