import { start, api, pay, el, $, when, requestId, guard, toast } from '../../lib/booking.js';

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
  if (mine && mine.status === 'HELD') {
    box.replaceChildren(el('h2', {}, `Holding deposit ¥${mine.amount}`),
      el('p', { 'data-escrow': 'UNPAID' }, 'Awaiting payment: the home is held for you until '
        + when(mine.expires_at)),
      el('button', { class: 'primary', type: 'button', id: 'pay-deposit',
        onclick: guard(() => payDeposit(mine)) }, `Pay ¥${mine.amount}`));
    return;
  }
  if (mine) {
    const words = { SUBMITTING: 'paid: going into escrow',
      PENDING: 'held in escrow: it reaches the agency only when you move in',
      POSTED: 'paid to the agency (moved in)' };
    box.replaceChildren(el('h2', {}, `Holding deposit ¥${mine.amount}`),
      el('p', { 'data-escrow': mine.deposit_status }, words[mine.deposit_status] || mine.deposit_status),
      mine.deposit_status === 'PENDING' ? el('button', { class: 'ghost', type: 'button',
        id: 'withdraw-deposit', onclick: guard(async () => {
          const r = await api('POST', `reservations/${mine.id}/cancel`, {});
          toast(r.refund_status === 'DONE' ? `¥${r.refund} returned to your wallet`
            : 'Withdrawn: the refund is on its way');
          await show();
        }) }, 'Withdraw and get the deposit back') : null);
    return;
  }
  if (listing.deposit === '0.00' || listing.deposit_taken) {
    box.replaceChildren(el('p', { class: 'muted' }, listing.deposit_taken
      ? 'Another tenant has reserved this home.' : 'No deposit needed.'));
    return;
  }
  const attempt = requestId();
  box.replaceChildren(el('h2', {}, `Reserve it: holding deposit ¥${listing.deposit}`),
    el('p', { class: 'muted' }, 'You pay it in Hutong\'s cashier with your PIN. The agency cannot'
      + ' use it until it confirms your move-in; withdraw before that and all of it comes back.'),
    el('button', { class: 'primary', type: 'button', id: 'pay-deposit', style: 'margin-top:10px',
      onclick: guard(async () => {
        await payDeposit(await api('POST', 'deposits', { request_id: attempt, listing: id }));
      }) }, 'Pay holding deposit'));
}

/** The shell's cashier takes the PIN (my.tradePay); the API then says whether it is in escrow. */
async function payDeposit(hold) {
  const { reservation, cancelled } = await pay(hold);
  if (cancelled) toast('Not paid: the home stays held for you for a few minutes');
  else if (reservation.status === 'CONFIRMED') toast('Deposit held in escrow');
  else if (reservation.status !== 'HELD') toast('The hold ended before payment; nothing was charged');
  await show();
}

guard(async () => { await start(); await show(); })();
