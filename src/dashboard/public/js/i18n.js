// Chinese and English; the choice is remembered in localStorage.
import { EN } from './i18n-en.js';
import { ZH } from './i18n-zh.js';

const LANGUAGE_KEY = 'tradeflow.language';
const DICTIONARIES = { en: EN, zh: ZH };
const listeners = new Set();

function initial() {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = initial();
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

export const language = () => current;
export const locale = () => (current === 'zh' ? 'zh-CN' : 'en-GB');

export function setLanguage(next) {
  if (!DICTIONARIES[next] || next === current) return;
  current = next;
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((listener) => listener(next));
}

export const onLanguageChange = (listener) => listeners.add(listener);

/** The text for a key in the current language, with {name} placeholders filled in. */
export function t(key, params = {}) {
  const template = DICTIONARIES[current][key] ?? EN[key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (_, name) =>
    params[name] === undefined ? `{${name}}` : String(params[name]),
  );
}

export const has = (key) => DICTIONARIES[current][key] !== undefined || EN[key] !== undefined;

/** A policy label ({en, zh}) in the current language. */
export const label = (text, fallback = '') =>
  typeof text === 'string' ? text : (text?.[current] ?? text?.en ?? fallback);

/**
 * An API problem in the user's language, from its stable `code` (and its details), never from the
 * server's English `detail` unless the code is one this dashboard does not know.
 */
export function problemText(problem, context = {}) {
  const code = problem?.code ?? 'internal';
  const details = problem?.details ?? {};
  const params = { ...context, ...details, field: problem?.field ?? '' };
  if (Array.isArray(details.missing)) {
    params.missing = details.missing
      .map((key) => t(`requirement.${key}`))
      .join(t('list.separator'));
  }
  if (problem?.currentRevision !== undefined) params.revision = problem.currentRevision;
  if (has(`error.${code}`)) return t(`error.${code}`, params);
  if (code === 'validation.failed' && Array.isArray(problem.errors)) {
    return problem.errors
      .map((error) =>
        has(`error.${error.code}`)
          ? t(`error.${error.code}`, { field: error.field })
          : `${error.field}: ${error.reason}`,
      )
      .join('; ');
  }
  return t('error.unknown', { code, detail: problem?.detail ?? '' });
}
