/**
 * Reports over a real recording: the recorder harness (real gateway database and queue, ECG from
 * the simulator's synthetic source) with the reports table added, the report service and the
 * gateway API's report handlers over them, and the poppler tools (`pdfinfo`, `pdftotext`,
 * `pdftoppm`) run as child processes to read a PDF back.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { reportHandlers } from '../../../main/api/report-handlers.js';
import { GATEWAY_DB_FILE } from '../../../main/queue/database.js';
import { applyMigrations } from '../../../main/queue/migrate.js';
import { REPORT_MIGRATIONS } from '../../../main/report/report-migrations.js';
import { ReportService } from '../../../main/report/report-service.js';
import { EcgRun, feed, RecorderRig, T0 } from '../recorder/recorder-harness.js';

const run = promisify(execFile);

export class ReportRig extends RecorderRig {
  readonly reports: ReportService;
  readonly handlers;

  constructor() {
    super();
    applyMigrations(this.db, join(this.dataDir, GATEWAY_DB_FILE), [REPORT_MIGRATIONS]);
    this.reports = new ReportService({
      db: this.db,
      queue: this.queue,
      softwareVersion: '0.1.0-test',
      now: () => this.clock.nowMs,
    });
    this.handlers = reportHandlers({
      recorder: this.recorder,
      patients: this.patients,
      reports: this.reports,
    });
  }

  /** Records `seconds` of simulated ECG for a new patient and stops; returns the recording id. */
  recordEcg(seconds: number, studyCode = 'P001'): string {
    const patient = this.recorder.patientSync.create({
      studyCode,
      ageYears: 61,
      sex: 'female',
      studyGroup: 'A',
    });
    const started = this.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    feed(this, new EcgRun(this.clock.nowMs), seconds);
    this.recorder.stop();
    return started.id;
  }
}

/** What poppler reads back from a PDF. */
export interface PdfReadback {
  pages: number;
  /** Page size in points, e.g. [841.89, 595.28]. */
  pageSizePt: [number, number];
  text: string;
}

export async function readPdf(pdf: Uint8Array): Promise<PdfReadback> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    return { pages, pageSizePt: [Number(size?.[1]), Number(size?.[2])], text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A rendered page as RGB pixels (from pdftoppm's PPM output). */
export interface Raster {
  width: number;
  height: number;
  pxPerMm: number;
  rgb: Uint8Array;
}

/** Renders page `page` at `dpi` with pdftoppm; `savePngAs` also keeps a PNG (an artifact). */
export async function rasterize(
  pdf: Uint8Array,
  page: number,
  dpi: number,
  savePngAs?: string,
): Promise<Raster> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-ppm-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const args = ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile'];
    await run('pdftoppm', [...args, file, join(dir, 'page')]);
    if (savePngAs !== undefined) {
      mkdirSync(join(savePngAs, '..'), { recursive: true });
      await run('pdftoppm', [...args, '-png', file, savePngAs.replace(/\.png$/, '')]);
    }
    return parsePpm(readFileSync(join(dir, 'page.ppm')), dpi / 25.4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePpm(bytes: Buffer, pxPerMm: number): Raster {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('pdftoppm did not write a binary PPM');
  const offset = header[0].length;
  return { width: Number(header[1]), height: Number(header[2]), pxPerMm, rgb: bytes.subarray(offset) };
}

/** Counts the pixels of a rectangle (mm) that `test` accepts. */
export function countPixels(
  r: Raster,
  rect: { xMm: number; yMm: number; widthMm: number; heightMm: number },
  test: (red: number, green: number, blue: number) => boolean,
): number {
  let n = 0;
  const x0 = Math.max(0, Math.round(rect.xMm * r.pxPerMm));
  const x1 = Math.min(r.width, Math.round((rect.xMm + rect.widthMm) * r.pxPerMm));
  const y0 = Math.max(0, Math.round(rect.yMm * r.pxPerMm));
  const y1 = Math.min(r.height, Math.round((rect.yMm + rect.heightMm) * r.pxPerMm));
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * r.width + x) * 3;
      if (test(r.rgb[i]!, r.rgb[i + 1]!, r.rgb[i + 2]!)) n++;
    }
  return n;
}

/** Share (0–1) of the pixel columns of a rectangle (mm) holding at least one pixel `test` accepts. */
export function columnCoverage(
  r: Raster,
  rect: { xMm: number; yMm: number; widthMm: number; heightMm: number },
  test: (red: number, green: number, blue: number) => boolean,
): number {
  const x0 = Math.max(0, Math.round(rect.xMm * r.pxPerMm));
  const x1 = Math.min(r.width, Math.round((rect.xMm + rect.widthMm) * r.pxPerMm));
  let covered = 0;
  for (let x = x0; x < x1; x++) {
    if (
      countPixels(
        r,
        { xMm: x / r.pxPerMm, yMm: rect.yMm, widthMm: 1 / r.pxPerMm, heightMm: rect.heightMm },
        test,
      ) > 0
    )
      covered++;
  }
  return x1 > x0 ? covered / (x1 - x0) : 0;
}

export const isInk = (red: number, green: number, blue: number) => red < 110 && green < 110 && blue < 110;
export const isPink = (red: number, green: number, blue: number) =>
  red > 180 && red - green > 40 && red - blue > 40;

export { T0 };
