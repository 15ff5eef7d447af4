import { start, api, el, $, guard } from '../../lib/booking.js';

// Search and filter the agency's listings.
async function search() {
  const p = new URLSearchParams();
  const q = $('q').value.trim();
  if (q) p.set('q', q);
  if ($('district').value) p.set('district', $('district').value);
  if ($('deal').value) p.set('deal', $('deal').value);
  const price = $('price').value.trim();
  if (/^[0-9]+(\.[0-9]{1,2})?$/.test(price)) p.set('price_max', Number(price).toFixed(2));
  if ($('bedrooms').value) p.set('bedrooms_min', $('bedrooms').value);
  const listings = await api('GET', 'listings?' + p, undefined, false);
  const box = $('results');
  box.replaceChildren();
  if (listings.length === 0) box.append(el('p', { class: 'empty' }, 'Nothing matches; widen the search.'));
  listings.forEach((l) => box.append(el('section', { class: 'card listing', role: 'button',
    'data-listing': l.title,
    onclick: () => my.navigateTo({ url: `pages/listing/listing?id=${l.id}` }) },
    l.photos[0] ? el('img', { src: '../../' + l.photos[0], alt: l.title }) : null,
    el('div', { class: 'body' },
      el('div', { class: 'row' }, el('strong', {}, l.title),
        el('span', { class: 'price' }, `¥${l.price}${l.deal === 'RENT' ? '/mo' : ''}`)),
      el('p', { class: 'muted' }, `${l.district} · ${l.area_m2} m² · ${l.bedrooms} bed`
        + (l.deposit_taken ? ' · reserved' : ''))))));
}

guard(async () => {
  const ext = await start();
  $('name').textContent = ext.name || 'Homes';
  $('tagline').textContent = ext.tagline || '';
  (ext.districts || []).forEach((d) => $('district').append(el('option', {}, d)));
  const run = guard(search);
  $('filters').addEventListener('input', run);
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  await search();
})();
