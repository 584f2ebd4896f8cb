//! The Miettinen–Nurminen (1985) score interval for p₁ − p₂.
//!
//! For a candidate difference δ, let p̃₁ and p̃₂ = p̃₁ − δ be the
//! maximum-likelihood estimates of the two rates under p₁ − p₂ = δ. The
//! score statistic is
//!
//! T(δ) = (d − δ) / √V(δ),  V(δ) = (p̃₁(1 − p̃₁)/n₁ + p̃₂(1 − p̃₂)/n₂) · N/(N − 1),
//!
//! d = p̂₁ − p̂₂, N = n₁ + n₂ (the factor N/(N − 1) is Miettinen & Nurminen's;
//! without it this is Mee's 1984 interval). T falls from +∞ at δ = −1 (where
//! V = 0 and d > −1) through 0 at δ = d to −∞ at δ = 1, and the limits are
//! the roots of T(δ) = z (lower, in (−1, d)) and T(δ) = −z (upper, in (d, 1)):
//! Miettinen, O. & Nurminen, M. (1985), Comparative analysis of two rates,
//! Statistics in Medicine 4, 213–226. SAS `RISKDIFF(CL=MN)` computes it.
//!
//! p̃₁ is the root in [max(0, δ), min(1, 1 + δ)] of the likelihood equation,
//! a cubic a·p³ + b·p² + c·p + e = 0 with θ = n₂/n₁ and
//! a = 1 + θ, b = −(1 + θ + p̂₁ + θp̂₂ + δ(θ + 2)),
//! c = δ² + δ(2p̂₁ + θ + 1) + p̂₁ + θp̂₂, e = −p̂₁δ(1 + δ),
//! taken in its trigonometric form (Farrington, C. P. & Manning, G. (1990),
//! Statistics in Medicine 9, 1447–1454, eq. (4) and its appendix; Miettinen
//! & Nurminen 1985, appendix): v = b³/(3a)³ − bc/(6a²) + e/(2a),
//! u = sign(v)·√(b²/(3a)² − c/(3a)), w = (π + arccos(v/u³))/3,
//! p̃₁ = 2u·cos(w) − b/(3a).
//!
//! Near p̃ = 0 or 1 that formula loses digits to cancellation (1e-11 in the
//! limits), so an interior root is then polished by Newton steps on the
//! likelihood equation itself, ∂ℓ/∂p₂ = x₁/p₁ − (n₁ − x₁)/(1 − p₁) + x₂/p₂ −
//! (n₂ − x₂)/(1 − p₂) = 0 along p₁ = p₂ + δ (ℓ is concave in p₂).
//!
//! The roots in δ are found by bisection to adjacent doubles, T evaluated only
//! strictly inside the bracket, so d = ±1, x = 0, x = n and 0/n against 0/n
//! need no special case beyond d = ±1 being a limit itself.

use std::f64::consts::PI;

/// Newton steps polishing the cubic's root: it starts within 1e-11 of the
/// root, and each step squares the relative error.
const POLISH_STEPS: usize = 2;

/// Bisection steps: enough to shrink any bracket inside [−1, 1] to adjacent
/// doubles, down to the subnormals (2 → 2⁻¹⁰⁷⁴ takes 1075 halvings).
const MAX_BISECTIONS: usize = 1100;

/// (lower, upper) for x₁/n₁ against x₂/n₂ at z = Φ⁻¹(1 − α/2); n ≥ 1, x ≤ n.
pub(super) fn limits(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let data = Data::new(x1, n1, x2, n2);
    let d = data.p1 - data.p2;
    let lower = if d == -1.0 {
        -1.0
    } else {
        bisect(-1.0, d, |delta| data.score(delta) - z)
    };
    let upper = if d == 1.0 {
        1.0
    } else {
        bisect(d, 1.0, |delta| data.score(delta) + z)
    };
    (lower, upper)
}

/// The two samples as the score statistic uses them.
struct Data {
    x1: f64,
    x2: f64,
    p1: f64,
    p2: f64,
    n1: f64,
    n2: f64,
    /// θ = n₂/n₁.
    theta: f64,
    /// N/(N − 1).
    variance_factor: f64,
}

impl Data {
    fn new(x1: u64, n1: u64, x2: u64, n2: u64) -> Self {
        let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
        let n = n1 + n2;
        Data {
            x1,
            x2,
            p1: x1 / n1,
            p2: x2 / n2,
            n1,
            n2,
            theta: n2 / n1,
            variance_factor: n / (n - 1.0),
        }
    }

    /// T(δ) for −1 < δ < 1: ±∞ where V(δ) = 0 (both restricted estimates at
    /// 0 or 1) and δ ≠ d.
    fn score(&self, delta: f64) -> f64 {
        let (q1, q2) = self.restricted_mle(delta);
        let variance =
            (q1 * (1.0 - q1) / self.n1 + q2 * (1.0 - q2) / self.n2) * self.variance_factor;
        let difference = self.p1 - self.p2 - delta;
        if variance > 0.0 {
            difference / variance.sqrt()
        } else {
            difference.signum() * f64::INFINITY
        }
    }

    /// (p̃₁, p̃₂) under p₁ − p₂ = δ. The log-likelihood ℓ is concave in p₂
    /// on p₂'s range [max(0, −δ), min(1, 1 − δ)], so its maximum is the lower
    /// end where the slope ∂ℓ/∂p₂ is ≤ 0 there, the upper end where it is
    /// ≥ 0 there, and otherwise inside: the cubic's root (see the module doc),
    /// polished on the likelihood equation. The ends are decided on the slope
    /// rather than on the cubic, whose root lands there only up to rounding
    /// (which at n = 10⁵ and p̂ = 10⁻⁵ moves a limit by 1e-7).
    fn restricted_mle(&self, delta: f64) -> (f64, f64) {
        let lower = if delta >= 0.0 {
            (delta, 0.0)
        } else {
            (0.0, -delta)
        };
        let upper = if delta >= 0.0 {
            (1.0, 1.0 - delta)
        } else {
            (1.0 + delta, 1.0)
        };
        if self.slope(lower) <= 0.0 {
            return lower;
        }
        if self.slope(upper) >= 0.0 {
            return upper;
        }
        let (lo, hi) = (lower.0, upper.0);
        let mut q1 = self.cubic_root(delta).clamp(lo, hi);
        for _ in 0..POLISH_STEPS {
            let (q2, r1, r2) = (q1 - delta, 1.0 - q1, 1.0 - q1 + delta);
            let curvature = -self.x1 / (q1 * q1)
                - (self.n1 - self.x1) / (r1 * r1)
                - self.x2 / (q2 * q2)
                - (self.n2 - self.x2) / (r2 * r2);
            let next = q1 - self.slope((q1, q2)) / curvature;
            if !(lo < next && next < hi) || next == q1 {
                break;
            }
            q1 = next;
        }
        (q1, q1 - delta)
    }

    /// ∂ℓ/∂p₂ along p₁ = p₂ + δ at (p₁, p₂):
    /// x₁/p₁ − (n₁ − x₁)/(1 − p₁) + x₂/p₂ − (n₂ − x₂)/(1 − p₂), a term with a
    /// zero count being 0 and one with a zero denominator ±∞.
    fn slope(&self, (q1, q2): (f64, f64)) -> f64 {
        let term = |count: f64, at: f64| if count == 0.0 { 0.0 } else { count / at };
        term(self.x1, q1) - term(self.n1 - self.x1, 1.0 - q1) + term(self.x2, q2)
            - term(self.n2 - self.x2, 1.0 - q2)
    }

    /// p̃₁ by the trigonometric solution of the cubic.
    fn cubic_root(&self, delta: f64) -> f64 {
        let (p1, p2, theta) = (self.p1, self.p2, self.theta);
        let a = 1.0 + theta;
        let b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0));
        let c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2;
        let e = -p1 * delta * (1.0 + delta);
        let b3a = b / (3.0 * a);
        let v = b3a * b3a * b3a - b * c / (6.0 * a * a) + e / (2.0 * a);
        let u = (b3a * b3a - c / (3.0 * a)).max(0.0).sqrt().copysign(v);
        if u == 0.0 {
            // A triple root.
            -b3a
        } else {
            let w = (PI + (v / (u * u * u)).clamp(-1.0, 1.0).acos()) / 3.0;
            2.0 * u * w.cos() - b3a
        }
    }
}

/// The root of `f` in (lo, hi), given f > 0 just above lo and f < 0 just
/// below hi; `f` is evaluated strictly inside. Stops at adjacent doubles.
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..MAX_BISECTIONS {
        let mid = lo + 0.5 * (hi - lo);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo + 0.5 * (hi - lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Restricted estimates, checked against the likelihood equation itself
    /// (the derivative of the log-likelihood in p₂ along p₁ = p₂ + δ): 0 at
    /// an interior maximum, ≤ 0 where the maximum is at the lower end of p₂,
    /// ≥ 0 at the upper end.
    #[test]
    fn restricted_mle_solves_the_likelihood_equation() {
        for (x1, n1, x2, n2) in [
            (56u64, 70u64, 48u64, 80u64),
            (9, 10, 3, 10),
            (5, 56, 0, 29),
            (1, 3, 7, 50),
            (24, 24, 3, 59),
            (0, 47, 51, 52),
        ] {
            let data = Data::new(x1, n1, x2, n2);
            for delta in [-0.99, -0.9, -0.5, -0.1, 0.0, 0.05, 0.3, 0.7, 0.95, 0.99] {
                let (q1, q2) = data.restricted_mle(delta);
                assert!((q1 - q2 - delta).abs() < 1e-15);
                let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
                // A term with a zero count is 0, also at a boundary.
                let term = |count: f64, at: f64| if count == 0.0 { 0.0 } else { count / at };
                let (up, down) = (
                    term(x1, q1) + term(x2, q2),
                    term(n1 - x1, 1.0 - q1) + term(n2 - x2, 1.0 - q2),
                );
                let slope = up - down;
                let label = format!("{x1}/{n1} {x2}/{n2} δ = {delta}: ({q1}, {q2}), slope {slope}");
                let near = |a: f64, b: f64| (a - b).abs() <= 1e-13;
                if near(q2, (-delta).max(0.0)) {
                    assert!(slope <= 1e-12 * (up + down), "{label}");
                } else if near(q2, (1.0 - delta).min(1.0)) {
                    assert!(slope >= -1e-12 * (up + down), "{label}");
                } else {
                    assert!(slope.abs() <= 1e-13 * (up + down), "{label}");
                }
            }
        }
    }

    #[test]
    fn at_delta_zero_the_restricted_estimate_is_the_pooled_rate() {
        let data = Data::new(17, 40, 9, 35);
        let (q1, q2) = data.restricted_mle(0.0);
        assert!((q1 - 26.0 / 75.0).abs() < 1e-15 && q1 == q2);
        // x₁ = x₂ = 0: the maximum is on the boundary p₂ = 0.
        let (q1, q2) = Data::new(0, 10, 0, 20).restricted_mle(0.25);
        assert!((q1 - 0.25).abs() < 1e-15 && q2.abs() < 1e-15);
    }

    #[test]
    fn bisection_reaches_adjacent_doubles() {
        let root = bisect(0.0, 2.0, |x| 2.0 - x * x);
        assert!((root - std::f64::consts::SQRT_2).abs() <= f64::EPSILON);
    }
}
