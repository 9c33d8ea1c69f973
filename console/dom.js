// Tiny DOM helpers: every value from the API goes in as text (never innerHTML), so a crafted audit field cannot run.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

export function showError(id, error) {
  $(id).textContent = error ? `${error.type ?? 'Error'}: ${error.message}` : '';
}

/** A definition list from [term, value] pairs. */
export function facts(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value ?? '—')]));
}
