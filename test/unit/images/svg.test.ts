import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { checkSvg, SvgRefusedError } from '../../../src/images/svg.js';
import { SVG } from '../../support/images.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"';

/**
 * The test's own idea of a static SVG, written apart from the product's allow-list: what
 * may appear in a sanitized output. Anything else found there is a problem.
 */
const STATIC = new Set(
  (
    'svg g defs symbol use path rect circle ellipse line polyline polygon text tspan title desc ' +
    'linearGradient radialGradient stop clipPath mask pattern marker filter ' +
    'feGaussianBlur feColorMatrix feOffset feFlood feMerge feMergeNode'
  ).split(' '),
);

/** Every way the document breaks the test's rules; a document that does not parse is one problem. */
function problems(svg: string): string[] {
  const found: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('xmldecl', ({ encoding }) => {
    if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') found.push(`encoding ${encoding}`);
  });
  parser.on('doctype', () => found.push('doctype'));
  parser.on('processinginstruction', (pi) => found.push(`processing instruction ${pi.target}`));
  parser.on('comment', () => found.push('comment'));
  parser.on('opentag', (tag) => {
    if (tag.uri !== 'http://www.w3.org/2000/svg' || !STATIC.has(tag.local))
      found.push(`element {${tag.uri}}${tag.local}`);
    for (const { uri, local, name, value } of Object.values(tag.attributes)) {
      if (uri === 'http://www.w3.org/2000/xmlns/') {
        if (!['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink'].includes(value))
          found.push(`namespace ${value}`);
        continue;
      }
      found.push(...attributeProblems(local, name, value));
    }
  });
  try {
    parser.write(svg).close();
  } catch (error) {
    found.push(`does not parse: ${(error as Error).message}`);
  }
  return found;
}

function attributeProblems(local: string, name: string, value: string): string[] {
  const squeezed = [...value]
    .filter((c) => c.charCodeAt(0) > 0x20 && !(c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0xa0))
    .join('')
    .toLowerCase();
  const found: string[] = [];
  if (local.toLowerCase().startsWith('on')) found.push(`handler ${name}`);
  if (['style', 'attributename', 'from', 'to', 'by', 'begin'].includes(local.toLowerCase()))
    found.push(`attribute ${name}`);
  if (squeezed.includes('javascript:') || squeezed.includes('data:') || squeezed.includes('://'))
    found.push(`URL in ${name}="${value}"`);
  if (local === 'href' && !value.startsWith('#')) found.push(`href ${name}="${value}"`);
  if (squeezed.includes('url(') && !/^url\(#[^()'"\\\s]+\)$/.test(squeezed)) found.push(`url() in ${name}="${value}"`);
  if (value.includes('\\')) found.push(`CSS escape in ${name}="${value}"`);
  return found;
}

async function sanitized(text: string | Buffer): Promise<string | SvgRefusedError> {
  try {
    return (await checkSvg(Buffer.from(text), 'sanitize')).toString('utf8');
  } catch (error) {
    if (error instanceof SvgRefusedError) return error;
    throw error;
  }
}

const HOSTILE: Array<[string, string]> = [
  [
    'script through a prefix bound to the SVG namespace',
    `<svg ${NS} xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>`,
  ],
  [
    'XHTML script through a prefix',
    `<svg ${NS}><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`,
  ],
  [
    'animate rewriting an href',
    `<svg ${NS} ${XLINK}><a><animate attributeName="href" values="&#106;avascript:alert(1)"/><text>x</text></a></svg>`,
  ],
  ['script in the default namespace', `<svg ${NS}><script>alert(document.cookie)</script><rect width="1"/></svg>`],
  [
    'script in CDATA with an external src',
    `<svg ${NS} ${XLINK}><script xlink:href="https://evil.example/x.js"><![CDATA[alert(1)]]></script></svg>`,
  ],
  [
    'foreignObject with HTML',
    `<svg ${NS}><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">` +
      '<img src="x" onerror="alert(1)"/></body></foreignObject></svg>',
  ],
  [
    'event handlers in any case',
    `<svg ${NS} onload="alert(1)"><rect ONload="alert(1)" OnClick="alert(2)" onmouseover ="x" width="1"/></svg>`,
  ],
  ['javascript: href, entity-encoded', `<svg ${NS}><use href="&#106;&#x61;vascript:alert(1)"/></svg>`],
  ['javascript: href broken by a tab', `<svg ${NS}><use href="java&#x09;script:alert(1)"/></svg>`],
  [
    'javascript: href behind whitespace',
    `<svg ${NS} ${XLINK}><use xlink:href=" &#x0A;javascript:alert(1)"/><use href="&#xA0;#a"/></svg>`,
  ],
  [
    'xlink:href to an external http resource',
    `<svg ${NS} ${XLINK}><use xlink:href="http://evil.example/sprite.svg#a"/></svg>`,
  ],
  ['use with an external https href', `<svg ${NS}><use href="https://evil/x.svg#a"/></svg>`],
  [
    'image elements',
    `<svg ${NS} ${XLINK}><image href="https://evil.example/x.png"/>` +
      '<image xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
  ],
  [
    'set and animate aimed at href and handlers',
    `<svg ${NS}><use href="#a"><set attributeName="href" to="javascript:alert(1)"/>` +
      '<animate attributeName="onclick" to="alert(1)"/>' +
      '<animateTransform attributeName="transform" from="0" to="1"/><animateMotion path="M0 0"/></use></svg>',
  ],
  [
    'style element with @import',
    `<svg ${NS}><style>@import url(https://evil.example/x.css); rect { fill: url(https://evil/) }</style>` +
      '<rect width="1"/></svg>',
  ],
  [
    'style attribute with an external url()',
    `<svg ${NS}><rect style="fill: url(http://evil.example/p.svg#p)" width="1"/></svg>`,
  ],
  [
    'external url() in presentation attributes',
    `<svg ${NS}><rect fill="url(https://evil)" stroke="URL( 'https://evil' )" filter="url(http://evil/f.svg#f)" ` +
      `mask="image-set('https://evil/m.png' 1x)" width="1"/></svg>`,
  ],
  [
    'url() spelled with a CSS escape',
    `<svg ${NS}><rect fill="\\75 rl(https://evil.example/)" clip-path="u\\rl(//evil/c.svg#c)" width="1"/></svg>`,
  ],
  [
    'entity declarations (billion laughs)',
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">' +
      `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><svg ${NS}><text>&lol3;</text></svg>`,
  ],
  ['an external entity', `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg ${NS}><text>&x;</text></svg>`],
  ['a declared but unused entity', `<!DOCTYPE svg [<!ENTITY x "y">]><svg ${NS}/>`],
  ['attribute defaults in the DTD', `<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg ${NS}/>`],
  [
    'a link with a javascript: xlink:href',
    `<svg ${NS} ${XLINK}><a xlink:href="javascript:alert(1)"><rect width="1"/></a></svg>`,
  ],
  [
    'the default namespace redefined to XHTML on a child',
    `<svg ${NS}><g xmlns="http://www.w3.org/1999/xhtml"><rect width="1"/><script>alert(1)</script>` +
      '<iframe src="javascript:alert(1)"/></g></svg>',
  ],
  ['feImage loading a URL', `<svg ${NS}><filter id="f"><feImage href="https://evil.example/x.png"/></filter></svg>`],
  [
    'a stylesheet processing instruction and a comment',
    `<?xml-stylesheet href="https://evil.example/x.css"?><svg ${NS}><!-- <script>alert(1)</script> --></svg>`,
  ],
  [
    'a prefixed root with a handler in the SVG namespace',
    `<s:svg xmlns:s="http://www.w3.org/2000/svg" s:onload="alert(1)"><s:rect s:onclick="x" width="1"/></s:svg>`,
  ],
  ['an HTML root', `<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`],
  ['an svg root outside any namespace', `<svg onload="alert(1)"><script>alert(1)</script></svg>`],
  ['another declared encoding', `<?xml version="1.0" encoding="UTF-7"?><svg ${NS}><text>+ADw-script+AD4-</text></svg>`],
];

const hostile = (name: string): string => HOSTILE.find(([n]) => n === name)?.[1] ?? '';

describe('checkSvg with sanitize: hostile input', () => {
  it.each(HOSTILE)('%s is hostile by the test checker', (_, text) => expect(problems(text)).not.toEqual([]));

  it.each(HOSTILE)('%s is refused or cleaned', async (_, text) => {
    const result = await sanitized(text);
    if (result instanceof SvgRefusedError) {
      expect(result.name).toBe('SvgRefusedError');
      expect(result.message).not.toMatch(/\n/);
    } else {
      expect(problems(result)).toEqual([]);
    }
  });

  it.each([
    [hostile('script through a prefix bound to the SVG namespace'), `<svg ${NS}/>\n`],
    [hostile('XHTML script through a prefix'), `<svg ${NS}/>\n`],
    [hostile('animate rewriting an href'), `<svg ${NS}/>\n`],
    [hostile('event handlers in any case'), `<svg ${NS}><rect width="1"/></svg>\n`],
    [hostile('javascript: href behind whitespace'), `<svg ${NS}><use/><use href="#a"/></svg>\n`],
    [hostile('the default namespace redefined to XHTML on a child'), `<svg ${NS}/>\n`],
    [hostile('a prefixed root with a handler in the SVG namespace'), `<svg ${NS}><rect width="1"/></svg>\n`],
  ])('writes only what is left: %s', async (text, expected) => expect(await sanitized(text)).toBe(expected));

  it.each([
    [hostile('entity declarations (billion laughs)'), /DOCTYPE has an internal subset/],
    [hostile('an external entity'), /DOCTYPE has an internal subset/],
    [hostile('an HTML root'), /root element is not <svg> in the SVG namespace/],
    [hostile('an svg root outside any namespace'), /root element is not <svg> in the SVG namespace/],
    [hostile('another declared encoding'), /encoding UTF-7/],
  ])('refuses %s', async (text, reason) => {
    const result = await sanitized(text);
    expect(result).toBeInstanceOf(SvgRefusedError);
    expect((result as SvgRefusedError).message).toMatch(reason);
  });
});

describe('checkSvg with sanitize: benign input', () => {
  const drawing = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    '<!-- drawn by hand -->',
    `<svg ${NS} ${XLINK} viewBox="0 0 10 10" width="10" height="10">`,
    '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#09f"/>' +
      '<stop offset="1" stop-color="rgb(255, 0, 0)"/></linearGradient>',
    '<path id="a" d="M0 0L5 5 z"/></defs>',
    '<use href="#a" fill="url(#g)" stroke="currentColor"/><use xlink:href="#a" x="1" transform="rotate(45 5 5)"/>',
    '<text x="1" y="9" font-family="serif"><![CDATA[A & B <C>]]> &amp; "D"</text>',
    '</svg>',
    '',
  ].join('\n');

  it('keeps its drawing, references and text, and nothing else', async () =>
    expect(await sanitized(drawing)).toBe(
      [
        `<svg ${NS} ${XLINK} viewBox="0 0 10 10" width="10" height="10">`,
        '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#09f"/>' +
          '<stop offset="1" stop-color="rgb(255, 0, 0)"/></linearGradient>',
        '<path id="a" d="M0 0L5 5 z"/></defs>',
        '<use href="#a" fill="url(#g)" stroke="currentColor"/><use xlink:href="#a" x="1" transform="rotate(45 5 5)"/>',
        '<text x="1" y="9" font-family="serif">A &amp; B &lt;C&gt; &amp; &quot;D&quot;</text>',
        '</svg>',
        '',
      ].join('\n'),
    ));

  it('needs no xlink declaration when no xlink:href is left', async () =>
    expect(await sanitized(`<svg ${NS} ${XLINK}><use xlink:href="https://evil/"/><use href="#a"/></svg>`)).toBe(
      `<svg ${NS}><use/><use href="#a"/></svg>\n`,
    ));

  it('keeps a filter and its matrix values', async () => {
    const text =
      `<svg ${NS}><filter id="f"><feGaussianBlur stdDeviation="2"/>` +
      '<feColorMatrix type="matrix" values="1 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0 0 0 1 0"/></filter>' +
      '<rect filter="url(#f)" width="1"/></svg>\n';
    expect(await sanitized(text)).toBe(text);
  });

  it('keeps the shared test image and it passes the checker', async () => {
    const result = await sanitized(SVG);
    expect(result).toBe(`<svg ${NS} width="1" height="1"><rect width="1" height="1" fill="#09f"/></svg>\n`);
    expect(problems(result as string)).toEqual([]);
  });
});

describe('checkSvg: refusals', () => {
  it('refuse mode refuses even a benign SVG', async () => {
    const refused = checkSvg(SVG, 'refuse');
    await expect(refused).rejects.toBeInstanceOf(SvgRefusedError);
    await expect(refused).rejects.toThrow(
      'SVG images are refused (images.svg is "refuse"); set images.svg: sanitize to accept them cleaned',
    );
  });

  it.each([
    `<svg ${NS}><g></svg>`,
    `<svg ${NS}><rect width="1" width="2"/></svg>`,
    `<svg ${NS}><x:rect/></svg>`,
    `<svg ${NS}>&nbsp;</svg>`,
    `<svg ${NS}/><svg ${NS}/>`,
    '',
  ])(
    'refuses XML that is not well-formed: %s',
    async (text) => await expect(checkSvg(Buffer.from(text), 'sanitize')).rejects.toThrow(/not well-formed XML/),
  );

  it('refuses bytes that are not UTF-8', async () =>
    await expect(
      checkSvg(Buffer.from([...Buffer.from(`<svg ${NS}><text>`), 0xff, ...Buffer.from('</text></svg>')]), 'sanitize'),
    ).rejects.toThrow(/not valid UTF-8/));

  it('refuses deep nesting at once instead of spending minutes on it (200,000 levels, 1.4 MB)', async () => {
    const n = 200_000;
    const deep = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(n)}${'</g>'.repeat(n)}</svg>`);
    await expect(checkSvg(deep, 'sanitize')).rejects.toThrow(/nest deeper than 100 levels/);
    const ok = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(98)}<rect width="1"/>${'</g>'.repeat(98)}</svg>`,
    );
    expect((await checkSvg(ok, 'sanitize')).toString()).toContain('<rect width="1"/>');
  });
});
