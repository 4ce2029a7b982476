// A thin layer over pdfkit for a dense form-like document: bordered rows of label and value cells that are
// measured before they are drawn, so a row, a record's block or a table header never splits badly across pages.
import type PDFDocument from 'pdfkit';

export type Doc = InstanceType<typeof PDFDocument>;

export const PAGE = { width: 595.28, height: 841.89 } as const; // A4 in points
export const MARGIN = { top: 46, left: 46, right: 46, bottom: 52 } as const;
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

export const FONT = { regular: 'report-regular', bold: 'report-bold' } as const;
export const COLOUR = {
  text: '#1a1a1a',
  muted: '#5a5a5a',
  rule: '#8c8c8c',
  label: '#eef1f5',
  head: '#dde3ec',
  accent: '#b0161d', // the red of an official header (红头)
} as const;

export interface Cell {
  readonly text: string;
  readonly width: number;
  /** label: shaded, regular; head: shaded darker, bold; value (default): plain. */
  readonly kind?: 'label' | 'value' | 'head';
  readonly align?: 'left' | 'center' | 'right';
  /** Red text, for what a reader must not miss (a dispute, a missing confirmation). */
  readonly alert?: boolean;
}

const BODY_SIZE = 8;
const PAD_X = 3.5;
const PAD_Y = 2.6;
const LINE_GAP = 0.8;

export class Sheet {
  y: number = MARGIN.top;

  constructor(
    readonly doc: Doc,
    /** Draws the running header of a page after the first; returns the y its content starts at. */
    private readonly pageHeader: (doc: Doc) => number,
  ) {}

  get bottom(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /** Height a page offers below its running header. */
  get pageRoom(): number {
    return this.bottom - MARGIN.top - 24;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.pageHeader(this.doc);
  }

  /** A new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  gap(points: number): void {
    this.y += points;
  }

  private fontFor(cell: Cell): void {
    this.doc.font(cell.kind === 'head' ? FONT.bold : FONT.regular).fontSize(BODY_SIZE);
  }

  /** Measured heights by kind, width and text: a row is measured to place it and again to draw it. */
  private readonly heights = new Map<string, number>();

  private textHeight(cell: Cell): number {
    const key = `${cell.kind === 'head' ? 'b' : 'r'}|${cell.width}|${cell.text}`;
    let height = this.heights.get(key);
    if (height === undefined) {
      this.fontFor(cell);
      // Most cells hold one line: a width (cheap, cached by glyph) says so without pdfkit's line wrapper.
      height = this.fitsOneLine(cell)
        ? this.doc.currentLineHeight(true) + LINE_GAP
        : this.doc.heightOfString(cell.text || ' ', { width: cell.width - 2 * PAD_X, lineGap: LINE_GAP });
      this.heights.set(key, height);
    }
    return height;
  }

  private fitsOneLine(cell: Cell): boolean {
    return !cell.text.includes('\n') && this.doc.widthOfString(cell.text) <= cell.width - 2 * PAD_X;
  }

  measureRow(cells: readonly Cell[]): number {
    return Math.max(...cells.map((cell) => this.textHeight(cell))) + 2 * PAD_Y;
  }

  /** A row taller than a page has its longest text shortened; the JSON report keeps the whole text. */
  private fitted(cells: readonly Cell[]): readonly Cell[] {
    if (this.measureRow(cells) <= this.pageRoom) return cells;
    const longest = cells.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    let low = 0;
    let high = longest.text.length;
    const shortened = (n: number): Cell => ({
      ...longest,
      text: `${longest.text.slice(0, n)}……（全文见 JSON 报告）`,
    });
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (this.textHeight(shortened(mid)) + 2 * PAD_Y <= this.pageRoom) low = mid;
      else high = mid - 1;
    }
    return cells.map((cell) => (cell === longest ? shortened(low) : cell));
  }

  /** Draws one bordered row at the current y (on a new page first when it does not fit). */
  row(cells: readonly Cell[]): void {
    const fitted = this.fitted(cells);
    const height = this.measureRow(fitted);
    this.ensure(height);
    const { doc } = this;
    let x = MARGIN.left;
    for (const cell of fitted) {
      if (cell.kind === 'label' || cell.kind === 'head') {
        doc.rect(x, this.y, cell.width, height).fill(cell.kind === 'head' ? COLOUR.head : COLOUR.label);
      }
      doc.rect(x, this.y, cell.width, height).lineWidth(0.5).strokeColor(COLOUR.rule).stroke();
      this.fontFor(cell);
      doc.fillColor(cell.alert ? COLOUR.accent : COLOUR.text).text(cell.text, x + PAD_X, this.y + PAD_Y, {
        width: cell.width - 2 * PAD_X,
        lineGap: LINE_GAP,
        align: cell.align ?? 'left',
        lineBreak: !this.fitsOneLine(cell),
      });
      x += cell.width;
    }
    this.y += height;
  }

  /** Rows that belong together (one record): moved to a new page whole when they fit on one. */
  block(rows: readonly (readonly Cell[])[]): void {
    const height = rows.reduce((sum, cells) => sum + this.measureRow(this.fitted(cells)), 0);
    if (height <= this.pageRoom) this.ensure(height);
    for (const cells of rows) this.row(cells);
  }

  /** A table whose header row is repeated at the top of every page it runs onto. */
  table(header: readonly Cell[], rows: readonly (readonly Cell[])[]): void {
    const headerHeight = this.measureRow(header);
    this.ensure(headerHeight + (rows[0] ? this.measureRow(rows[0]) : 0));
    this.row(header);
    for (const cells of rows) {
      if (this.y + this.measureRow(this.fitted(cells)) > this.bottom) {
        this.newPage();
        this.row(header);
      }
      this.row(cells);
    }
  }

  /** A section heading, kept on the page of what follows it (`next` points of it). */
  heading(text: string, next = 30): void {
    this.ensure(22 + next);
    this.gap(8);
    const { doc } = this;
    doc.rect(MARGIN.left, this.y + 1.5, 3, 11).fill(COLOUR.accent);
    doc
      .font(FONT.bold)
      .fontSize(10.5)
      .fillColor(COLOUR.text)
      .text(text, MARGIN.left + 7, this.y, {
        width: CONTENT_WIDTH - 7,
        lineBreak: false,
      });
    this.y += 17;
  }

  /** Running text across the content width. */
  paragraph(text: string, options: { size?: number; colour?: string; bold?: boolean } = {}): void {
    const { doc } = this;
    doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(options.size ?? BODY_SIZE);
    const height = doc.heightOfString(text, { width: CONTENT_WIDTH, lineGap: LINE_GAP });
    this.ensure(height);
    doc.fillColor(options.colour ?? COLOUR.text).text(text, MARGIN.left, this.y, {
      width: CONTENT_WIDTH,
      lineGap: LINE_GAP,
    });
    this.y += height + 2;
  }
}
