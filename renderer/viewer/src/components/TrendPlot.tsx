/**
 * One time-series plot (uPlot) over a whole recording. Clicking a point opens the ECG there
 * (`onPick` with the epoch ms under the pointer). Times on the axis are UTC, as stored.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface TrendSeries {
  label: string;
  colour: string;
  /** One value (or null) per x. */
  values: (number | null)[];
  /** Axis side: 'left' (default) or a second scale on the right. */
  scale?: string;
}

interface Props {
  title: string;
  /** Epoch ms of each point. */
  timesMs: number[];
  series: TrendSeries[];
  unit: string;
  /** The x range every plot of a recording shares: its start and end, epoch ms. */
  rangeMs: [number, number];
  /** A second unit for series on scale 'right'. */
  rightUnit?: string;
  onPick?: (tMs: number) => void;
  heightPx?: number;
}

/** Width of a value axis, CSS px. */
const AXIS_SIZE_PX = 60;

export function TrendPlot(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const hasRight = props.series.some((s) => s.scale === 'right');
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: props.heightPx ?? 220,
      legend: { show: false },
      // the same axis widths on every plot (a right axis or room for one), so their times line up
      padding: [8, hasRight ? 0 : AXIS_SIZE_PX, 0, 0],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: [props.rangeMs[0] / 1000, props.rangeMs[1] / 1000] } },
      axes: [
        { stroke: '#374151', label: 'time (UTC)', grid: { stroke: '#e5e7eb' } },
        { stroke: '#374151', label: props.unit, grid: { stroke: '#e5e7eb' }, size: AXIS_SIZE_PX },
        ...(hasRight
          ? [
              {
                scale: 'right',
                // uPlot's Side is an ambient const enum, which isolatedModules cannot name; 1 = Right
                // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
                side: 1 as uPlot.Axis.Side,
                label: props.rightUnit ?? '',
                grid: { show: false },
                stroke: '#374151',
                size: AXIS_SIZE_PX,
              },
            ]
          : []),
      ],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: 1.5,
          scale: s.scale ?? 'y',
          spanGaps: false,
          points: { show: false },
        })),
      ],
      hooks: {
        ready: [
          (u) => {
            u.over.addEventListener('click', (e) => {
              const left = e.clientX - u.over.getBoundingClientRect().left;
              const seconds = u.posToVal(left, 'x');
              if (Number.isFinite(seconds)) pick.current?.(Math.round(seconds * 1000));
            });
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [
      props.timesMs.map((t) => t / 1000),
      ...props.series.map((s) => s.values),
    ];
    const plot = new uPlot(opts, data, el);
    return () => plot.destroy();
  }, [props.timesMs, props.series, props.unit, props.rightUnit, props.heightPx, props.rangeMs]);
  return (
    <figure className="trend">
      <figcaption>
        <strong>{props.title}</strong>
        <span className="legend">
          {props.series.map((s) => (
            <span key={s.label} className="legend-item">
              <span className="swatch" style={{ background: s.colour }} aria-hidden="true" />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div
        ref={box}
        className="plot"
        role="img"
        aria-label={`${props.title} over the recording; click a point to open the ECG there`}
        data-trend={props.title}
      />
    </figure>
  );
}
