import { get, query } from '../api.js';
import { may } from '../access.js';
import { h, link, notice, table } from '../dom.js';
import { number } from '../format.js';
import { t } from '../i18n.js';

/** Where a hit opens. */
function target(result) {
  if (result.kind === 'deal') return `#/deals/${result.id}`;
  if (result.kind === 'lead') return `#/leads/${result.id}`;
  if (result.kind === 'account') return `#/accounts/${result.id}`;
  // A contact hit names no account: it is shown without a link.
  return undefined;
}

export async function render(container, { query: params, session }) {
  const q = (params.get('q') ?? '').trim();
  container.append(h('h1', {}, q ? t('search.title', { q }) : t('search.submit')));
  if (!may(session.role, 'search')) {
    container.append(notice(t('notForRole', { role: t(`role.${session.role}`) })));
    return;
  }
  if (!q) {
    container.append(h('p', { class: 'muted', text: t('search.enter') }));
    return;
  }
  const { results } = await get(`/api/search${query({ q, limit: 50 })}`);
  container.append(
    h(
      'p',
      { role: 'status', class: 'muted' },
      results.length ? number(results.length) : t('search.none', { q }),
    ),
    table({
      caption: t('search.title', { q }),
      hideCaption: true,
      rows: results,
      empty: t('search.none', { q }),
      columns: [
        { label: t('search.column.kind'), cell: (result) => t(`search.kind.${result.kind}`) },
        {
          label: t('search.column.title'),
          cell: (result) => {
            const href = target(result);
            return href && may(session.role, 'records') ? link(href, result.title) : result.title;
          },
        },
        { label: t('search.column.subtitle'), cell: (result) => result.subtitle },
      ],
    }),
  );
}
