//! The conventions of an analysis as they are printed and serialised: every
//! number in a report depends on these, so every report names them.

use serde::Serialize;

use crate::stats::conventions::{Conventions, Preset};

/// [`Conventions`] by their canonical names (`"log-log"`, `"midpoint"`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionNames {
    /// Pointwise limits of S(t) and, through Brookmeyer–Crowley, of its quantiles.
    pub ci_transform: &'static str,
    pub conf_level: f64,
    pub median_rule: &'static str,
    /// Cox partial likelihood.
    pub ties: &'static str,
    /// Denominator of ORR and DCR.
    pub denominator: &'static str,
    /// Interval of ORR and DCR.
    pub binomial_ci: &'static str,
}

impl From<&Conventions> for ConventionNames {
    fn from(c: &Conventions) -> Self {
        ConventionNames {
            ci_transform: c.ci_transform.as_str(),
            conf_level: c.conf_level,
            median_rule: c.median_rule.as_str(),
            ties: c.ties.as_str(),
            denominator: c.denominator.as_str(),
            binomial_ci: c.binomial_ci.as_str(),
        }
    }
}

/// The conventions of `preset` (or the default preset), with the explicitly
/// chosen ones put over them: a preset sets defaults, explicit choices win.
pub fn with_overrides(preset: Option<Preset>, apply: impl FnOnce(&mut Conventions)) -> Conventions {
    let mut conventions = Conventions::preset(preset.unwrap_or(Preset::Default));
    apply(&mut conventions);
    conventions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::conventions::{CiTransform, Ties};

    #[test]
    fn explicit_choices_override_the_preset() {
        let c = with_overrides(Some(Preset::Sas), |c| c.ci_transform = CiTransform::Plain);
        assert_eq!(
            (c.ci_transform, c.ties),
            (CiTransform::Plain, Ties::Breslow)
        );
        let names = ConventionNames::from(&c);
        assert_eq!(
            (names.ci_transform, names.ties, names.median_rule),
            ("plain", "breslow", "midpoint")
        );
        assert_eq!(
            (names.denominator, names.binomial_ci),
            ("all-treated", "clopper-pearson")
        );
    }
}
