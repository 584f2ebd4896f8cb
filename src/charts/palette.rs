//! Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
//! distinguishable under the common forms of colour-vision deficiency, and the
//! light theme's greys.

use plotters::style::RGBColor;

use crate::stats::response::BestResponse;

/// Okabe–Ito black.
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
/// Okabe–Ito orange (#E69F00).
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// Okabe–Ito sky blue (#56B4E9).
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// Okabe–Ito bluish green (#009E73).
pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// Okabe–Ito yellow (#F0E442).
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
/// Okabe–Ito blue (#0072B2).
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe–Ito vermillion (#D55E00).
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Okabe–Ito reddish purple (#CC79A7).
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// Text and axis lines.
pub const INK: RGBColor = RGBColor(0x21, 0x21, 0x21);
/// Secondary text (captions, notes).
pub const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
/// Neutral fill (not evaluable, missing subgroup).
pub const NEUTRAL: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xE6, 0xE6, 0xE6);
/// The page background.
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Group colours in the order they are handed out: yellow comes last as it
/// has the least contrast on white.
const GROUP_ORDER: [RGBColor; 7] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    YELLOW,
];

/// The colour of the `index`-th group (treatment arm, subgroup value); cycles
/// after seven groups.
pub fn group_colour(index: usize) -> RGBColor {
    GROUP_ORDER[index % GROUP_ORDER.len()]
}

/// The colour of a best-response category: responses in blues and green,
/// stable disease orange, progression vermillion, not evaluable grey.
pub fn response_colour(response: BestResponse) -> RGBColor {
    match response {
        BestResponse::Cr => BLUE,
        BestResponse::Pr => BLUISH_GREEN,
        BestResponse::Sd => ORANGE,
        BestResponse::Pd => VERMILLION,
        BestResponse::Ne => NEUTRAL,
    }
}

/// `colour` as "#RRGGBB" (the form plotters writes into SVG).
pub fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_colours_are_distinct() {
        let colours: std::collections::HashSet<String> = BestResponse::ALL
            .iter()
            .map(|r| hex(response_colour(*r)))
            .collect();
        assert_eq!(colours.len(), BestResponse::ALL.len());
        assert_eq!(hex(response_colour(BestResponse::Pd)), "#D55E00");
    }

    #[test]
    fn group_colours_cycle() {
        assert_eq!(group_colour(0), group_colour(7));
        assert_ne!(group_colour(0), group_colour(1));
    }
}
