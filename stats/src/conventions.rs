//! The conventions every number depends on, named, with the R / SAS /
//! lifelines option each one matches.
//!
//! One [`Conventions`] value travels with every analysis and is printed with
//! every result, so that a reader can reproduce the number elsewhere.

use std::fmt;
use std::str::FromStr;

/// Transform used for pointwise confidence intervals of S(t) and, through
/// Brookmeyer–Crowley, of its quantiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CiTransform {
    /// log(−log S): SAS `PROC LIFETEST` `CONFTYPE=LOGLOG` (its default),
    /// lifelines, GraphPad Prism; R `survfit(conf.type = "log-log")`.
    LogLog,
    /// log S: R `survfit` default (`conf.type = "log"`), SAS `CONFTYPE=LOG`.
    Log,
    /// S itself (linear): R `conf.type = "plain"`, SAS `CONFTYPE=LINEAR`.
    Plain,
}

/// How a quantile (the median) is read off a step function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MedianRule {
    /// The first time at which S(t) ≤ p (lifelines; the textbook definition).
    FirstLeHalf,
    /// As [`MedianRule::FirstLeHalf`], except that when S(t) equals p exactly
    /// on a flat stretch the midpoint of that stretch is taken
    /// (R `survfit`/`quantile.survfit`, SAS `PROC LIFETEST`).
    Midpoint,
}

/// Handling of tied event times in the Cox partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ties {
    /// Efron's approximation: R `coxph` default, lifelines.
    Efron,
    /// Breslow's approximation: SAS `PROC PHREG` default.
    Breslow,
}

/// Denominator of response rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Denominator {
    /// Every treated patient, NE included (FDA's convention for ORR).
    AllTreated,
    /// Response-evaluable patients only (NE excluded).
    Evaluable,
}

/// Confidence interval for a binomial proportion (ORR, DCR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinomialCi {
    /// Exact Clopper–Pearson interval: R `binom.test`, SAS `BINOMIAL(EXACT)`,
    /// statsmodels `proportion_confint(method="beta")`.
    ClopperPearson,
    /// Wilson score interval without continuity correction: R `prop.test(correct = FALSE)`,
    /// statsmodels `proportion_confint(method="wilson")`.
    Wilson,
    /// Wilson score interval with continuity correction: R `prop.test(correct = TRUE)`
    /// (Newcombe 1998, method 4).
    WilsonCc,
    /// Wald (normal approximation) interval, clipped to [0, 1]: statsmodels
    /// `proportion_confint(method="normal")`, SAS `BINOMIAL` default.
    Wald,
    /// Wald interval with continuity correction 1/(2n), clipped to [0, 1]
    /// (Fleiss, Levin & Paik 2003; SAS `BINOMIAL(CORRECT)`).
    WaldCc,
    /// Jeffreys interval: equal-tailed Beta(k + ½, n − k + ½) quantiles, 0 at
    /// k = 0 and 1 at k = n (Brown, Cai & DasGupta 2001).
    Jeffreys,
    /// Agresti–Coull interval: Wald around (k + z²/2)/(n + z²), clipped to
    /// [0, 1]: statsmodels `proportion_confint(method="agresti_coull")`.
    AgrestiCoull,
}

/// Confidence interval for the difference p₁ − p₂ of two response rates,
/// arm − reference ([`crate::two_proportions::proportion_difference`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DifferenceCi {
    /// Wald: d ± z·√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), clipped to [−1, 1]: R
    /// `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$conf.int`, SAS
    /// `RISKDIFF(CL=WALD)`, statsmodels `confint_proportions_2indep(method="wald")`
    /// (which does not clip); Newcombe (1998) method 1.
    Wald,
    /// Wald widened by min(½(1/n₁ + 1/n₂), |d|), clipped to [−1, 1]: R
    /// `prop.test(c(x1, x2), c(n1, n2), correct = TRUE)$conf.int`. SAS
    /// `RISKDIFF(CL=WALD(CORRECT))` and Newcombe's method 2 add the full
    /// ½(1/n₁ + 1/n₂) also where |d| is smaller.
    WaldCc,
    /// Newcombe's hybrid score interval from the two Wilson intervals
    /// (Newcombe 1998, method 10): SAS `RISKDIFF(CL=NEWCOMBE)`, statsmodels
    /// `confint_proportions_2indep(method="newcomb")`. The default: it stays
    /// in [−1, 1], has width at every edge (0/n against 0/n, n = 1), needs no
    /// iteration and covers close to the nominal level (Newcombe 1998;
    /// Fagerland, Lydersen & Laake 2011), where Wald collapses to a point
    /// at 0/n against 0/n.
    #[default]
    Newcombe,
    /// Newcombe's method 11: as [`DifferenceCi::Newcombe`] from the
    /// continuity-corrected Wilson intervals of R `prop.test(x, n, correct =
    /// TRUE)` ([`BinomialCi::WilsonCc`]; SAS `RISKDIFF(CL=NEWCOMBE(CORRECT))`
    /// except at x = n/2, where R drops the correction).
    NewcombeCc,
    /// Miettinen–Nurminen (1985) score interval, with the N/(N − 1) variance
    /// factor: SAS `RISKDIFF(CL=MN)`.
    MiettinenNurminen,
    /// Anderson–Hauck: d ± (1/(2·min(n₁, n₂)) + z·√(p₁(1−p₁)/(n₁−1) + p₂(1−p₂)/(n₂−1))),
    /// clipped to [−1, 1] (Hauck & Anderson 1986): SAS `RISKDIFF(CL=HA)`.
    /// Undefined when n₁ or n₂ is 1.
    AndersonHauck,
}

/// A named set of conventions, as a statistician would recognise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// cohortscope's default: log-log CI, midpoint median rule, Efron ties,
    /// all-treated denominator, Clopper–Pearson.
    Default,
    /// SAS `PROC LIFETEST` / `PROC PHREG` defaults: log-log, midpoint, Breslow.
    Sas,
    /// R `survival` defaults: log CI, midpoint, Efron.
    R,
    /// lifelines defaults: log-log CI, first S ≤ 0.5, Efron.
    Lifelines,
}

/// Every convention an analysis depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conventions {
    pub ci_transform: CiTransform,
    /// Confidence level, 0 < level < 1 (0.95 for 95% intervals).
    pub conf_level: f64,
    pub median_rule: MedianRule,
    pub ties: Ties,
    pub denominator: Denominator,
    pub binomial_ci: BinomialCi,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions::preset(Preset::Default)
    }
}

impl Conventions {
    /// The conventions of a named preset.
    pub fn preset(preset: Preset) -> Self {
        let (ci_transform, median_rule, ties) = match preset {
            Preset::Default => (CiTransform::LogLog, MedianRule::Midpoint, Ties::Efron),
            Preset::Sas => (CiTransform::LogLog, MedianRule::Midpoint, Ties::Breslow),
            Preset::R => (CiTransform::Log, MedianRule::Midpoint, Ties::Efron),
            Preset::Lifelines => (CiTransform::LogLog, MedianRule::FirstLeHalf, Ties::Efron),
        };
        Conventions {
            ci_transform,
            conf_level: 0.95,
            median_rule,
            ties,
            denominator: Denominator::AllTreated,
            binomial_ci: BinomialCi::ClopperPearson,
        }
    }
}

/// Error for a convention name that is not recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownConvention {
    /// What kind of convention was being parsed ("CI transform", …).
    pub kind: &'static str,
    /// The text that was given.
    pub given: String,
    /// The accepted names.
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}: expected one of {}",
            self.kind,
            self.given,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownConvention {}

/// Gives an enum its canonical names (used on the command line, in JSON and
/// in links) and parses them back.
macro_rules! named {
    ($ty:ident, $kind:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// All accepted names, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The canonical name.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownConvention;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($name => Ok($ty::$variant),)+
                    _ => Err(UnknownConvention { kind: $kind, given: s.to_string(), expected: Self::NAMES }),
                }
            }
        }
    };
}

named!(CiTransform, "CI transform", { LogLog => "log-log", Log => "log", Plain => "plain" });
named!(MedianRule, "median rule", { FirstLeHalf => "first-le-half", Midpoint => "midpoint" });
named!(Ties, "ties method", { Efron => "efron", Breslow => "breslow" });
named!(Denominator, "denominator", { AllTreated => "all-treated", Evaluable => "evaluable" });
named!(BinomialCi, "binomial CI method", {
    ClopperPearson => "clopper-pearson",
    Wilson => "wilson",
    WilsonCc => "wilson-cc",
    Wald => "wald",
    WaldCc => "wald-cc",
    Jeffreys => "jeffreys",
    AgrestiCoull => "agresti-coull",
});
named!(DifferenceCi, "difference CI method", {
    Wald => "wald",
    WaldCc => "wald-cc",
    Newcombe => "newcombe",
    NewcombeCc => "newcombe-cc",
    MiettinenNurminen => "miettinen-nurminen",
    AndersonHauck => "anderson-hauck",
});
named!(Preset, "preset", { Default => "default", Sas => "sas", R => "r", Lifelines => "lifelines" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in CiTransform::NAMES {
            assert_eq!(name.parse::<CiTransform>().unwrap().as_str(), *name);
        }
        for name in Preset::NAMES {
            assert_eq!(name.parse::<Preset>().unwrap().as_str(), *name);
        }
        assert_eq!(" Log-Log ".parse::<CiTransform>(), Ok(CiTransform::LogLog));
    }

    #[test]
    fn unknown_name_lists_the_accepted_ones() {
        let err = "loglog".parse::<CiTransform>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown CI transform \"loglog\": expected one of log-log, log, plain"
        );
    }

    #[test]
    fn presets_match_their_software() {
        let sas = Conventions::preset(Preset::Sas);
        assert_eq!(
            (sas.ci_transform, sas.ties),
            (CiTransform::LogLog, Ties::Breslow)
        );
        let r = Conventions::preset(Preset::R);
        assert_eq!(
            (r.ci_transform, r.median_rule),
            (CiTransform::Log, MedianRule::Midpoint)
        );
        let lifelines = Conventions::preset(Preset::Lifelines);
        assert_eq!(lifelines.median_rule, MedianRule::FirstLeHalf);
        assert_eq!(Conventions::default().conf_level, 0.95);
    }
}
