/**
 * The report's words, drawn with pdfkit's standard Helvetica: the header of every page (title,
 * patient, recording, devices, operator, the SIMULATED mark), the footer (paper speed, gain,
 * filters, sample rate, the statement that measurements are computed and not a diagnosis, page
 * numbers) and the details page (the measurement table with reference ranges and flags, how the
 * strip was chosen, facts of the whole recording).
 */
import { utcClock } from './ecg-strip.js';
import { spanText } from './measurement-rows.js';
import type { ReportModel } from './report-model.js';
import { PT_PER_MM } from './report-layout.js';

const pt = (mm: number) => mm * PT_PER_MM;
const FLAG_COLOUR = '#b00020';

/** The statement printed on every page. */
export const DISCLAIMER =
  'Measurements are computed by the PulseWatch software, not a diagnosis: the tracing must be reviewed by a qualified clinician.';

/** "2026-12-04 17:39:10 UTC". */
export function utcDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "25 mm/s · 10 mm/mV · Filter 0.5–40 Hz … · Sample rate 500 Hz". */
export function settingsLine(m: ReportModel): string {
  const s = m.settings;
  if (s.sampleRateHz === null)
    return 'No 12-lead ECG in this recording: no paper speed, gain, filter or sample rate applies.';
  const parts = [
    `${s.speedMmPerS} mm/s`,
    `${s.gainMmPerMv} mm/mV`,
    `Filter ${s.highpassHz}–${s.lowpassHz} Hz (zero-phase)`,
    s.notchHz === null ? 'No notch' : `Notch ${s.notchHz} Hz`,
    `Sample rate ${formatRate(s.sampleRateHz)} Hz`,
    'Grid 1 mm / 5 mm',
  ];
  return parts.join('  ·  ');
}

function formatRate(hz: number): string {
  return Number.isInteger(hz) ? String(hz) : hz.toFixed(1);
}

/** Patient line: study code and the details recorded (no identifying details). */
export function patientLine(m: ReportModel): string {
  const p = m.subject;
  const parts = [`Patient ${p.studyCode}`];
  if (p.ageYears !== undefined) parts.push(`${p.ageYears} y`);
  if (p.sex !== undefined) parts.push(p.sex);
  if (p.studyGroup !== undefined && p.studyGroup !== '') parts.push(`group ${p.studyGroup}`);
  return parts.join(' · ');
}

/** Device lines: kind, serial, firmware, simulated. */
export function deviceLines(m: ReportModel): string[] {
  return m.subject.devices.map((d) => {
    const kind = d.kind === 'ecg12' ? 'ECG-12 unit' : d.kind === 'bangle' ? 'Bangle.js watch' : 'HR sensor';
    const name = d.name === undefined ? '' : ` "${d.name}"`;
    const firmware = d.firmware === undefined ? 'firmware not reported' : `firmware ${d.firmware}`;
    return `${kind}${name} ${d.serial}, ${firmware}${d.simulated ? ' (simulated)' : ''}`;
  });
}

/** The header of every page; returns the y (mm) below it. */
export function drawHeader(
  doc: PDFKit.PDFDocument,
  m: ReportModel,
  marginMm: number,
  widthMm: number,
): number {
  doc.font('Helvetica-Bold').fontSize(13).fillColor('#000000');
  doc.text(m.title, pt(marginMm), pt(7), { lineBreak: false });
  if (m.simulated) {
    const w = 62;
    doc.rect(pt(widthMm - marginMm - w), pt(5.5), pt(w), pt(8)).fill(FLAG_COLOUR);
    doc.font('Helvetica-Bold').fontSize(12).fillColor('#ffffff');
    doc.text('SIMULATED', pt(widthMm - marginMm - w), pt(7.3), {
      width: pt(w),
      align: 'center',
      lineBreak: false,
    });
  }
  const s = m.subject;
  const left = [
    patientLine(m),
    `Recorded ${utcDateTime(s.startedAtMs)} – ${utcClock(s.endedAtMs)} UTC (${spanText(s.endedAtMs - s.startedAtMs)})`,
    `Operator ${s.operatorName}`,
  ];
  const right = deviceLines(m).slice(0, 3);
  doc.font('Helvetica').fontSize(8.5).fillColor('#000000');
  left.forEach((line, i) => doc.text(line, pt(marginMm), pt(15 + i * 4), { lineBreak: false }));
  right.forEach((line, i) =>
    doc.text(line, pt(widthMm / 2), pt(15 + i * 4), { width: pt(widthMm / 2 - marginMm), lineBreak: false }),
  );
  return 15 + Math.max(left.length, right.length) * 4 + 1;
}

/** The footer of every page: settings, disclaimer, simulated note, ids and the page number. */
export function drawFooter(
  doc: PDFKit.PDFDocument,
  m: ReportModel,
  layout: { marginMm: number; widthMm: number; heightMm: number },
  page: { number: number; count: number; ecg: boolean },
): void {
  const { marginMm, widthMm, heightMm } = layout;
  const width = pt(widthMm - 2 * marginMm);
  let y = heightMm - 25;
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000000');
  doc.text(settingsLine(m), pt(marginMm), pt(y), { width, lineBreak: false });
  y += 4.5;
  doc.font('Helvetica').fontSize(8.5).text(DISCLAIMER, pt(marginMm), pt(y), { width, lineBreak: false });
  y += 4.5;
  if (m.simulated) {
    doc.font('Helvetica-Bold').fillColor(FLAG_COLOUR);
    doc.text('SIMULATED: made from simulated devices, not from a patient.', pt(marginMm), pt(y), {
      lineBreak: false,
    });
  }
  y += 4.5;
  doc.font('Helvetica').fontSize(7.5).fillColor('#444444');
  doc.text(
    `Report ${m.reportId} · recording ${m.subject.recordingId} · made ${utcDateTime(m.createdAtMs)} by PulseWatch ${m.softwareVersion}`,
    pt(marginMm),
    pt(y),
    { width: width - pt(30), lineBreak: false },
  );
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000');
  doc.text(`Page ${page.number} of ${page.count}`, pt(widthMm - marginMm - 30), pt(y - 0.5), {
    width: pt(30),
    align: 'right',
    lineBreak: false,
  });
}

/**
 * The measurement line over the grid of the ECG page, and above it, in red, the arrest-rhythm
 * alert when the recording holds one: the strip may not show it, and staff must not miss it.
 */
export function drawHeadline(doc: PDFKit.PDFDocument, m: ReportModel, marginMm: number, yMm: number): void {
  doc.font('Helvetica-Bold').fontSize(9);
  if (m.alert !== null) {
    doc.fillColor('#b00020').text(m.alert, pt(marginMm), pt(yMm - 4.6), { lineBreak: false });
  }
  doc.fillColor('#000000');
  doc.text(m.headline, pt(marginMm), pt(yMm), { lineBreak: false });
  doc.font('Helvetica').fontSize(8);
  doc.text(m.stripNotes[0] ?? '', pt(marginMm), pt(yMm + 4.2), { lineBreak: false });
}

/** The details page: measurement table, strip notes, recording facts. */
export function drawDetails(
  doc: PDFKit.PDFDocument,
  m: ReportModel,
  marginMm: number,
  topMm: number,
  widthMm: number,
): void {
  let y = topMm + 2;
  const x = pt(marginMm);
  const col = [0, 64, 156, 228].map((c) => x + pt(c));
  if (m.noEcgReason !== null) {
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(FLAG_COLOUR)
      .text(m.noEcgReason, x, pt(y), { width: pt(widthMm - 2 * marginMm) });
    y += 10;
  }
  if (m.rows.length > 0) {
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor('#000000')
      .text('Measurements', x, pt(y), { lineBreak: false });
    y += 5.5;
    doc.fontSize(8.5);
    ['Measurement', 'Value', 'Reference (adult)', 'Flag'].forEach((h, i) =>
      doc.text(h, col[i], pt(y), { lineBreak: false }),
    );
    y += 4.5;
    for (const row of m.rows) {
      doc
        .font('Helvetica')
        .fillColor('#000000')
        .text(row.name, col[0], pt(y), { width: pt(62), lineBreak: false });
      doc.font(row.flag === null ? 'Helvetica' : 'Helvetica-Bold');
      const valueHeight = doc.heightOfString(row.value, { width: pt(90) });
      doc.text(row.value, col[1], pt(y), { width: pt(90) });
      doc.font('Helvetica');
      const referenceHeight = doc.heightOfString(row.reference, { width: pt(70) });
      doc.text(row.reference, col[2], pt(y), { width: pt(70) });
      if (row.flag !== null)
        doc
          .font('Helvetica-Bold')
          .fillColor(FLAG_COLOUR)
          .text(`* ${row.flag}`, col[3], pt(y), { width: pt(widthMm - 2 * marginMm - 228) });
      const lines = Math.max(1, Math.round(Math.max(valueHeight, referenceHeight) / (8.5 * 1.15)));
      y += 4.3 * lines;
    }
    y += 2;
  }
  doc.font('Helvetica').fontSize(8.5).fillColor('#000000');
  for (const note of m.stripNotes) {
    doc.text(note, x, pt(y), { width: pt(widthMm - 2 * marginMm) });
    y += 4.3;
  }
  y += 2;
  doc.font('Helvetica-Bold').fontSize(10).text('Recording', x, pt(y), { lineBreak: false });
  y += 5.5;
  doc.fontSize(8.5);
  for (const fact of m.facts) {
    doc.font('Helvetica-Bold').text(fact.term, col[0], pt(y), { lineBreak: false });
    doc
      .font('Helvetica')
      .text(fact.value, col[1], pt(y), { width: pt(widthMm - 2 * marginMm - 64), lineBreak: false });
    y += 4.3;
  }
}
