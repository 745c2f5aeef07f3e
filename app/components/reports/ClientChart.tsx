import { Box, SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import type { FunnelBarsProps, RevenueChartProps } from "./charts";

// polaris-viz cannot render on the server (it reads `window`), and it is the heaviest
// part of the page: the charts module is fetched after hydration, into a box of fixed
// height, so nothing moves when it arrives and server and client first render alike.
const LazyRevenueChart = lazy(() => import("./charts").then((m) => ({ default: m.RevenueChart })));
const LazyFunnelBars = lazy(() => import("./charts").then((m) => ({ default: m.FunnelBars })));

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function ChartBox({ height, label, testId, children }: { height: number; label: string; testId: string; children: ReactNode }) {
  const hydrated = useHydrated();
  const placeholder = (
    <Box paddingBlockStart="400">
      <SkeletonBodyText lines={4} />
    </Box>
  );
  return (
    <div style={{ height }} role="figure" aria-label={label} data-testid={testId} data-ready={hydrated ? "true" : "false"}>
      {hydrated ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder}
    </div>
  );
}

export function RevenueChart(props: RevenueChartProps & { label: string }) {
  return (
    <ChartBox height={300} label={props.label} testId="revenue-chart">
      <LazyRevenueChart {...props} />
    </ChartBox>
  );
}

export function FunnelBars(props: FunnelBarsProps & { label: string }) {
  return (
    <ChartBox height={240} label={props.label} testId="funnel-chart">
      <LazyFunnelBars {...props} />
    </ChartBox>
  );
}
