/**
 * Spans of sample indexes in time order, the last one possibly still open: the stretches whose
 * detections the live pipeline does not report as beats — ventricular flutter/fibrillation
 * episodes (RhythmGate) and the time the device reports every detection lead off (LivePipeline).
 * The owner forgets the spans that ended before anything it may still ask about.
 */
export class SampleSpans {
  private readonly spans: { start: number; end: number }[] = [];

  /** Whether the last span is still open. */
  get isOpen(): boolean {
    return this.spans.at(-1)?.end === Infinity;
  }

  /** Start of the open span (null: none open). */
  get openStart(): number | null {
    return this.isOpen ? this.spans.at(-1)!.start : null;
  }

  /** Opens a span at `start` (nothing when one is open). */
  open(start: number): void {
    if (!this.isOpen) this.spans.push({ start, end: Infinity });
  }

  /** Closes the open span at `end`, inclusive (nothing when none is open). */
  close(end: number): void {
    if (this.isOpen) this.spans.at(-1)!.end = end;
  }

  /** Whether `sample` lies in a span (an open one reaches on without end). */
  contains(sample: number): boolean {
    return this.spans.some((span) => sample >= span.start && sample <= span.end);
  }

  /** Forgets the spans that ended before `sample`. */
  forgetBefore(sample: number): void {
    while (this.spans.length > 0 && this.spans[0]!.end < sample) this.spans.shift();
  }
}
