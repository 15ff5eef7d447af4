// Sign up and log in. The session lives in an HttpOnly cookie the page never sees.

import { api } from './api.js';
import { h, mount } from './ui.js';

export function renderAccount(container, mode, onLoggedIn) {
  const signup = mode === 'signup';
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'account-error' });
  const field = (name, label, attrs) => h('label', { class: 'field' },
    h('span', { class: 'field-label' }, label), h('input', { name, required: true, ...attrs }));
  const form = h('form', { class: 'account-form', onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    if (signup && !/^[0-9]{6}$/.test(data.pin)) {
      error.textContent = 'The payment PIN must be exactly 6 digits.';
      return;
    }
    if (signup && data.pin !== data.pin2) {
      error.textContent = 'The two PINs are different.';
      return;
    }
    delete data.pin2;
    button.disabled = true;
    error.textContent = '';
    try {
      const answer = await api('POST', signup ? '/api/signup' : '/api/login', data);
      onLoggedIn(answer.user);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  } },
  field('phone', 'Mobile number', { type: 'tel', autocomplete: 'tel', placeholder: '138 0000 0000', maxlength: 20 }),
  field('password', 'Password', { type: 'password', autocomplete: signup ? 'new-password' : 'current-password', minlength: 6, maxlength: 64 }),
  signup ? field('pin', 'Payment PIN (6 digits)', { type: 'password', inputmode: 'numeric', maxlength: 6, autocomplete: 'off' }) : null,
  signup ? field('pin2', 'Payment PIN again', { type: 'password', inputmode: 'numeric', maxlength: 6, autocomplete: 'off' }) : null,
  error);
  const button = h('button', { class: 'btn btn-primary', type: 'submit' }, signup ? 'Create account' : 'Log in');
  form.append(button);
  mount(container, h('div', { class: 'account' },
    h('div', { class: 'brand' }, h('div', { class: 'brand-mark' }, '胡'), h('h1', {}, 'Hutong'),
      h('p', {}, 'Pay, top up and use mini-programs')),
    h('h2', {}, signup ? 'Create your account' : 'Log in'), form,
    h('p', { class: 'account-switch' }, signup ? 'Have an account? ' : 'New here? ',
      h('a', { href: signup ? '#/login' : '#/signup' }, signup ? 'Log in' : 'Create an account'))));
}
