import { get, post, query } from '../api.js';
import { may } from '../access.js';
import { loadUsers, openStages, stageLabel, userName } from '../directory.js';
import { announce, definitionList, field, h, link, notice, panel, select, table } from '../dom.js';
import { dateTime, moneyOf } from '../format.js';
import { problemText, t } from '../i18n.js';

const PROFILE = [
  'country',
  'website',
  'mainProducts',
  'customerType',
  'sourceChannel',
  'grade',
  'lifecycle',
];
const BUSINESS = [
  'purchaseVolumeBand',
  'purchaseCycle',
  'targetMarkets',
  'certifications',
  'competitorBrands',
  'priceSensitivity',
  'leadTimeSensitivity',
];
const TRADE = ['timeZone', 'language', 'ports', 'incoterms', 'paymentTerms'];

const show = (value) => (Array.isArray(value) ? value.join(', ') || '—' : (value ?? '—'));

export async function render(container, { params: [accountId], session }) {
  if (!may(session.role, 'records')) {
    container.append(
      h('h1', { text: t('account.title') }),
      notice(t('notForRole', { role: t(`role.${session.role}`) })),
    );
    return;
  }
  const [view, stages] = await Promise.all([
    get(`/api/accounts/${accountId}/360?timelineLimit=50`),
    openStages(),
    loadUsers(session.role),
  ]);
  const { account, contacts, deals, timeline, mergedAccounts } = view;
  const message = h('div', { 'aria-live': 'polite' });
  container.append(h('h1', {}, `${t('account.title')}: ${account.name ?? accountId}`), message);
  if (account.mergedInto) {
    container.append(
      h(
        'p',
        { class: 'notice' },
        link(
          `#/accounts/${account.mergedInto}`,
          t('account.mergedInto', { name: account.mergedInto }),
        ),
      ),
    );
  }
  const fieldsOf = (keys) => keys.map((key) => [t(`account.field.${key}`), show(account[key])]);
  container.append(
    h(
      'div',
      { class: 'grid' },
      panel(
        t('account.fields'),
        definitionList([
          ...fieldsOf(PROFILE),
          [t('account.field.owner'), userName(account.ownerId)],
          ...fieldsOf(BUSINESS),
        ]),
      ),
      panel(t('account.tradeFields'), definitionList(fieldsOf(TRADE))),
      panel(
        t('account.contacts'),
        table({
          caption: t('account.contacts'),
          hideCaption: true,
          rows: contacts,
          columns: [
            { label: t('account.contact.name'), cell: (c) => c.name ?? '—' },
            { label: t('account.contact.role'), cell: (c) => t(`contactRole.${c.role}`) },
            { label: t('account.contact.title'), cell: (c) => c.title ?? '—' },
            { label: t('account.contact.email'), cell: (c) => c.email ?? '—' },
            { label: t('account.contact.phone'), cell: (c) => c.phone ?? '—' },
          ],
        }),
      ),
    ),
    panel(
      t('account.deals'),
      table({
        caption: t('account.deals'),
        hideCaption: true,
        rows: deals.items,
        columns: [
          { label: t('deal.title'), cell: (deal) => link(`#/deals/${deal.id}`, deal.title) },
          { label: t('deal.status'), cell: (deal) => t(`deal.status.${deal.status}`) },
          {
            label: t('reports.stage'),
            cell: (deal) =>
              stageLabel(stages, deal.status === 'open' ? deal.stage : deal.status, t),
          },
          { label: t('deal.amount'), numeric: true, cell: (deal) => moneyOf(deal.amount) },
          { label: t('deal.owner'), cell: (deal) => userName(deal.ownerId) },
        ],
      }),
    ),
    panel(
      t('account.timeline'),
      h(
        'ol',
        { class: 'timeline' },
        timeline.entries.map((entry) =>
          h(
            'li',
            {},
            h('time', { datetime: entry.at }, dateTime(entry.at)),
            ' · ',
            t(`timeline.${entry.type}`),
            entry.dealTitle ? [' · ', link(`#/deals/${entry.dealId}`, entry.dealTitle)] : null,
            entry.details?.summary ? h('div', { class: 'muted' }, entry.details.summary) : null,
          ),
        ),
      ),
    ),
    await duplicatesPanel(account, mergedAccounts, session, message),
  );
}

async function duplicatesPanel(account, mergedAccounts, session, message) {
  const done = (text) => {
    message.replaceChildren(h('p', { class: 'success', role: 'status' }, text));
    announce(text);
  };
  const fail = (error) =>
    message.replaceChildren(
      h(
        'div',
        { class: 'alert', role: 'alert' },
        error.problem ? problemText(error.problem) : t('error.network'),
      ),
    );

  const merged = mergedAccounts.map((item) => {
    const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500 });
    return h(
      'form',
      {
        class: 'filters',
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            await post(`/api/accounts/${item.accountId}/unmerge`, { reason: reason.value });
            done(t('account.unmergeDone'));
            setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 0);
          } catch (error) {
            fail(error);
          }
        },
      },
      h(
        'span',
        {},
        link(`#/accounts/${item.accountId}`, item.name ?? item.accountId),
        ` · ${dateTime(item.mergedAt)}`,
      ),
      field(t('account.unmergeReason'), reason),
      h(
        'button',
        { type: 'submit', class: 'secondary' },
        t('account.unmerge', { name: item.name ?? '' }),
      ),
    );
  });

  // Likely duplicates: accounts whose names match this one, from search (the same matcher as dedup's names).
  const similar =
    account.name && may(session.role, 'search')
      ? (
          await get(`/api/search${query({ q: account.name, kind: 'account', limit: 6 })}`)
        ).results.filter(
          (result) =>
            result.id !== account.id && !mergedAccounts.some((m) => m.accountId === result.id),
        )
      : [];
  const reviews = may(session.role, 'reviews')
    ? (await get('/api/dedup/reviews')).items.filter((item) => item.accountId === account.id)
    : [];

  const candidate = select(
    similar.map((result) => [result.id, `${result.title} (${result.subtitle})`]),
    similar[0]?.id,
  );
  const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 500 });
  const mergeForm =
    similar.length > 0 && !account.mergedInto
      ? h(
          'form',
          {
            class: 'filters',
            onsubmit: async (event) => {
              event.preventDefault();
              try {
                await post('/api/accounts/merge', {
                  mergedId: candidate.value,
                  survivorId: account.id,
                  reason: reason.value,
                });
                done(t('account.mergeDone'));
                setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 0);
              } catch (error) {
                fail(error);
              }
            },
          },
          field(t('account.mergeWhich'), candidate),
          field(t('account.mergeReason'), reason),
          h('button', { type: 'submit' }, t('account.merge')),
        )
      : null;

  return panel(
    t('account.duplicates'),
    merged.length ? [h('h3', { text: t('account.merged') }), merged] : null,
    h('h3', { text: t('account.similar') }),
    similar.length
      ? h(
          'ul',
          {},
          similar.map((result) =>
            h('li', {}, link(`#/accounts/${result.id}`, result.title), ` · ${result.subtitle}`),
          ),
        )
      : h('p', { class: 'muted', text: t('account.noDuplicates') }),
    mergeForm,
    reviews.length
      ? [
          h('h3', { text: t('account.reviewItems') }),
          table({
            caption: t('account.reviewItems'),
            hideCaption: true,
            rows: reviews,
            columns: [
              { label: t('deal.kind'), cell: (item) => t(`account.kind.${item.kind}`) },
              {
                label: t('lead.title'),
                cell: (item) =>
                  link(`#/leads/${item.leadId}`, item.evidence?.normalized?.query ?? item.leadId),
              },
              {
                label: t('account.evidence'),
                cell: (item) =>
                  item.evidence?.phone ?? (item.evidence?.sharedTokens ?? []).join(', '),
              },
            ],
          }),
        ]
      : null,
  );
}
