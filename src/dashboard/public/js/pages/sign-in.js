import { get, post, saveSession } from '../api.js';
import { field, h } from '../dom.js';
import { problemText, t } from '../i18n.js';

export async function render(container) {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const message = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('signin.submit'));
  const form = h(
    'form',
    {
      class: 'panel signin',
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        message.replaceChildren(h('p', { class: 'muted', text: t('signin.working') }));
        try {
          const signedIn = await post('/api/auth/sign-in', {
            email: email.value.trim(),
            password: password.value,
          });
          saveSession({ token: signedIn.token, userId: signedIn.userId, role: signedIn.role });
          const me = await get('/api/auth/me');
          const profile = await get(`/api/users/${encodeURIComponent(me.userId)}`).catch(
            () => undefined,
          );
          saveSession({
            token: signedIn.token,
            userId: me.userId,
            role: me.role,
            teamId: me.teamId ?? null,
            name: profile?.state?.name ?? me.userId,
          });
          location.hash = '#/';
        } catch (error) {
          sessionStorage.clear();
          message.replaceChildren(
            h(
              'p',
              { class: 'alert', role: 'alert' },
              error.problem ? problemText(error.problem) : t('error.network'),
            ),
          );
          submit.disabled = false;
        }
      },
    },
    h('h1', { text: t('signin.title') }),
    field(t('signin.email'), email),
    field(t('signin.password'), password),
    h('p', {}, submit),
    message,
  );
  container.append(form);
}
