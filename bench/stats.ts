// Small numeric helpers for the report: a least-squares line (is the cost linear in N, and at what
// slope?), medians of repeated runs, rounding for display.

export interface LineFit {
    /** ms per domain */
    slope: number;
    /** ms at N = 0 (fixed cost) */
    intercept: number;
    /** coefficient of determination; 1 = all points on the line */
    r2: number;
}

export function leastSquares(points: { x: number; y: number }[]): LineFit {
    const n = points.length;
    if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN };
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    let sxy = 0, sxx = 0, syy = 0;
    for (const p of points) {
        sxy += (p.x - mx) * (p.y - my);
        sxx += (p.x - mx) ** 2;
        syy += (p.y - my) ** 2;
    }
    const slope = sxy / sxx;
    const intercept = my - slope * mx;
    const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
    return { slope, intercept, r2 };
}

export function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    if (s.length === 0) return NaN;
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fixed(v: number, digits = 2): string {
    return Number.isFinite(v) ? v.toFixed(digits) : "n/a";
}

/** The q-quantile (0..1) by nearest rank; NaN for no values. */
export function percentile(values: number[], q: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
