// The report's charts (@shopify/polaris-viz). polaris-viz reads `window` while it
// renders, so this module is loaded only in the browser, after hydration
// (ClientChart.tsx); the server renders a placeholder of the same height.
import { LineChart, PolarisVizProvider, SimpleBarChart, type DataSeries } from "@shopify/polaris-viz";

export interface RevenueSeries {
  name: string;
  /** [ISO day, value or null] per day. */
  points: [string, number | null][];
  dashed?: boolean;
  color: string;
}

export interface RevenueChartProps {
  series: RevenueSeries[];
  formatDay: (iso: string) => string;
  formatMoney: (n: number) => string;
}

export function RevenueChart({ series, formatDay, formatMoney }: RevenueChartProps) {
  const data: DataSeries[] = series.map((s) => ({
    name: s.name,
    color: s.color,
    data: s.points.map(([key, value]) => ({ key, value })),
    ...(s.dashed ? { styleOverride: { line: { strokeDasharray: "4 4", hasArea: false } } } : {}),
  }));
  return (
    <PolarisVizProvider defaultTheme="Light">
      <LineChart
        data={data}
        isAnimated={false}
        xAxisOptions={{ labelFormatter: (v) => formatDay(String(v)) }}
        yAxisOptions={{ labelFormatter: (v) => formatMoney(Number(v)) }}
        tooltipOptions={{ titleFormatter: (v) => formatDay(String(v)), valueFormatter: (v) => formatMoney(Number(v)) }}
      />
    </PolarisVizProvider>
  );
}

export interface FunnelBarsProps {
  name: string;
  stages: [string, number][];
  formatCount: (n: number) => string;
}

export function FunnelBars({ name, stages, formatCount }: FunnelBarsProps) {
  return (
    <PolarisVizProvider defaultTheme="Light">
      <SimpleBarChart
        data={[{ name, data: stages.map(([key, value]) => ({ key, value })) }]}
        isAnimated={false}
        showLegend={false}
        xAxisOptions={{ labelFormatter: (v) => formatCount(Number(v)) }}
      />
    </PolarisVizProvider>
  );
}
