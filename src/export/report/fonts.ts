// Embedded fonts for the report: DejaVu for Latin, Greek, Cyrillic and Vietnamese, Noto Sans SC
// for Chinese. A character neither covers fails the export rather than printing a blank.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

export type FontRole = 'regular' | 'bold' | 'cjk' | 'mono';

/** Paths of the font files shipped by npm packages (no download at run time). */
export function fontPaths(): Record<FontRole, string> {
  const dejavu = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
  return {
    regular: dejavu('DejaVuSans.ttf'),
    bold: dejavu('DejaVuSans-Bold.ttf'),
    mono: dejavu('DejaVuSansMono.ttf'),
    cjk: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  };
}

export class MissingGlyphError extends Error {}

interface CoverageFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

let loaded: Record<FontRole, CoverageFont> | null = null;

function fonts(): Record<FontRole, CoverageFont> {
  if (!loaded) {
    const paths = fontPaths();
    const open = (file: string) => fontkit.create(readFileSync(file)) as unknown as CoverageFont;
    loaded = {
      regular: open(paths.regular),
      bold: open(paths.bold),
      mono: open(paths.mono),
      cjk: open(paths.cjk),
    };
  }
  return loaded;
}

export interface TextRun {
  font: FontRole;
  text: string;
}

/** Characters that never need a glyph (line breaks, tabs become spaces before drawing). */
function isLayoutOnly(codePoint: number): boolean {
  return codePoint === 0x0a || codePoint === 0x0d;
}

/**
 * Splits text into runs of one font each: the requested Latin font where it has the glyph, then
 * DejaVu Sans (the mono and bold cuts cover fewer characters: DejaVu Sans Mono has no
 * Vietnamese "ễ"), then the CJK font. Throws MissingGlyphError naming the character when no
 * embedded font can draw it.
 */
export function splitRuns(
  text: string,
  latinRole: 'regular' | 'bold' | 'mono' = 'regular',
): TextRun[] {
  const loadedFonts = fonts();
  const chain: FontRole[] =
    latinRole === 'regular' ? ['regular', 'cjk'] : [latinRole, 'regular', 'cjk'];
  const runs: TextRun[] = [];
  for (const char of text.replace(/\t/g, ' ')) {
    const codePoint = char.codePointAt(0) ?? 0;
    const role =
      isLayoutOnly(codePoint) || char === ' '
        ? latinRole
        : chain.find((candidate) => loadedFonts[candidate].hasGlyphForCodePoint(codePoint));
    if (!role) {
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      throw new MissingGlyphError(
        `no embedded font can draw U+${hex} (${JSON.stringify(char)}) in ${JSON.stringify(text.slice(0, 80))}`,
      );
    }
    const last = runs[runs.length - 1];
    if (last && last.font === role) last.text += char;
    else runs.push({ font: role, text: char });
  }
  return runs;
}

/** Replaces control characters that are not layout (input may carry them) with U+FFFD-free text. */
export function printable(text: string): string {
  // Control characters from inputs are shown as visible escapes, never interpreted.
  // A CR (alone or before LF) has no glyph; only LF breaks a line in the report.
  return text
    .replace(/\r\n?/g, '\n')
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
}
