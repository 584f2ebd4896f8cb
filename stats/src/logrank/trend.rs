//! Log-rank test for trend across ordered groups (Collett 2015, §2.7; SAS
//! `PROC LIFETEST` `TEST … TREND`): with scores sⱼ per group,
//! U = Σ sⱼ(Oⱼ − Eⱼ), V = s′Vs, Z = U/√V, χ² = Z² on 1 df.

use super::{validated_sums, Sums, Weight};
use crate::dist::chi_square_sf;
use crate::km::SurvivalError;

/// Result of the test for trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendTest {
    /// U/√V; positive when groups with higher scores have more events than expected.
    pub z: f64,
    /// Z², referred to chi-square on 1 df.
    pub statistic: f64,
    /// P(χ²₁ > Z²), two-sided; 1 when V = 0.
    pub p_value: f64,
}

/// Test for trend; `scores[j]` is the score of group j (one finite score per
/// group 0..k).
pub fn logrank_trend(
    times: &[f64],
    events: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
    weight: Weight,
    scores: &[f64],
) -> Result<TrendTest, SurvivalError> {
    let k = groups.iter().max().map_or(0, |&g| g + 1);
    if scores.len() < k || scores.iter().any(|s| !s.is_finite()) {
        return Err(SurvivalError::InvalidScores {
            groups: k,
            scores: scores.len(),
        });
    }
    let Sums {
        observed,
        expected,
        variance,
    } = validated_sums(times, events, groups, strata, weight)?;
    let u: f64 = (0..k)
        .map(|j| scores[j] * (observed[j] - expected[j]))
        .sum();
    let v: f64 = (0..k)
        .map(|j| {
            (0..k)
                .map(|l| scores[j] * variance[j][l] * scores[l])
                .sum::<f64>()
        })
        .sum();
    if v <= 0.0 {
        return Ok(TrendTest {
            z: 0.0,
            statistic: 0.0,
            p_value: 1.0,
        });
    }
    let z = u / v.sqrt();
    Ok(TrendTest {
        z,
        statistic: z * z,
        p_value: chi_square_sf(z * z, 1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::super::logrank;
    use super::*;

    #[test]
    fn two_groups_with_scores_zero_one_is_the_log_rank_test() {
        let times = [1.0, 3.0, 2.0, 4.0, 5.0, 2.5];
        let events = [true, true, true, false, true, true];
        let groups = [0, 0, 1, 1, 1, 0];
        let trend =
            logrank_trend(&times, &events, &groups, None, Weight::LogRank, &[0.0, 1.0]).unwrap();
        let full = logrank(&times, &events, &groups, None, Weight::LogRank).unwrap();
        assert!((trend.statistic - full.statistic).abs() < 1e-12);
        assert_eq!(
            logrank_trend(&times, &events, &groups, None, Weight::LogRank, &[0.0]),
            Err(SurvivalError::InvalidScores {
                groups: 2,
                scores: 1
            })
        );
    }
}
