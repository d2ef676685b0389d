/** Builds elements from text only: server data never becomes HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Array<Node | null>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * Writes text only when it changes: each write is a new text node, and with it a new layout
 * of the page in that frame, even for the same words.
 */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Writes an attribute only when it changes: a write makes the browser check styles again. */
export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

export function clear(node: Element): void {
  node.replaceChildren();
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const BELL =
  'M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11v1h12v-1l-1.5-2V6A4.5 4.5 0 0 0 8 1.5zM6.5 13a1.5 1.5 0 0 0 3 0z';

/** A bell (struck through when `off`), drawn in the DOM: no font or image needed. */
export function bellIcon(off: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const bell = document.createElementNS(SVG_NS, 'path');
  bell.setAttribute('d', BELL);
  bell.setAttribute('fill', 'currentColor');
  svg.append(bell);
  if (off) {
    const slash = document.createElementNS(SVG_NS, 'path');
    slash.setAttribute('d', 'M2 2 L14 14');
    slash.setAttribute('stroke', 'currentColor');
    slash.setAttribute('stroke-width', '1.8');
    svg.append(slash);
  }
  return svg;
}
