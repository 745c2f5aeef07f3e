"""Reference values for tests/stats, computed independently of the TypeScript code.

Run: python3 tests/stats/reference/generate.py > tests/stats/reference/values.json
     && npx prettier --write tests/stats/reference/values.json   (the repository formats JSON with prettier)
Needs scipy (recorded: scipy.__version__ below) and numpy. statsmodels is not installed,
so the Wilson interval is computed from its formula with scipy's normal quantile.
Every case records its inputs next to its outputs.
"""

import json
import sys

import numpy as np
import scipy
from scipy import integrate, special, stats


def wilson(x, n, conf=0.95):
    # Wilson (1927); Newcombe (1998) method 3.
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    p = x / n
    centre = (x + z * z / 2) / (n + z * z)
    half = z * np.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def newcombe10(x1, n1, x2, n2, conf=0.95):
    # Newcombe (1998) method 10: hybrid score interval from the two Wilson intervals.
    p1, l1, u1 = wilson(x1, n1, conf)
    p2, l2, u2 = wilson(x2, n2, conf)
    d = p1 - p2
    return d, d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def beta_bounds(a, b):
    dist = stats.beta(a, b)
    return dist.ppf(1e-14), dist.isf(1e-14)


def quad(f, lo, hi, points):
    value, _ = integrate.quad(f, lo, hi, points=[p for p in points if lo < p < hi], limit=500, epsabs=1e-14, epsrel=1e-12)
    return value


def prob_b_beats_a(xa, na, xb, nb):
    # P(pB > pA) = ∫ f_B(p) F_A(p) dp over Beta(1 + x, 1 + n − x) posteriors.
    A, B = stats.beta(1 + xa, 1 + na - xa), stats.beta(1 + xb, 1 + nb - xb)
    lo, hi = beta_bounds(1 + xb, 1 + nb - xb)
    return quad(lambda p: B.pdf(p) * A.cdf(p), lo, hi, [A.mean(), B.mean()])


def expected_loss(xa, na, xb, nb):
    # E[max(pA − pB, 0)] = ∫ P(pB < t < pA) dt = ∫ F_B(t) (1 − F_A(t)) dt.
    A, B = stats.beta(1 + xa, 1 + na - xa), stats.beta(1 + xb, 1 + nb - xb)
    lo = min(beta_bounds(1 + xa, 1 + na - xa)[0], beta_bounds(1 + xb, 1 + nb - xb)[0])
    hi = max(beta_bounds(1 + xa, 1 + na - xa)[1], beta_bounds(1 + xb, 1 + nb - xb)[1])
    return quad(lambda t: B.cdf(t) * A.sf(t), lo, hi, [A.mean(), B.mean()])


def prob_best_binomial(counts):
    dists = [stats.beta(1 + x, 1 + n - x) for x, n in counts]
    out = []
    for i, d in enumerate(dists):
        lo, hi = d.ppf(1e-14), d.isf(1e-14)
        others = [e for j, e in enumerate(dists) if j != i]
        out.append(quad(lambda p: d.pdf(p) * np.prod([e.cdf(p) for e in others]), lo, hi, [e.mean() for e in dists]))
    return out


def sums(values):
    v = np.asarray(values, dtype=float)
    return {"n": int(v.size), "sum": float(v.sum()), "sumSq": float((v * v).sum())}


def mean_posterior(values):
    # Bayesian bootstrap: mean ȳ, variance Σ(y − ȳ)² / (n(n + 1)), normal limit.
    v = np.asarray(values, dtype=float)
    return v.mean(), ((v - v.mean()) ** 2).sum() / (v.size * (v.size + 1))


def revenue_sample(rng, n, conversion, median, sigma):
    # Zero-inflated, heavy-tailed: most recipients spend 0, buyers' orders are log-normal.
    bought = rng.random(n) < conversion
    return np.where(bought, rng.lognormal(np.log(median), sigma, n), 0.0).round(2)


def main():
    rng = np.random.default_rng(20261207)
    out = {"scipy": scipy.__version__, "numpy": np.__version__}

    out["logGamma"] = [{"x": x, "value": float(special.gammaln(x))} for x in [0.1, 0.5, 1, 1.5, 3.3, 10, 171.5, 1234.5, 1e6, 3.7e7]]
    out["betaRegularized"] = [
        {"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
        for (x, a, b) in [(0.3, 2.5, 7), (0.01, 1, 300), (0.5, 0.5, 0.5), (0.9, 50, 3), (0.031, 301, 9701), (0.7, 1e4, 4e3), (0.999, 4000.5, 0.5)]
    ]
    out["normalCdf"] = [{"z": z, "value": float(stats.norm.cdf(z))} for z in [-37, -20, -8, -3.5, -1.96, -0.3, 0, 0.5, 1.2816, 2.5, 6, 9]]
    out["normalQuantile"] = [{"p": p, "value": float(stats.norm.ppf(p))} for p in [1e-300, 1e-20, 1e-9, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 1 - 1e-12]]
    out["studentTCdf"] = [{"t": t, "df": df, "value": float(stats.t.cdf(t, df))} for (t, df) in [(2, 1), (2, 3.7), (-1.5, 12.25), (0.3, 100), (2.8, 9999.5), (-4, 2.2)]]
    out["studentTQuantile"] = [
        {"p": p, "df": df, "value": float(stats.t.ppf(p, df))}
        for (p, df) in [(0.975, 1), (0.975, 2), (0.975, 3.7), (0.95, 7.5), (0.995, 29.9), (0.975, 123.4), (0.975, 9999), (0.975, 2e4), (0.975, 1e7), (0.025, 5.5), (0.9999, 4)]
    ]

    # Wilson intervals, 95% and 90%.
    wilson_cases = [(0, 10), (1, 29), (5, 56), (15, 148), (81, 263), (10, 10), (48, 80), (3, 4000), (1234, 50000)]
    out["wilson"] = [
        {"x": x, "n": n, "confidence": c, "estimate": e, "low": lo, "high": hi}
        for (x, n) in wilson_cases
        for c in (0.95, 0.9)
        for (e, lo, hi) in [wilson(x, n, c)]
    ]

    # Newcombe method 10: the paper's Table II examples, and more cases.
    newcombe_cases = [
        (56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10),
        (312, 9000, 25, 1000), (40, 2000, 41, 2000), (7, 300, 1, 33),
    ]
    out["newcombe"] = [
        {"x1": x1, "n1": n1, "x2": x2, "n2": n2, "confidence": c, "estimate": e, "low": lo, "high": hi}
        for (x1, n1, x2, n2) in newcombe_cases
        for c in (0.95, 0.9)
        for (e, lo, hi) in [newcombe10(x1, n1, x2, n2, c)]
    ]

    # Welch intervals from scipy's ttest_ind on synthetic data; the sums are what the code reads.
    welch = []
    datasets = [
        (rng.normal(10, 2, 12), rng.normal(8.5, 5, 7)),
        (rng.normal(0, 1, 40), rng.normal(0.3, 1, 45)),
        (revenue_sample(rng, 900, 0.06, 55, 1.0), revenue_sample(rng, 100, 0.04, 55, 1.0)),
        (revenue_sample(rng, 5000, 0.03, 70, 1.5), revenue_sample(rng, 5000, 0.025, 70, 1.5)),
        (rng.exponential(30, 3), rng.exponential(30, 250)),
    ]
    for a, b in datasets:
        for c in (0.95, 0.9):
            res = stats.ttest_ind(a, b, equal_var=False)
            ci = res.confidence_interval(confidence_level=c)
            welch.append({"a": sums(a), "b": sums(b), "confidence": c, "estimate": float(a.mean() - b.mean()), "low": float(ci.low), "high": float(ci.high), "df": float(res.df)})
    out["welch"] = welch

    # The holdout's revenue interval: Welch's form with the holdout's variance pooled over both groups
    # (app/domain/stats/means.ts explains why), written out here with scipy's t quantile.
    pooled = []
    for t, h in [datasets[2], datasets[3], (datasets[3][0], datasets[3][1][:500])]:
        for c in (0.95, 0.9):
            pooled_var = np.concatenate([t, h]).var(ddof=1)
            vt, vh = t.var(ddof=1) / t.size, pooled_var / h.size
            df = (vt + vh) ** 2 / (vt**2 / (t.size - 1) + vh**2 / (t.size + h.size - 2))
            half = stats.t.ppf(1 - (1 - c) / 2, df) * np.sqrt(vt + vh)
            d = t.mean() - h.mean()
            pooled.append({"treated": sums(t), "holdout": sums(h), "confidence": c, "estimate": float(d), "low": float(d - half), "high": float(d + half)})
    out["pooledHoldoutVariance"] = pooled

    # One-sample t interval of a mean.
    out["meanInterval"] = [
        {"sample": sums(a), "confidence": 0.95, "estimate": float(a.mean()), "low": float(lo), "high": float(hi)}
        for a in [datasets[0][0], datasets[2][1], datasets[3][0]]
        for (lo, hi) in [stats.t.interval(0.95, a.size - 1, loc=a.mean(), scale=stats.sem(a))]
    ]

    # Beta-Binomial P(B > A) and expected loss E[max(pA − pB, 0)], by numerical integration.
    bb_cases = [
        (0, 0, 0, 0), (0, 10, 1, 10), (3, 20, 7, 20), (20, 500, 31, 500), (150, 3000, 180, 3100), (48, 1000, 48, 1000),
        (700, 10000, 640, 10000), (3000, 100000, 3150, 100000), (12, 40000, 25, 41000), (900, 1000, 950, 1000),
        (1_500_000, 4_000_000, 1_502_500, 4_000_000), (1_100_000, 3_000_000, 1_099_000, 3_000_000),
    ]
    out["betaBinomial"] = [
        {"a": {"x": xa, "n": na}, "b": {"x": xb, "n": nb}, "probBBeatsA": prob_b_beats_a(xa, na, xb, nb), "expectedLoss": expected_loss(xa, na, xb, nb)}
        for (xa, na, xb, nb) in bb_cases
    ]

    out["probBestBinomial"] = [{"counts": [{"x": x, "n": n} for x, n in cs], "probBest": prob_best_binomial(cs)} for cs in [
        [(20, 500, ), (31, 500), (25, 520)],
        [(0, 30), (2, 30), (1, 25), (0, 10)],
        [(300, 10000), (330, 10000), (340, 10200)],
        [(0, 2000), (3, 2000), (1, 500)],
        [(5000, 100000), (5100, 100000), (4900, 99000), (5050, 100500)],
    ]]

    # Means: normal posterior (Bayesian bootstrap limit), and a Monte-Carlo Bayesian
    # bootstrap over the raw rows to show the limit is close at the A/B rule's sample sizes.
    means = []
    for a, b in [datasets[2], datasets[3], (revenue_sample(rng, 2000, 0.04, 60, 1.2), revenue_sample(rng, 2100, 0.05, 60, 1.2))]:
        (ma, va), (mb, vb) = mean_posterior(a), mean_posterior(b)
        sd = np.sqrt(va + vb)
        z = (mb - ma) / sd
        d = ma - mb
        draws = 20000
        boot_a = rng.dirichlet(np.ones(a.size), draws) @ a
        boot_b = rng.dirichlet(np.ones(b.size), draws) @ b
        means.append({
            "a": sums(a), "b": sums(b),
            "probBBeatsA": float(stats.norm.cdf(z)),
            "expectedLoss": float(d * stats.norm.cdf(d / sd) + sd * stats.norm.pdf(d / sd)),
            "bayesianBootstrapProb": float((boot_b > boot_a).mean()),
            "bayesianBootstrapDraws": draws,
        })
    out["normalMean"] = means

    # P(best) of three means under the normal posteriors, by quad.
    best_means = []
    for group in [[datasets[3][0], datasets[3][1], datasets[2][0]], [datasets[1][0], datasets[1][1], datasets[0][1]]]:
        posts = [mean_posterior(v) for v in group]
        dists = [stats.norm(m, np.sqrt(v)) for m, v in posts]
        probs = []
        for i, d in enumerate(dists):
            others = [e for j, e in enumerate(dists) if j != i]
            lo, hi = d.ppf(1e-15), d.isf(1e-15)
            probs.append(quad(lambda x: d.pdf(x) * np.prod([e.cdf(x) for e in others]), lo, hi, [e.mean() for e in dists]))
        best_means.append({"samples": [sums(v) for v in group], "probBest": probs})
    out["probBestMean"] = best_means

    # mSPRT always-valid p-value (Johari, Pekelis, Walsh), normal approximation, written out here independently.
    msprt = []
    for a, b, tau2 in [
        (datasets[1][0], datasets[1][1], 0.01),
        (datasets[3][0], datasets[3][1], 4.0),
        ((rng.random(6000) < 0.05).astype(float), (rng.random(6000) < 0.062).astype(float), 2.7e-4),
        ((rng.random(800) < 0.02).astype(float), (rng.random(800) < 0.02).astype(float), 5e-5),
    ]:
        d = b.mean() - a.mean()
        v = a.var(ddof=1) / a.size + b.var(ddof=1) / b.size
        log_lr = 0.5 * np.log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2))
        msprt.append({"a": sums(a), "b": sums(b), "tau2": tau2, "pValue": float(min(1.0, np.exp(-log_lr)))})
    out["msprt"] = msprt

    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
