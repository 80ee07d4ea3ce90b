/** Builds an element: attributes (false or null ones skipped, on* ones as listeners) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}

/** Replaces a table body's rows with one row per item, each cell a string or a node. */
export function fillRows(tbody, items, cellsOf) {
  tbody.replaceChildren(...items.map(item => el('tr', {}, ...cellsOf(item).map(cell => el('td', {}, cell)))));
}

/** Shows a message in a form's (or any container's) [data-error] element; an empty one hides it. */
export function showError(container, message) {
  container.querySelector('[data-error]').textContent = message;
}

/** Sets a node's text only when it differs, so unchanged cells cost no layout. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A modal dialog's [data-close] buttons and a click on its backdrop close it; Escape does natively. */
export function wireDialog(dialog) {
  for (const button of dialog.querySelectorAll('[data-close]')) button.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', event => {
    if (event.target === dialog) dialog.close();
  });
}
