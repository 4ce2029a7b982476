// A QR code drawn as vector squares (no raster image): sharp at any zoom and in print, and cheap to make.
import QRCode from 'qrcode';

/** The painter's part of a PDF document this needs. */
export interface RectanglePainter {
  rect(x: number, y: number, w: number, h: number): this;
  fill(color?: string): this;
}

/**
 * Draws `payload` as a QR code (error correction M) in a `size`-point square at (x, y), with the quiet zone
 * of four modules the standard asks for inside that square.
 */
export function drawQrCode(doc: RectanglePainter, payload: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const module = size / (modules.size + 2 * quiet);
  for (let row = 0; row < modules.size; row++) {
    // One rectangle per run of dark modules in a row keeps the page content small.
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + (quiet + start) * module, y + (quiet + row) * module, (col - start) * module, module);
    }
  }
  doc.fill('#000000');
}
