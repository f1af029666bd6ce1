/**
 * Renders a {@link ReportModel} to PDF bytes with pdfkit: the ECG page (when the recording has
 * ECG) and the details page, landscape A4 or Letter, every page with header, footer and
 * "Page n of N". All drawing is vector; the document's dates are the report's own creation time
 * so the same model gives the same content.
 */
import PDFDocument from 'pdfkit';
import { drawEcgPage } from './pdf-ecg-page.js';
import { drawDetails, drawFooter, drawHeader, drawHeadline } from './pdf-text.js';
import { ecgPageLayout, PAPER_MM, PT_PER_MM } from './report-layout.js';
import type { ReportModel } from './report-model.js';

/** A rendered report. */
export interface RenderedReport {
  bytes: Uint8Array;
  pageCount: number;
}

/** See the file comment. */
export function renderReport(m: ReportModel): Promise<RenderedReport> {
  const { widthMm, heightMm } = PAPER_MM[m.paper];
  const created = new Date(m.createdAtMs);
  const doc = new PDFDocument({
    size: [widthMm * PT_PER_MM, heightMm * PT_PER_MM],
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    info: {
      Title: m.title,
      Author: 'PulseWatch gateway',
      Subject: `Recording ${m.subject.recordingId}`,
      Creator: `PulseWatch ${m.softwareVersion}`,
      Producer: 'PulseWatch report (pdfkit)',
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const layout = ecgPageLayout(m.paper);
  const pages: { ecg: boolean }[] = [];
  if (m.strip !== null) {
    doc.addPage();
    const below = drawHeader(doc, m, layout.marginMm, widthMm);
    drawHeadline(doc, m, layout.marginMm, Math.max(below + 4.6, layout.grid.yMm - 9.5));
    drawEcgPage(doc, layout, m.strip);
    pages.push({ ecg: true });
  }
  doc.addPage();
  const top = drawHeader(doc, m, layout.marginMm, widthMm);
  drawDetails(doc, m, layout.marginMm, top, widthMm);
  pages.push({ ecg: false });
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    drawFooter(
      doc,
      m,
      { marginMm: layout.marginMm, widthMm, heightMm },
      {
        number: i + 1,
        count: range.count,
        ecg: pages[i]?.ecg ?? false,
      },
    );
  }
  doc.end();
  return done.then((bytes) => ({ bytes, pageCount: range.count }));
}
