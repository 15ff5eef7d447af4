import { start, api, el, $, when, statusBadge, guard, toast } from '../../lib/booking.js';

// The e-ticket: what, when, where, and a QR code the usher scans (drawn by the platform).
const id = new URLSearchParams(location.search).get('id');

async function show() {
  const r = await api('GET', `reservations/${id}`);
  const box = $('ticket');
  box.replaceChildren(
    el('h2', {}, r.summary.split(' · ')[0]),
    el('p', { class: 'muted' }, r.summary.split(' · ').slice(1).join(' · ')),
    el('p', {}, statusBadge(r.status), ' ', el('span', { class: 'price' }, `¥${r.amount}`)));
  if (r.status === 'CONFIRMED') {
    const qr = await api('GET', `reservations/${id}/qr`);
    const holder = el('div', { class: 'qr', 'data-ticket': r.ticket_code });
    holder.innerHTML = qr.svg; // an SVG the platform drew from the ticket code
    box.append(holder, el('p', { class: 'code' }, r.ticket_code));
  }
  if (r.refund_status !== 'NONE') {
    box.append(el('p', { class: 'muted' }, `Refund ¥${r.refund} (${r.refund_status.toLowerCase()})`));
  }
  $('cancel').hidden = !(r.status === 'CONFIRMED' || r.status === 'HELD');
}

$('cancel').addEventListener('click', guard(async () => {
  const { confirm } = await my.showModal({ title: 'Cancel this booking?',
    content: 'Refunds follow the cinema\'s cancellation policy.' });
  if (!confirm) return;
  const r = await api('POST', `reservations/${id}/cancel`, {});
  toast(r.refund !== '0.00' ? `Cancelled; ¥${r.refund} refunded` : 'Cancelled');
  await show();
}));
// "My tickets" is a tab: switchTab closes this page and the seat map under it.
$('all-tickets').addEventListener('click', guard(() => my.switchTab({ url: 'pages/mine/mine' })));
guard(async () => {
  const ext = await start();
  $('venue').textContent = ext.name || '';
  await show();
})();
