// Normal and Student t distribution functions.
import { betaRegularized, logGamma, upperGammaRegularized } from "./special-functions";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Φ(z), accurate in both tails: erfc(y) = Q(1/2, y²) for y ≥ 0. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const y = Math.abs(z) / Math.SQRT2;
  const upperTail = 0.5 * upperGammaRegularized(0.5, y * y);
  return z >= 0 ? 1 - upperTail : upperTail;
}

// Wichura's algorithm AS241 (PPND16) coefficients, lowest power first, rounded to doubles.
// Central region |p − 0.5| ≤ 0.425, in r = 0.180625 − q²:
const CENTRAL_NUM = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087, 33430.57558358813,
  2509.0809287301227,
];
const CENTRAL_DEN = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943, 5226.495278852546,
];
// Tails, r = √(−ln min(p, 1 − p)): up to r = 5, in r − 1.6:
const NEAR_NUM = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DEN = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457, 0.0005475938084995345,
  1.0507500716444169e-9,
];
// Beyond, in r − 5:
const FAR_NUM = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124, 0.0012426609473880784,
  0.000027115555687434876, 2.0103343992922881e-7,
];
const FAR_DEN = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548, 1.421511758316446e-7,
  2.0442631033899397e-15,
];

function polynomial(coefficients: number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/** Φ⁻¹(p): Wichura's algorithm AS241 (PPND16), relative accuracy about 1e-16. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUM, r)) / polynomial(CENTRAL_DEN, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value =
    r <= 5 ? polynomial(NEAR_NUM, r - 1.6) / polynomial(NEAR_DEN, r - 1.6) : polynomial(FAR_NUM, r - 5) / polynomial(FAR_DEN, r - 5);
  return q < 0 ? -value : value;
}

/** Student t density with df degrees of freedom (df may be fractional, as Welch's is). */
export function studentTDensity(t: number, df: number): number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Student t CDF: P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2) / 2. */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalCdf(t);
  const tail = 0.5 * betaRegularized(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

// Above this many degrees of freedom the Cornish–Fisher expansion below is exact to
// double precision (its next term is of order z¹¹/df⁵).
const CORNISH_FISHER_MIN_DF = 1e4;

/** Student t quantile: the Cornish–Fisher expansion in 1/df, refined by safeguarded Newton steps on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (!(df > 0)) return NaN;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const start = cornishFisher(normalQuantile(p), df);
  if (df >= CORNISH_FISHER_MIN_DF) return start;
  // t > 0 here; keep a bracket [low, high] around the root so a wild Newton step falls back to bisection.
  let low = 0;
  let high = Infinity;
  let t = Number.isFinite(start) && start > 0 ? start : 1;
  for (let i = 0; i < 200; i++) {
    const error = studentTCdf(t, df) - p;
    if (error > 0) high = Math.min(high, t);
    else low = Math.max(low, t);
    const step = error / studentTDensity(t, df);
    let next = t - step;
    if (!(next > low && next < high)) next = Number.isFinite(high) ? (low + high) / 2 : 2 * t;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, t)) return next;
    t = next;
  }
  return t;
}

// Abramowitz & Stegun 26.7.5.
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
