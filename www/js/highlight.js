// JSON colouring for the editor and the previews: keys, strings, numbers and literals in
// spans. Text is only ever split into text nodes, so a node's textContent stays the text.

const JSON_TOKEN = /("(?:[^"\\\n]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Texts longer than this are shown without colour. */
export const HIGHLIGHT_LIMIT = 300_000;

/** A fragment holding `text` with its JSON tokens wrapped in spans (j-key, j-string, ...). */
export function highlighted(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  const span = (cls, value) => {
    const node = document.createElement("span");
    node.className = cls;
    node.textContent = value;
    fragment.appendChild(node);
  };
  for (const match of text.matchAll(JSON_TOKEN)) {
    if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
    if (match[1] !== undefined) {
      span(match[2] ? "j-key" : "j-string", match[1]);
      if (match[2]) fragment.appendChild(document.createTextNode(match[2]));
    } else if (match[3] !== undefined) span("j-literal", match[3]);
    else span("j-number", match[4]);
    last = match.index + match[0].length;
  }
  if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}

/** Shows JSON text in `node`, coloured unless it is very long; `node.textContent` is `text`. */
export function setCode(node, text) {
  if (text.length > HIGHLIGHT_LIMIT) node.textContent = text;
  else node.replaceChildren(highlighted(text));
}
