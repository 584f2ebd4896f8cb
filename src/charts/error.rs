//! The error every chart returns.

use std::fmt;

use plotters::drawing::DrawingAreaErrorKind;

/// Why a chart could not be drawn. Empty input is not an error: the chart
/// draws an explanatory message instead.
#[derive(Debug)]
#[non_exhaustive]
pub enum ChartError<E: std::error::Error + Send + Sync> {
    /// The backend or plotters failed (e.g. a canvas that is gone).
    Drawing(DrawingAreaErrorKind<E>),
    /// The style's scale factor is not a finite number above zero.
    InvalidScale(f64),
    /// A value in the input cannot be drawn (not finite, or out of its domain).
    InvalidValue {
        /// What the value is, e.g. "best % change of patient 101-004".
        what: String,
        /// The offending value.
        value: f64,
    },
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError<E> {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        Self::Drawing(error)
    }
}

impl<E: std::error::Error + Send + Sync> fmt::Display for ChartError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Drawing(error) => write!(f, "drawing failed: {error}"),
            Self::InvalidScale(scale) => {
                write!(f, "chart scale must be finite and > 0, got {scale}")
            }
            Self::InvalidValue { what, value } => write!(f, "cannot draw {what} = {value}"),
        }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> std::error::Error for ChartError<E> {}
