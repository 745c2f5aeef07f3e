// The statistics used by the reports and the A/B decision rule. Pure functions over the
// figures the rollups keep (counts, sums, sums of squares), never over raw rows.
export type { Interval, SampleSums, BinomialCounts } from "./types";
export { wilson, diffOfProportions } from "./proportions";
export { diffOfMeans, diffOfMeansPooledHoldoutVariance, meanInterval, meanOf, varianceOf } from "./means";
export { probBBeatsA, expectedLossBinomial } from "./bayes-binomial";
export { probBBeatsAMean, expectedLossMean, meanPosterior } from "./bayes-mean";
export { msprtPValue, msprtTau2, proportionSums, type MsprtOptions } from "./msprt";
export { probBestBinomial, probBestMean } from "./prob-best";
export {
  holdoutResult,
  type CohortFigures,
  type HoldoutResult,
  type HoldoutMeasure,
  type HoldoutVerdict,
  type HoldoutReason,
} from "./holdout";
export {
  evaluateExperiment,
  type ExperimentMetric,
  type VariantFigures,
  type ExperimentInput,
  type ExperimentEvaluation,
  type VariantEvaluation,
  type ExperimentReason,
} from "./experiment";
