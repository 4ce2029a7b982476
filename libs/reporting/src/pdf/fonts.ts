// The report's typeface: Noto Sans SC (SIL Open Font License 1.1) as the npm package
// @expo-google-fonts/noto-sans-sc ships it, TrueType files pdfkit reads and subsets through fontkit.
// Nothing on the machine is assumed: no system font, no font directory.
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/**
 * A parsed font, given to pdfkit as it is (pdfkit takes any fontkit font). Parsed once per process and shared
 * by every document: fontkit keeps its glyph and layout caches on the font, so a document after the first
 * lays out its text several times faster than one that parses the 10 MB file again. pdfkit makes a fresh
 * subset per document, so sharing the font shares nothing between documents' output.
 */
export type ParsedFont = fontkit.Font;

export interface ReportFonts {
  readonly regular: ParsedFont;
  readonly bold: ParsedFont;
}

const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

let loaded: ReportFonts | undefined;

const parse = (file: string): ParsedFont => fontkit.create(readFileSync(require.resolve(file))) as ParsedFont;

/** The two weights, read from the package once per process (about 10 MB each) and kept. */
export function reportFonts(): ReportFonts {
  loaded ??= { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
  return loaded;
}
