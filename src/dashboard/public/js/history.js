// One line per recorded event: when, what, who, why. The server's own message (a key and
// params) is used when it sends one; otherwise the event type's label.
import { userName } from './directory.js';
import { h } from './dom.js';
import { dateTime } from './format.js';
import { has, t } from './i18n.js';

export function eventLabel(entry) {
  if (entry.message?.key && has(`history.${entry.message.key}`))
    return t(`history.${entry.message.key}`, entry.message.params ?? {});
  if (has(`event.${entry.type}`)) return t(`event.${entry.type}`);
  return entry.summary ?? entry.type;
}

export function causeText(cause) {
  if (!cause) return '—';
  const kind = has(`cause.${cause.kind}`) ? t(`cause.${cause.kind}`) : cause.kind;
  if (cause.kind === 'person') return `${kind}: ${userName(cause.id)}`;
  if (cause.kind === 'rule')
    return `${kind}: ${cause.id}${cause.version ? ` v${cause.version}` : ''}`;
  return cause.id ? `${kind}: ${cause.id}` : kind;
}

export function historyRows(entries) {
  return entries.map((entry) => ({
    when: dateTime(entry.occurredAt),
    what: eventLabel(entry),
    who: entry.actor?.userId ? userName(entry.actor.userId) : '—',
    why: entry.reason ?? '',
    entry,
  }));
}

export const historyColumns = () => [
  { label: t('deal.when'), cell: (row) => h('time', { datetime: row.entry.occurredAt }, row.when) },
  { label: t('deal.what'), cell: (row) => row.what },
  { label: t('deal.who'), cell: (row) => row.who },
  { label: t('deal.why'), cell: (row) => row.why },
];
