/** Small DOM helpers every screen builds with: no framework, real elements with real labels. */
export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> | null;

/** `h('button', { type: 'button', onclick: f }, 'Next')`: on* attributes are listeners, booleans toggle. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...kids: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}

export function append(el: Node, kids: Child[]): void {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else el.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
  }
}

/** Replaces an element's content. */
export function replace(el: Element, ...kids: Child[]): void {
  el.replaceChildren();
  append(el, kids);
}

let nextId = 0;
export const uid = (prefix = 'f') => `${prefix}-${++nextId}`;

export interface Column<T> {
  label: string;
  value: (row: T) => Child;
}

/** A data table with a caption (its accessible name); an empty list says so in one row. */
export function table<T>(rows: T[], columns: Column<T>[], caption: string, empty = 'No resources to display'): HTMLElement {
  return h('div', { class: 'table-wrap' },
    h('table', null,
      h('caption', null, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', null, rows.length
        ? rows.map((r) => h('tr', null, columns.map((c) => h('td', { 'data-label': c.label }, c.value(r)))))
        : h('tr', null, h('td', { colspan: columns.length }, empty)))));
}

/** A labelled input; the returned element is the control (its wrapper holds the label). */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLElement {
  control.id ||= uid();
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), hintEl, control);
}

export const input = (attrs: Record<string, unknown> = {}) => h('input', { type: 'text', ...attrs });
export const textarea = (attrs: Record<string, unknown> = {}) => h('textarea', { rows: 12, spellcheck: 'false', ...attrs });
export function select(options: (string | [string, string])[], attrs: Record<string, unknown> = {}): HTMLSelectElement {
  return h('select', attrs, options.map((o) => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
}

export function button(label: string, onclick: (e: Event) => unknown, attrs: Record<string, unknown> = {}): HTMLButtonElement {
  return h('button', { type: 'button', onclick, ...attrs }, label);
}

/** A link to another screen (`#/users?name=…`). */
export function link(route: string, params: Record<string, string> | null, text: Child): HTMLAnchorElement {
  const q = params ? `?${new URLSearchParams(params)}` : '';
  return h('a', { href: `#/${route}${q}` }, text);
}

/** AWS's message for a failed call, in an alert the screen reader announces; replaces an earlier one. */
export function showError(root: Element, err: unknown): void {
  clearError(root);
  const e = err as { code?: string; message?: string };
  const box = h('div', { class: 'alert error', role: 'alert' },
    e.code ? h('strong', null, e.code) : null, e.code ? ': ' : null, e.message || String(err));
  root.prepend(box);
}

export function clearError(root: Element): void {
  for (const el of Array.from(root.querySelectorAll(':scope > .alert'))) el.remove();
}

/** A success note in a status region. */
export function showNotice(root: Element, text: string): void {
  clearError(root);
  root.prepend(h('div', { class: 'alert notice', role: 'status' }, text));
}

/** A coloured status word (ACTIVE, CREATE FAILED, Enabled…); colour is never the only signal. */
export function badge(status: string | undefined): HTMLElement {
  const s = String(status ?? 'unknown');
  const tone = /FAIL|DENIED|Disabled|Inactive|PendingDeletion/i.test(s) ? 'bad'
    : /ACTIVE|Enabled|Active|passed|SUCCEEDED/i.test(s) ? 'good' : 'busy';
  return h('span', { class: `badge ${tone}` }, s);
}

/** Timestamps arrive as ISO text (XML protocols) or epoch seconds (JSON protocols). */
export function when(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Runs an action with its button disabled and errors shown in `root`; resolves false on failure. */
export async function run(root: Element, btn: HTMLButtonElement | null, action: () => Promise<unknown>): Promise<boolean> {
  if (btn) btn.disabled = true;
  try {
    clearError(root);
    await action();
    return true;
  } catch (e) {
    showError(root, e);
    return false;
  } finally {
    if (btn) btn.disabled = false;
  }
}

/** The screen's title block: an h1 (focused after navigation, so keyboard users start at the top) and actions. */
export function header(title: string, ...actions: Child[]): HTMLElement {
  return h('div', { class: 'page-header' }, h('h1', { tabindex: '-1' }, title), h('div', { class: 'actions' }, actions));
}

export const pretty = (json: string) => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};
