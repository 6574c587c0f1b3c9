import { describe, expect, it } from 'vitest';
import { linkBrand } from '../../../src/map/slugify.js';

describe('linkBrand: only http(s) links have a brand, and only a leading www. goes', () => {
  it.each([
    ['ftp://example.org/x', ''],
    ['file://server.example.org/x', ''],
    ['https://news.www.example.com/x', 'news.www.example.com'],
    ['https://wwwx.example.com/x', 'wwwx.example.com'],
    ['  https://www.himss.org/x  ', 'himss.org'],
    ['', ''],
    [null, ''],
  ])('%j: %j', (link, brand) => expect(linkBrand(link)).toBe(brand));
});
