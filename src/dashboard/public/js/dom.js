// Builds DOM nodes; text always goes in as text, never as HTML, so record data cannot inject markup.
let ids = 0;
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'for') node.htmlFor = value;
    else if (key.startsWith('on') && typeof value === 'function')
      node.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected') node[key] = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const clear = (node) => {
  node.replaceChildren();
  return node;
};

/** A labelled control: the label names it for assistive technology and for the tests. */
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const hintNode = hint ? h('span', { class: 'muted', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), control, hintNode);
}

export function select(options, value, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map(([optionValue, text]) =>
      h('option', { value: optionValue, selected: optionValue === value }, text),
    ),
  );
}

export function panel(title, ...children) {
  const id = uid('h');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': id },
    h('h2', { id, text: title }),
    children,
  );
}

/**
 * A table; each column: label, cell(row) returning text or a node, numeric for right alignment.
 * Rows may carry `rowClass(row)`.
 */
export function table({ caption, columns, rows, empty, rowClass, hideCaption = false }) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted empty' }, empty ?? '—');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      caption ? h('caption', { class: hideCaption ? 'visually-hidden' : '' }, caption) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { class: rowClass ? rowClass(row) : '' },
            columns.map((c) =>
              h(
                'td',
                { class: [c.numeric ? 'num' : '', c.className ?? ''].join(' ').trim() },
                c.cell(row),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export function definitionList(entries) {
  return h(
    'dl',
    { class: 'fields' },
    entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]),
  );
}

export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick, so screen readers announce a repeated message too.
  setTimeout(() => (region.textContent = text), 30);
}

export const alertBox = (text) => h('div', { class: 'alert', role: 'alert' }, text);
export const notice = (text) => h('p', { class: 'notice' }, text);
export const link = (href, text) => h('a', { href }, text);
