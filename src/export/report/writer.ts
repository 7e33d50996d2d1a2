// A thin layer over pdfkit: page flow, text in the right embedded font, wrapped table rows.
import PDFDocument from 'pdfkit';
import { fontPaths, printable, splitRuns, type FontRole, type TextRun } from './fonts.js';

export const PAGE = { width: 595.28, height: 841.89, margin: 48 };
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - 18;

export const COLORS = {
  text: '#1a1a1a',
  muted: '#5f6368',
  rule: '#c7cbd1',
  header: '#eef1f5',
  critical: '#8b0000',
  high: '#d93025',
  medium: '#f29900',
  low: '#4a7fcb',
  ok: '#188038',
  open: '#9aa0a6',
  bar: '#7baaf7',
};

export interface TextOptions {
  size?: number;
  bold?: boolean;
  mono?: boolean;
  color?: string;
  width?: number;
  x?: number;
  y?: number;
  align?: 'left' | 'right' | 'center';
  /** Extra space after the text, in points. */
  gap?: number;
}

export interface Column {
  header: string;
  width: number;
  mono?: boolean;
}

export interface TableOptions {
  /** Per row: a line of smaller text under the row's cells, from column `detailFrom` to the edge. */
  details?: ReadonlyArray<string | undefined>;
  detailFrom?: number;
  /** Per row: a colour for a bar along the row's left edge (severity at a glance). */
  marks?: ReadonlyArray<string | undefined>;
  /** Printed above the repeated header when the table continues on a new page. */
  caption?: string;
}

export class ReportWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(title: string, createdAt: Date) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: PAGE.margin,
      bufferPages: true,
      autoFirstPage: true,
      compress: true,
      // Fixed metadata: the same bundle gives the same PDF bytes (dates come from --as-of).
      info: {
        Title: title,
        Author: 'dora-evidence',
        Creator: 'dora-evidence',
        Producer: 'dora-evidence',
        CreationDate: createdAt,
        ModDate: createdAt,
      },
      lang: 'en',
    });
    const paths = fontPaths();
    for (const role of Object.keys(paths) as FontRole[]) this.doc.registerFont(role, paths[role]);
    this.doc.font('regular');
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = PAGE.margin;
    this.doc.y = PAGE.margin;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > BOTTOM) this.newPage();
  }

  /** Writes text in the fonts its characters need; input is never interpreted as markup. */
  text(value: string, options: TextOptions = {}): void {
    const doc = this.doc;
    const size = options.size ?? 9.5;
    const runs = splitRuns(
      printable(value),
      options.mono ? 'mono' : options.bold ? 'bold' : 'regular',
    );
    const x = options.x ?? PAGE.margin;
    const width = options.width ?? CONTENT_WIDTH - (x - PAGE.margin);
    if (options.y !== undefined) doc.y = options.y;
    doc.fillColor(options.color ?? COLORS.text).fontSize(size);
    if (runs.length === 0) runs.push({ font: 'regular', text: ' ' });
    if (runs.length === 1) {
      doc
        .font(runs[0].font)
        .text(runs[0].text, x, doc.y, { width, align: options.align ?? 'left', lineGap: 1 });
    } else {
      // pdfkit's `continued` text misplaces runs when the font changes inside a wrapped line,
      // so text mixing scripts is laid out here, piece by piece, each measured in its own font.
      const top = doc.y;
      const layout = this.layoutMixed(runs, width, size);
      for (const piece of layout.pieces) {
        doc.font(piece.font).text(piece.text, x + piece.x, top + piece.y, { lineBreak: false });
      }
      doc.y = top + layout.height;
    }
    doc.x = PAGE.margin;
    if (options.gap) doc.y += options.gap;
  }

  heading(value: string, level: 1 | 2 = 1): void {
    this.ensureSpace(level === 1 ? 60 : 40);
    this.text(value, { size: level === 1 ? 16 : 12, bold: true, gap: level === 1 ? 8 : 4 });
  }

  /** Height a text takes at a width (CJK runs measured in the CJK font, which is wider). */
  measure(value: string, width: number, size: number, mono = false, bold = false): number {
    const role = mono ? 'mono' : bold ? 'bold' : 'regular';
    const runs = splitRuns(printable(value), role);
    if (runs.length > 1) return this.layoutMixed(runs, width, size).height;
    this.doc.font(runs[0]?.font ?? role).fontSize(size);
    return this.doc.heightOfString(runs[0]?.text || ' ', { width, lineGap: 1 });
  }

  /**
   * Places mixed-font text: Latin runs break at spaces, CJK runs between any two characters,
   * `\n` always. Returns each piece's offset from the box's top left, and the box height.
   */
  private layoutMixed(runs: TextRun[], width: number, size: number) {
    const doc = this.doc;
    const pieces: { font: FontRole; text: string; x: number; y: number }[] = [];
    let lineHeight = 0;
    for (const run of runs)
      lineHeight = Math.max(lineHeight, doc.font(run.font).fontSize(size).currentLineHeight(true));
    lineHeight += 1;
    let x = 0;
    let y = 0;
    for (const run of runs) {
      doc.font(run.font).fontSize(size);
      const tokens =
        run.font === 'cjk' ? run.text.match(/\n|\s+|[^\s]/gu) : run.text.match(/\n|\s+|[^\s]+/gu);
      for (const token of tokens ?? []) {
        if (token === '\n') {
          x = 0;
          y += lineHeight;
          continue;
        }
        const tokenWidth = doc.widthOfString(token);
        if (/^\s+$/.test(token)) {
          if (x > 0) x += tokenWidth;
          continue;
        }
        if (x > 0 && x + tokenWidth > width) {
          x = 0;
          y += lineHeight;
        }
        pieces.push({ font: run.font, text: token, x, y });
        x += tokenWidth;
      }
    }
    return { pieces, height: y + lineHeight };
  }

  /** The longest prefix of `value` (with an ellipsis) that fits on one line of `width`. */
  fit(value: string, width: number, size: number, bold = false): string {
    const runs = splitRuns(printable(value), bold ? 'bold' : 'regular');
    const font = runs.some((run) => run.font === 'cjk') ? 'cjk' : bold ? 'bold' : 'regular';
    this.doc.font(font).fontSize(size);
    const text = printable(value).replace(/\s+/g, ' ');
    if (this.doc.widthOfString(text) <= width) return text;
    const chars = [...text];
    let low = 0;
    let high = chars.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (this.doc.widthOfString(`${chars.slice(0, mid).join('')}…`) <= width) low = mid;
      else high = mid - 1;
    }
    return `${chars.slice(0, low).join('').trimEnd()}…`;
  }

  /** A table whose rows wrap; the header repeats on each new page. */
  table(columns: Column[], rows: string[][], size = 7.5, options: TableOptions = {}): void {
    const padding = 3;
    const detailFrom = options.detailFrom ?? 1;
    const detailX = PAGE.margin + columns.slice(0, detailFrom).reduce((sum, c) => sum + c.width, 0);
    const detailWidth = PAGE.margin + CONTENT_WIDTH - detailX - 2 * padding;
    const detailSize = Math.max(5.5, size - 0.5);
    const drawHeader = (continued: boolean) => {
      // Headers are drawn bold, which is wider: measured in the regular cut they overflowed.
      const height =
        Math.max(
          ...columns.map((c) => this.measure(c.header, c.width - 2 * padding, size, false, true)),
        ) +
        2 * padding;
      this.ensureSpace(height + 14);
      if (continued && options.caption) {
        this.text(`${options.caption} (continued)`, { size: 7, color: COLORS.muted, gap: 2 });
      }
      const top = this.doc.y;
      this.doc.rect(PAGE.margin, top, CONTENT_WIDTH, height).fill(COLORS.header);
      let x = PAGE.margin;
      for (const column of columns) {
        this.text(column.header, {
          x: x + padding,
          y: top + padding,
          width: column.width - 2 * padding,
          size,
          bold: true,
        });
        x += column.width;
      }
      this.doc.y = top + height;
    };

    drawHeader(false);
    rows.forEach((row, index) => {
      const detail = options.details?.[index];
      const cellHeight = Math.max(
        ...columns.map((c, i) => this.measure(row[i] ?? '', c.width - 2 * padding, size, c.mono)),
      );
      const detailHeight = detail ? this.measure(detail, detailWidth, detailSize) + 2 : 0;
      const height = cellHeight + detailHeight + 2 * padding;
      if (this.doc.y + height > BOTTOM) {
        this.newPage();
        drawHeader(true);
      }
      const top = this.doc.y;
      let x = PAGE.margin;
      columns.forEach((column, i) => {
        this.text(row[i] ?? '', {
          x: x + padding,
          y: top + padding,
          width: column.width - 2 * padding,
          size,
          mono: column.mono,
        });
        x += column.width;
      });
      if (detail) {
        this.text(detail, {
          x: detailX + padding,
          y: top + padding + cellHeight + 2,
          width: detailWidth,
          size: detailSize,
          color: '#3c4043',
        });
      }
      const mark = options.marks?.[index];
      if (mark) this.doc.rect(PAGE.margin, top + 1, 2.5, height - 2).fill(mark);
      this.doc
        .moveTo(PAGE.margin, top + height)
        .lineTo(PAGE.margin + CONTENT_WIDTH, top + height)
        .lineWidth(0.3)
        .strokeColor(COLORS.rule)
        .stroke();
      this.doc.y = top + height;
    });
    this.doc.y += 6;
  }

  /** Writes the footer on every page, then finishes the document. */
  async finish(footer: (page: number, pages: number) => string): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i += 1) {
      this.doc.switchToPage(i);
      const text = footer(i + 1, range.count);
      this.doc.font('regular').fontSize(7).fillColor(COLORS.muted);
      // Writing below the bottom margin would make pdfkit add a page; lift the margin first.
      const bottomMargin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.doc.text(text, PAGE.margin, PAGE.height - PAGE.margin + 10, {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      this.doc.page.margins.bottom = bottomMargin;
    }
    this.doc.end();
    return this.done;
  }
}
