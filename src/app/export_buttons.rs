//! The "SVG" and "PNG" buttons under a chart.

use yew::prelude::*;

use super::export::{self, PngDrawFn, SvgDrawFn};

/// Width of an exported chart in CSS pixels (a journal's two-column figure
/// at 96 dpi is about 7 inches).
pub const EXPORT_WIDTH: u32 = 720;

#[derive(Properties, Clone)]
pub struct ExportButtonsProps {
    /// File name without extension.
    pub name: AttrValue,
    pub height: u32,
    pub svg: SvgDrawFn,
    pub png: PngDrawFn,
}

impl PartialEq for ExportButtonsProps {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.height == other.height
            && std::rc::Rc::ptr_eq(&self.svg, &other.svg)
            && std::rc::Rc::ptr_eq(&self.png, &other.png)
    }
}

#[component]
pub fn ExportButtons(props: &ExportButtonsProps) -> Html {
    let svg = {
        let p = props.clone();
        Callback::from(move |_: MouseEvent| {
            export::download_svg(&format!("{}.svg", p.name), EXPORT_WIDTH, p.height, &p.svg)
        })
    };
    let png = {
        let p = props.clone();
        Callback::from(move |_: MouseEvent| {
            export::download_png(&format!("{}.png", p.name), EXPORT_WIDTH, p.height, &p.png)
        })
    };
    html! {
        <span class="exports">
            <button type="button" class="export" onclick={svg}>{ "SVG" }</button>
            <button type="button" class="export" onclick={png}>{ "PNG (2×)" }</button>
        </span>
    }
}
