// Names for ids (users, teams) and the policies the pages label things with, fetched once a session.
import { get } from './api.js';
import { may } from './access.js';
import { label } from './i18n.js';

let users;
let teams;
const policies = new Map();

export function resetDirectory() {
  users = undefined;
  teams = undefined;
  policies.clear();
}

export async function loadUsers(role) {
  if (users) return users;
  users = new Map();
  if (may(role, 'directory')) {
    for (const user of await get('/api/users')) users.set(user.userId, user);
  }
  return users;
}

export async function loadTeams(role) {
  if (teams) return teams;
  teams = new Map();
  if (may(role, 'directory')) {
    for (const team of await get('/api/teams')) teams.set(team.teamId, team);
  }
  return teams;
}

/** A user's name when the directory knows it; otherwise a short form of the id. */
export function userName(id) {
  if (!id) return '—';
  return users?.get(id)?.name ?? (id.length > 12 ? `${id.slice(0, 8)}…` : id);
}

export const teamName = (id) => (id ? (teams?.get(id)?.name ?? `${id.slice(0, 8)}…`) : '—');

export async function policy(id) {
  if (!policies.has(id))
    policies.set(
      id,
      get(`/api/policies/${encodeURIComponent(id)}`).then((p) => p.body),
    );
  return policies.get(id);
}

/** Open stages in order, with their label in the current language. */
export async function openStages() {
  return (await policy('stages.default')).openStages;
}

export function stageLabel(stages, key, t) {
  if (key === 'won' || key === 'lost') return t(`stage.${key}`);
  return label(stages.find((stage) => stage.key === key)?.label, key);
}

/** The label of a loss reason code (reason.sub_reason) in the current language. */
export async function lossReasonLabel(code) {
  if (!code) return undefined;
  const [reasonKey, subKey] = code.split('.');
  const reason = (await policy('loss-reasons.default')).reasons?.find((r) => r.key === reasonKey);
  const sub = reason?.subReasons?.find((s) => s.key === subKey);
  return sub ? `${label(reason.label)} · ${label(sub.label)}` : label(reason?.label, code);
}
