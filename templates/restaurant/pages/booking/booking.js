import { start, api, el, $, when, statusBadge, guard, toast } from '../../lib/booking.js';

// The booking card, with the cancellation policy and a cancel button.
const id = new URLSearchParams(location.search).get('id');

async function show(venue) {
  const r = await api('GET', `reservations/${id}`);
  const [table, guests] = r.summary.split(' · ');
  $('card').replaceChildren(
    el('div', { class: 'row' }, el('strong', {}, table), statusBadge(r.status)),
    el('p', { class: 'big' }, when(r.starts_at)),
    el('p', {}, guests),
    r.amount !== '0.00' ? el('p', { class: 'muted' }, `Prepaid ¥${r.amount}`) : null,
    r.refund_status !== 'NONE' ? el('p', { class: 'muted' }, `Refund ¥${r.refund}`) : null);
  $('policy').textContent = venue.cancel_fee_percent === 0 ? 'Free cancellation.'
    : `Free cancellation until ${venue.cancel_free_hours} h before; later`
      + ` ${venue.cancel_fee_percent}% of the prepayment is kept.`;
  $('cancel').hidden = r.status !== 'CONFIRMED' && r.status !== 'HELD';
}

guard(async () => {
  const ext = await start();
  $('venue').textContent = ext.name || '';
  const venue = await api('GET', 'venue', undefined, false);
  $('cancel').addEventListener('click', guard(async () => {
    const { confirm } = await my.showModal({ title: 'Cancel this booking?', content: 'Your table is released.' });
    if (!confirm) return;
    const r = await api('POST', `reservations/${id}/cancel`, {});
    toast(r.refund !== '0.00' ? `Cancelled; ¥${r.refund} refunded` : 'Cancelled');
    await show(venue);
  }));
  await show(venue);
})();
