//! Weights of the weighted log-rank family, each named with the option of
//! R / lifelines / statsmodels it matches.

/// Weight w(tᵢ) given to the i-th distinct event time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weight {
    /// w = 1: the log-rank (Mantel–Haenszel) test. R `survdiff(rho = 0)`,
    /// lifelines default, statsmodels `weight_type=None`.
    LogRank,
    /// w = Ŝ(t−)^p · (1 − Ŝ(t−))^q, Ŝ(t−) the pooled Kaplan–Meier curve of the
    /// stratum just before t (Fleming & Harrington 1982). `{ p: ρ, q: 0 }` is
    /// R `survdiff(rho = ρ)` and statsmodels `weight_type="fh", fh_p=ρ`;
    /// lifelines `weightings="fleming-harrington", p=p, q=q`. 0⁰ = 1.
    FlemingHarrington { p: f64, q: f64 },
    /// w = n(t), the number at risk (Gehan 1965, Breslow 1970). lifelines
    /// `weightings="wilcoxon"`, statsmodels `weight_type="gb"`.
    GehanBreslow,
    /// w = √n(t) (Tarone & Ware 1977). lifelines `"tarone-ware"`, statsmodels `"tw"`.
    TaroneWare,
}

impl Weight {
    /// w at a time with `n_risk` at risk and pooled Ŝ(t−) = `survival_before`.
    pub(super) fn at(self, n_risk: usize, survival_before: f64) -> f64 {
        match self {
            Weight::LogRank => 1.0,
            Weight::FlemingHarrington { p, q } => {
                survival_before.powf(p) * (1.0 - survival_before).powf(q)
            }
            Weight::GehanBreslow => n_risk as f64,
            Weight::TaroneWare => (n_risk as f64).sqrt(),
        }
    }

    /// The exponents, if any, are finite and ≥ 0.
    pub(super) fn invalid_exponent(self) -> Option<f64> {
        match self {
            Weight::FlemingHarrington { p, q } => {
                [p, q].into_iter().find(|x| !(x.is_finite() && *x >= 0.0))
            }
            _ => None,
        }
    }
}
