import { start, api, el, $, when, requestId, guard, toast } from '../../lib/booking.js';

// One listing: photos, facts, viewing slots, and the holding deposit held in escrow.
const id = new URLSearchParams(location.search).get('id');
let listing = null;

async function show() {
  listing = await api('GET', `listings/${id}`, undefined, false);
  $('gallery').replaceChildren(...listing.photos.map((p) => el('img', { src: '../../' + p,
    alt: listing.title })));
  $('details').replaceChildren(
    el('h2', {}, listing.title),
    el('p', { class: 'muted' }, `${listing.address}, ${listing.district}`),
    el('div', { class: 'facts' }, el('span', { class: 'price' },
      `¥${listing.price}${listing.deal === 'RENT' ? ' a month' : ''}`),
    el('span', {}, `${listing.area_m2} m²`), el('span', {}, `${listing.bedrooms} bedrooms`)),
    el('div', { class: 'chips' }, listing.features.map((f) => el('span', { class: 'chip' }, f))));
  const slots = await api('GET', 'viewings', undefined, false);
  const free = slots.filter((s) => !s.taken).slice(0, 12);
  $('slots').replaceChildren(...(free.length ? free.map((s) => el('button', { class: 'chip',
    type: 'button', 'data-slot': s.unit_id,
    onclick: guard(() => book(s)) }, `${when(s.starts_at)} · ${s.agent}`))
    : [el('p', { class: 'muted' }, 'No viewing times left this fortnight.')]));
  await showDeposit();
}

async function book(slot) {
  try {
    const r = await api('POST', 'viewings', { request_id: requestId(), slot: slot.unit_id,
      listing: id });
    toast(`Viewing booked: ${when(r.starts_at)}`);
  } catch (e) {
    if (e.status !== 409) throw e;
    toast('That time was just taken');
  }
  await show();
}

async function showDeposit() {
  const box = $('deposit');
  const mine = (await api('GET', 'reservations')).find((r) => r.kind === 'DEPOSIT'
    && r.listing_id === id && ['CONFIRMED', 'COMPLETED', 'HELD'].includes(r.status));
  if (mine) {
    const words = { PENDING: 'held in escrow: it reaches the agency only when you move in',
      POSTED: 'paid to the agency (moved in)', VOIDED: 'returned to you', EXPIRED: 'returned to you' };
    box.replaceChildren(el('h2', {}, `Holding deposit ¥${mine.amount}`),
      el('p', { 'data-escrow': mine.deposit_status }, words[mine.deposit_status] || mine.deposit_status),
      mine.deposit_status === 'PENDING' ? el('button', { class: 'ghost', type: 'button',
        onclick: guard(async () => {
          await api('POST', `reservations/${mine.id}/cancel`, {});
          toast('Deposit returned to your wallet');
          await show();
        }) }, 'Withdraw and get the deposit back') : null);
    return;
  }
  if (listing.deposit === '0.00' || listing.deposit_taken) {
    box.replaceChildren(el('p', { class: 'muted' }, listing.deposit_taken
      ? 'Another tenant has reserved this home.' : 'No deposit needed.'));
    return;
  }
  const pin = el('input', { type: 'password', inputmode: 'numeric', maxlength: '6',
    autocomplete: 'off', placeholder: '6-digit payment PIN', id: 'pin' });
  box.replaceChildren(el('h2', {}, `Reserve it: holding deposit ¥${listing.deposit}`),
    el('p', { class: 'muted' }, 'The deposit leaves your available balance but stays in escrow;'
      + ' the agency receives it only when it confirms your move-in. Withdraw any time before.'),
    pin, el('button', { class: 'primary', type: 'button', id: 'pay-deposit', style: 'margin-top:10px',
      onclick: guard(async () => {
        await api('POST', 'deposits', { request_id: requestId(), listing: id, pin: pin.value });
        toast('Deposit held in escrow');
        await show();
      }) }, 'Pay holding deposit'));
}

guard(async () => { await start(); await show(); })();
