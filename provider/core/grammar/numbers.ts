// Counts and durations. A number that JSON carries but a timer or a port cannot (NaN, Infinity,
// 1e300, a fraction where a whole number is meant) is refused here, not met later as a timer that
// fires at once or a port that does not exist.
import { described } from "./text";

export interface NumberRule {
    /** smallest accepted value (inclusive); default: any positive number */
    min?: number;
    /** largest accepted value (inclusive) */
    max: number;
    integer?: boolean;
    /** the unit in messages: "days", "seconds" */
    unit?: string;
}

export function numberProblem(path: string, v: unknown, rule: NumberRule): string | undefined {
    const unit = rule.unit ? ` ${rule.unit}` : "";
    const kind = rule.integer ? "a whole number" : "a number";
    const range = rule.min === undefined ? `positive, at most ${rule.max}${unit}` : `${rule.min}-${rule.max}${unit}`;
    const ok = typeof v === "number" && Number.isFinite(v) && (!rule.integer || Number.isInteger(v))
        && (rule.min === undefined ? v > 0 : v >= rule.min) && v <= rule.max;
    if (ok) return undefined;
    return `${path} must be ${kind} (${range}), got ${described(v)}`;
}
