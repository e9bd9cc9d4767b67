import { describe, expect, it } from 'vitest';
import { diagramCharset } from './charset.js';

describe('diagramCharset', () => {
  it('draws with lines and symbols on a UTF-8 locale, LC_ALL over LC_CTYPE over LANG', () => {
    expect(diagramCharset({ LANG: 'pt_BR.UTF-8' })).toEqual({ ascii: false, transliterate: false });
    expect(diagramCharset({ LANG: 'C', LC_ALL: 'en_US.utf8' })).toEqual({
      ascii: false,
      transliterate: false,
    });
    expect(diagramCharset({ LANG: 'C.UTF-8', LC_CTYPE: 'POSIX' })).toEqual({
      ascii: true,
      transliterate: true,
    });
  });

  it('is all ASCII without a locale or with a locale that is not UTF-8', () => {
    expect(diagramCharset({})).toEqual({ ascii: true, transliterate: true });
    expect(diagramCharset({ LANG: 'pt_BR.ISO-8859-1' })).toEqual({
      ascii: true,
      transliterate: true,
    });
  });

  it('with NO_COLOR draws in ASCII, but a UTF-8 terminal keeps its accents', () => {
    expect(diagramCharset({ LANG: 'C.UTF-8', NO_COLOR: '1' })).toEqual({
      ascii: true,
      transliterate: false,
    });
  });
});
