import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use as registerParts, type ComposeOption } from 'echarts/core';
import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useLayoutEffect, useRef } from 'react';

// Only the parts the dashboard draws: keeps ECharts' share of the bundle small. SVG rather
// than canvas: crisp at any zoom, and it renders in the Vitest DOM too.
registerParts([LineChart, FunnelChart, BarChart, GridComponent, SVGRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | FunnelSeriesOption | BarSeriesOption | GridComponentOption>;

const HEIGHT = 260;

/**
 * One chart. The drawing is hidden from assistive technology as one image with `label` (a
 * sentence with every number); the section around it also holds a visually hidden table.
 * `onPainted` runs in the frame after the chart has drawn `option`.
 */
export function EChart({
  option,
  label,
  testId,
  onPainted,
}: {
  option: ChartOption;
  label: string;
  testId: string;
  onPainted?: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null) return;
    const drawn = init(element, null, { renderer: 'svg', width: element.clientWidth || 480, height: HEIGHT });
    chart.current = drawn;
    const resize = () => {
      drawn.resize({ width: element.clientWidth || 480, height: HEIGHT });
    };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      drawn.dispose();
      chart.current = null;
    };
  }, []);
  useLayoutEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
    if (onPainted === undefined) return;
    const frame = requestAnimationFrame(onPainted);
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [option, onPainted]);
  return <div ref={box} role="img" aria-label={label} data-testid={testId} className="insight-chart" />;
}
