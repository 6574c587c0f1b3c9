import { describeError } from '../errors.js';
import type { SaxesAttributeNS, SaxesParser, SaxesTagNS } from 'saxes';

/** `refuse`: no SVG is written. `sanitize`: a new SVG is written, rebuilt from an allow-list. */
export type SvgPolicy = 'refuse' | 'sanitize';

/** Why an SVG is not written; the message is one line. */
export class SvgRefusedError extends Error {
  override name = 'SvgRefusedError';
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const REFUSED = 'SVG images are refused (images.svg is "refuse"); set images.svg: sanitize to accept them cleaned';

/**
 * Elements that only draw. Left out on purpose: script, style, foreignObject, a, image,
 * feImage (loads a URL), animate/set/animateMotion/animateTransform (can rewrite any
 * attribute, href included, after this check), and everything not listed.
 */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feFuncR',
  'feFuncG',
  'feFuncB',
  'feFuncA',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feGaussianBlur',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
]);

/**
 * Attributes without a namespace that are kept: geometry, presentation, gradient, filter
 * and text settings. No on* handler, no style (it would need a CSS parser), no animation
 * attributes, nothing that takes a URL except href (checked below).
 */
const ATTRIBUTES = new Set([
  'id',
  'class',
  'lang',
  'role',
  'aria-label',
  'aria-hidden',
  'version',
  'baseProfile',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'dx',
  'dy',
  'width',
  'height',
  'd',
  'points',
  'pathLength',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'href',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'offset',
  'stop-color',
  'stop-opacity',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'opacity',
  'color',
  'display',
  'visibility',
  'overflow',
  'vector-effect',
  'paint-order',
  'shape-rendering',
  'text-rendering',
  'color-interpolation',
  'color-interpolation-filters',
  'clip-path',
  'clip-rule',
  'mask',
  'filter',
  'marker-start',
  'marker-mid',
  'marker-end',
  'flood-color',
  'flood-opacity',
  'lighting-color',
  'rotate',
  'textLength',
  'lengthAdjust',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'font-stretch',
  'letter-spacing',
  'word-spacing',
  'text-decoration',
  'writing-mode',
  'direction',
  'unicode-bidi',
  'filterUnits',
  'primitiveUnits',
  'in',
  'in2',
  'result',
  'stdDeviation',
  'mode',
  'type',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'order',
  'kernelMatrix',
  'divisor',
  'bias',
  'targetX',
  'targetY',
  'edgeMode',
  'preserveAlpha',
  'kernelUnitLength',
  'surfaceScale',
  'diffuseConstant',
  'specularConstant',
  'specularExponent',
  'scale',
  'xChannelSelector',
  'yChannelSelector',
  'radius',
  'baseFrequency',
  'numOctaves',
  'seed',
  'stitchTiles',
  'azimuth',
  'elevation',
  'z',
  'pointsAtX',
  'pointsAtY',
  'pointsAtZ',
  'limitingConeAngle',
  'tableValues',
  'slope',
  'intercept',
  'amplitude',
  'exponent',
]);

/** Properties whose only URL use is a reference to another element: `none` or `url(#id)`. */
const MAX_DEPTH = 100;

const REFERENCE_ATTRIBUTES = new Set(['clip-path', 'mask', 'filter', 'marker-start', 'marker-mid', 'marker-end']);

/**
 * Returns the bytes to write for an SVG, or throws SvgRefusedError. With `sanitize` the
 * bytes are parsed as namespaced XML and a new document is written from the allow-lists;
 * nothing of the input reaches the output unparsed.
 */
export async function checkSvg(bytes: Buffer, policy: SvgPolicy): Promise<Buffer> {
  if (policy !== 'sanitize') throw new SvgRefusedError(REFUSED);
  const text = decodeUtf8(bytes);
  // Loaded here, not at start-up: most runs never see an SVG. Through `default` (module.exports
  // of this CommonJS package): the bundled CLI's chunk for it exports nothing else.
  const { SaxesParser } = (await import('saxes')).default;
  const writer = new SvgWriter();
  parseInto(new SaxesParser({ xmlns: true }), text, writer);
  return Buffer.from(writer.result(), 'utf8');
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SvgRefusedError('it is not valid UTF-8');
  }
}

function parseInto(parser: SaxesParser<{ xmlns: true }>, text: string, writer: SvgWriter): void {
  parser.on('xmldecl', ({ encoding }) => {
    // The bytes were decoded as UTF-8; another declared encoding would be read wrongly.
    if (encoding !== undefined && !['utf-8', 'us-ascii'].includes(encoding.toLowerCase())) {
      throw new SvgRefusedError(`it declares the encoding ${encoding}; only UTF-8 is accepted`);
    }
  });
  parser.on('doctype', (doctype) => {
    // saxes never reads a DTD, so declared entities would not be expanded anyway; an
    // internal subset has no place in an image and is refused rather than guessed at.
    if (doctype.includes('['))
      throw new SvgRefusedError('its DOCTYPE has an internal subset (entity declarations are refused)');
  });
  let depth = 0;
  parser.on('opentag', (tag) => {
    // saxes resolves namespaces against every open element: nesting costs time quadratically
    // (200,000 levels, 1.4 MB, took over ten minutes). No drawing nests this deep.
    if (++depth > MAX_DEPTH) throw new SvgRefusedError(`its elements nest deeper than ${MAX_DEPTH} levels`);
    writer.open(tag);
  });
  parser.on('closetag', () => {
    depth--;
    writer.close();
  });
  parser.on('text', (data) => writer.text(data));
  parser.on('cdata', (data) => writer.text(data));
  // Comments and processing instructions have no handler: they are not written.
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof SvgRefusedError) throw error;
    throw new SvgRefusedError(`it is not well-formed XML (${oneLine(describeError(error))})`);
  }
}

/**
 * Writes the kept elements as they are parsed. A dropped element takes its whole subtree
 * with it (its text included); the depth counts how far inside such a subtree we are.
 */
class SvgWriter {
  private readonly parts: string[] = [];
  private readonly names: string[] = [];
  private droppedDepth = 0;
  private startTagOpen = false;
  private rootNsPart = -1;
  private usesXlink = false;

  open(tag: SaxesTagNS): void {
    const isRoot = this.parts.length === 0;
    if (isRoot && (tag.uri !== SVG_NS || tag.local !== 'svg'))
      throw new SvgRefusedError('its root element is not <svg> in the SVG namespace');
    if (this.droppedDepth > 0 || tag.uri !== SVG_NS || !ELEMENTS.has(tag.local)) {
      this.droppedDepth++;
      return;
    }
    this.endStartTag();
    this.parts.push(`<${tag.local}`);
    // The root's namespace declarations are written last: xlink is declared only if used.
    if (isRoot) this.rootNsPart = this.parts.push('') - 1;
    for (const attribute of Object.values(tag.attributes)) this.attribute(tag.local, attribute);
    this.names.push(tag.local);
    this.startTagOpen = true;
  }

  close(): void {
    if (this.droppedDepth > 0) {
      this.droppedDepth--;
      return;
    }
    const name = this.names.pop();
    this.parts.push(this.startTagOpen ? '/>' : `</${name}>`);
    this.startTagOpen = false;
  }

  text(data: string): void {
    if (this.droppedDepth > 0 || this.names.length === 0 || data === '') return;
    this.endStartTag();
    this.parts.push(escapeXml(data));
  }

  result(): string {
    this.parts[this.rootNsPart] = ` xmlns="${SVG_NS}"${this.usesXlink ? ` xmlns:xlink="${XLINK_NS}"` : ''}`;
    return `${this.parts.join('')}\n`;
  }

  private attribute(element: string, attribute: SaxesAttributeNS): void {
    const name = attributeName(element, attribute);
    const value = name === undefined ? undefined : keptValue(name, attribute.value);
    if (name === undefined || value === undefined) return;
    if (name === 'xlink:href') this.usesXlink = true;
    this.parts.push(` ${name}="${escapeXml(value)}"`);
  }

  private endStartTag(): void {
    if (this.startTagOpen) this.parts.push('>');
    this.startTagOpen = false;
  }
}

/** The name to write the attribute under, or undefined to drop it. */
function attributeName(element: string, { uri, local }: SaxesAttributeNS): string | undefined {
  if (uri === '') {
    // feColorMatrix needs `values`; on it the word is a matrix, not an animation value.
    if (ATTRIBUTES.has(local) || (local === 'values' && element === 'feColorMatrix')) return local;
    return undefined;
  }
  if (uri === XLINK_NS && local === 'href') return 'xlink:href';
  if (uri === XML_NS && local === 'space') return 'xml:space';
  return undefined; // namespace declarations and every other namespace
}

/** The value to write (the parser has decoded it already), or undefined to drop the attribute. */
function keptValue(name: string, value: string): string | undefined {
  const trimmed = value.trim();
  // A value starting with '#' is a fragment of this document; anything else may leave it.
  if (name === 'href' || name === 'xlink:href') return trimmed.startsWith('#') ? trimmed : undefined;
  // CSS escapes could spell url( or another function without those letters appearing.
  if (value.includes('\\')) return undefined;
  if (REFERENCE_ATTRIBUTES.has(name)) return trimmed === 'none' || isLocalUrl(trimmed) ? trimmed : undefined;
  if (value.toLowerCase().includes('url(')) return isLocalUrl(trimmed) ? trimmed : undefined;
  return value;
}

/** Exactly `url(#id)`, where the id holds no quote, bracket, space or separator. */
function isLocalUrl(value: string): boolean {
  if (!value.startsWith('url(#') || !value.endsWith(')')) return false;
  const id = value.slice('url(#'.length, -1);
  return id.length > 0 && [...id].every((c) => c > ' ' && !`()'"\\,;`.includes(c));
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function oneLine(text: string): string {
  return text.split(/\s+/).join(' ').trim();
}
