/** A point estimate with a two-sided interval around it. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** A sample summarised the way the rollups keep it: count, sum of values, sum of squared values. */
export interface SampleSums {
  n: number;
  sum: number;
  sumSq: number;
}

/** x successes out of n trials. */
export interface BinomialCounts {
  x: number;
  n: number;
}
