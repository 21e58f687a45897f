import { clearSession, post, session } from './api.js';
import { may, PAGES } from './access.js';
import { resetDirectory } from './directory.js';
import { clear, field, h, select, uid } from './dom.js';
import { userTimeZone } from './format.js';
import { language, onLanguageChange, setLanguage, t } from './i18n.js';

// Each page: render(main, { params, query, session }) → optional cleanup (timers).
const ROUTES = [
  { pattern: /^sign-in$/, page: () => import('./pages/sign-in.js'), open: true },
  { pattern: /^queue$/, page: () => import('./pages/queue.js') },
  { pattern: /^board$/, page: () => import('./pages/board.js') },
  { pattern: /^reports$/, page: () => import('./pages/reports.js') },
  { pattern: /^operations$/, page: () => import('./pages/operations.js') },
  { pattern: /^audit$/, page: () => import('./pages/audit.js') },
  { pattern: /^search$/, page: () => import('./pages/search.js') },
  { pattern: /^deals\/([0-9a-f-]{36})$/i, page: () => import('./pages/deal.js') },
  { pattern: /^accounts\/([0-9a-f-]{36})$/i, page: () => import('./pages/account.js') },
  { pattern: /^leads\/([0-9a-f-]{36})$/i, page: () => import('./pages/lead.js') },
];

const main = document.getElementById('main');
const shell = document.getElementById('shell');
let cleanup;
let rendering = 0;

function currentRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function homePath(role) {
  return PAGES.find((page) => may(role, page.needs))?.path ?? 'operations';
}

async function render() {
  const ticket = ++rendering;
  delete main.dataset.ready;
  const { path, query } = currentRoute();
  const signedIn = session();
  if (!signedIn && path !== 'sign-in') {
    location.replace('#/sign-in');
    return;
  }
  if (signedIn && (path === '' || path === 'sign-in')) {
    location.replace(`#/${homePath(signedIn.role)}`);
    return;
  }
  const route = ROUTES.find((candidate) => candidate.pattern.test(path));
  renderShell(path);
  cleanup?.();
  cleanup = undefined;
  clear(main);
  if (!route) {
    location.replace(`#/${homePath(signedIn.role)}`);
    return;
  }
  // The page is built in place, so charts can measure their boxes while it loads.
  const loading = h('p', { class: 'muted loading', role: 'status', text: t('loading') });
  const container = h('div');
  main.replaceChildren(loading, container);
  const params = path.match(route.pattern).slice(1);
  const module = await route.page();
  if (ticket !== rendering) return;
  try {
    cleanup = await module.render(container, { params, query, session: signedIn });
  } catch (error) {
    const { problemText } = await import('./i18n.js');
    container.replaceChildren(
      h(
        'div',
        { class: 'alert', role: 'alert' },
        error?.problem ? problemText(error.problem) : t('error.page'),
      ),
    );
    // A failure that is not an API answer is a bug: report it where tools and tests look.
    if (!error?.problem) console.error(error);
  }
  if (ticket !== rendering) {
    cleanup?.();
    return;
  }
  loading.remove();
  // For tests and tools: the page has finished loading its data.
  main.dataset.ready = path;
  document.title = `${main.querySelector('h1')?.textContent ?? ''} · ${t('app.name')}`;
}

function renderShell(path) {
  const signedIn = session();
  document.getElementById('skip-link').textContent = t('app.skip');
  clear(shell);
  shell.append(h('span', { class: 'brand', text: t('app.name') }));
  if (signedIn) {
    shell.append(
      h(
        'nav',
        { 'aria-label': t('nav.label') },
        h(
          'ul',
          {},
          PAGES.filter((page) => may(signedIn.role, page.needs)).map((page) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/${page.path}`, 'aria-current': path === page.path ? 'page' : undefined },
                t(`nav.${page.path}`),
              ),
            ),
          ),
        ),
      ),
    );
    if (may(signedIn.role, 'search')) shell.append(searchForm());
  }
  const tools = h('div', { class: 'tools' });
  const languageSelect = select(
    [
      ['en', 'English'],
      ['zh', '中文'],
    ],
    language(),
    { id: 'language-select', onchange: (event) => setLanguage(event.target.value) },
  );
  tools.append(h('label', { for: 'language-select', text: t('language.label') }), languageSelect);
  if (signedIn) {
    tools.append(
      h(
        'span',
        { class: 'user', title: t('timezone.note', { zone: userTimeZone() }) },
        signedIn.name ?? signedIn.userId,
      ),
      h('button', { type: 'button', onclick: signOut }, t('signout')),
    );
  }
  shell.append(tools);
}

function searchForm() {
  const input = h('input', {
    type: 'search',
    name: 'q',
    id: uid('search'),
    placeholder: t('search.placeholder'),
    value: currentRoute().path === 'search' ? (currentRoute().query.get('q') ?? '') : '',
  });
  const labelled = field(t('search.label'), input);
  labelled.querySelector('label').className = 'visually-hidden';
  return h(
    'form',
    {
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        const q = input.value.trim();
        if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
      },
    },
    labelled,
    h('button', { type: 'submit' }, t('search.submit')),
  );
}

async function signOut() {
  try {
    await post('/api/auth/sign-out');
  } finally {
    clearSession();
    resetDirectory();
    location.hash = '#/sign-in';
  }
}

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  focusHeading();
});

window.addEventListener('hashchange', () => render().then(focusHeading));
onLanguageChange(() => render().then(() => document.getElementById('language-select')?.focus()));
render();

/** After navigation, keyboard and screen-reader users start at the new page's heading. */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (!heading) {
    main.focus();
    return;
  }
  heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}
