//! Best overall response (RECIST) and the rates derived from it.

use std::fmt;

/// Best overall response category, RECIST 1.1 (or 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BestResponse {
    /// Complete response.
    Cr,
    /// Partial response.
    Pr,
    /// Stable disease.
    Sd,
    /// Progressive disease.
    Pd,
    /// Not evaluable (no adequate post-baseline assessment).
    Ne,
}

impl BestResponse {
    /// All categories in reporting order.
    pub const ALL: [BestResponse; 5] = [Self::Cr, Self::Pr, Self::Sd, Self::Pd, Self::Ne];

    /// The standard abbreviation: "CR", "PR", "SD", "PD" or "NE".
    pub fn code(self) -> &'static str {
        match self {
            Self::Cr => "CR",
            Self::Pr => "PR",
            Self::Sd => "SD",
            Self::Pd => "PD",
            Self::Ne => "NE",
        }
    }

    /// CR or PR: counts towards the objective response rate.
    pub fn is_objective_response(self) -> bool {
        matches!(self, Self::Cr | Self::Pr)
    }

    /// CR, PR or SD: counts towards the disease control rate.
    pub fn is_disease_control(self) -> bool {
        matches!(self, Self::Cr | Self::Pr | Self::Sd)
    }
}

impl fmt::Display for BestResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
