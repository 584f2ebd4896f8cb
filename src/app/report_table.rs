//! The report table component: a header, labelled rows and a CSV download.

use yew::prelude::*;

use super::export;
pub use crate::figures::table::Row;

#[derive(Properties, PartialEq)]
pub struct ReportTableProps {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub caption: AttrValue,
    /// File name of the CSV export.
    pub file: AttrValue,
}

/// The table with its CSV download.
#[component]
pub fn ReportTable(props: &ReportTableProps) -> Html {
    let download = {
        let header = props.header.clone();
        let rows = props.rows.clone();
        let file = props.file.clone();
        Callback::from(move |_: MouseEvent| {
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(label, cells)| {
                    std::iter::once(label.clone())
                        .chain(cells.iter().cloned())
                        .collect()
                })
                .collect();
            export::download_text(&file, "text/csv", &export::csv_text(&header, &body));
        })
    };
    html! {
        <div class="table-block">
            <table class="report">
                <caption>{ props.caption.clone() }</caption>
                <thead><tr>{ for props.header.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                <tbody>
                    { for props.rows.iter().map(|(label, cells)| html! {
                        <tr><th scope="row">{ label }</th>{ for cells.iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="export" onclick={download}>{ "Table as CSV" }</button>
        </div>
    }
}
