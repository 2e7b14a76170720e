// Element builders. Every element of the dashboard is made here, with
// createElement/createElementNS; every value goes in as a text node or
// through setAttribute, never as HTML, so `<script>` in a host name shows
// as text. Event handlers are attached with addEventListener (the CSP
// forbids inline handlers).

const SVG_NS = "http://www.w3.org/2000/svg";

// Appends kids: nodes as they are, arrays flattened, other values as text;
// null, undefined and false are skipped.
function add(el, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) add(el, k);
    else if (k instanceof Node) el.appendChild(k);
    else el.appendChild(document.createTextNode(String(k)));
  }
  return el;
}

// Sets attributes: `onX` functions become listeners, `class` may be a list
// (falsy entries dropped), `true` is an empty attribute, falsy ones are left out.
function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  return el;
}

// An HTML element: h("td", {class: "num"}, "42").
export function h(tag, attrs, ...kids) {
  return add(setAttrs(document.createElement(tag), attrs), kids);
}

// An SVG element: s("rect", {x: 0, y: 0, width: 4, height: 2}).
export function s(tag, attrs, ...kids) {
  return add(setAttrs(document.createElementNS(SVG_NS, tag), attrs), kids);
}
