//! The two-sample (weighted) log-rank test as a signed normal statistic
//! (lifelines `logrank_test`): Z = Σ w(d₂ − n₂d/n) / √Σ w²·d(n − d)/(n − 1)·n₁n₂/n²,
//! χ² = Z². Computed on its own, not through the k-sample code, so that each
//! checks the other.

use super::Weight;
use crate::dist::chi_square_sf;
use crate::km::{SurvivalData, SurvivalError};

/// Result of a two-sample test; index 0 is the first sample, 1 the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoSampleTest {
    /// (O₂ − E₂)/√V; positive when the second sample has more events than expected.
    pub z: f64,
    /// Z², chi-square on 1 df.
    pub statistic: f64,
    pub p_value: f64,
    pub observed: [f64; 2],
    pub expected: [f64; 2],
}

/// Two-sample test; `second[i]` tells whether subject i is in the second
/// sample; `strata` as in [`super::logrank`].
pub fn logrank_two_sample(
    times: &[f64],
    events: &[bool],
    second: &[bool],
    strata: Option<&[usize]>,
    weight: Weight,
) -> Result<TwoSampleTest, SurvivalError> {
    let data = SurvivalData::new(times, events)?;
    data.check_len("second", second.len())?;
    if let Some(s) = strata {
        data.check_len("strata", s.len())?;
    }
    if let Some(value) = weight.invalid_exponent() {
        return Err(SurvivalError::InvalidWeightExponent { value });
    }
    let (times, events) = (data.times(), data.events());
    let mut strata_ids: Vec<usize> = strata.map_or(vec![0], |s| s.to_vec());
    strata_ids.sort_unstable();
    strata_ids.dedup();
    let (mut observed, mut expected, mut variance) = ([0.0; 2], [0.0; 2], 0.0);
    for stratum in strata_ids {
        let subjects: Vec<usize> = data
            .order()
            .iter()
            .copied()
            .filter(|&i| strata.is_none_or(|s| s[i] == stratum))
            .collect();
        let mut n = [0.0_f64; 2];
        for &i in &subjects {
            n[usize::from(second[i])] += 1.0;
        }
        let mut s_before = 1.0_f64;
        let mut pos = 0;
        while pos < subjects.len() {
            let t = times[subjects[pos]];
            let (mut d, mut out) = ([0.0_f64; 2], [0.0_f64; 2]);
            while pos < subjects.len() && times[subjects[pos]] == t {
                let i = subjects[pos];
                let g = usize::from(second[i]);
                out[g] += 1.0;
                d[g] += f64::from(u8::from(events[i]));
                pos += 1;
            }
            let (nt, dt) = (n[0] + n[1], d[0] + d[1]);
            if dt > 0.0 {
                let w = weight.at(nt as usize, s_before);
                for g in 0..2 {
                    observed[g] += w * d[g];
                    expected[g] += w * n[g] * dt / nt;
                }
                if nt > 1.0 {
                    variance += w * w * dt * (nt - dt) / (nt - 1.0) * n[0] * n[1] / (nt * nt);
                }
                s_before *= (nt - dt) / nt;
            }
            n[0] -= out[0];
            n[1] -= out[1];
        }
    }
    if variance <= 0.0 {
        return Ok(TwoSampleTest {
            z: 0.0,
            statistic: 0.0,
            p_value: 1.0,
            observed,
            expected,
        });
    }
    let z = (observed[1] - expected[1]) / variance.sqrt();
    Ok(TwoSampleTest {
        z,
        statistic: z * z,
        p_value: chi_square_sf(z * z, 1.0),
        observed,
        expected,
    })
}
