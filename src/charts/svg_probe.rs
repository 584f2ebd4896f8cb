//! Test helper: the elements of an SVG written by plotters' `SVGBackend`, for
//! assertions on what a chart drew.

/// One SVG element: its tag, attributes and text content.
#[derive(Debug, Clone)]
pub struct Element {
    pub tag: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    /// An attribute's value, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric attribute (panics in the test if absent).
    pub fn num(&self, name: &str) -> f64 {
        self.attr(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{} has no numeric {name}: {:?}", self.tag, self.attrs))
    }

    /// The points of a polyline or polygon.
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.attr("points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect()
    }
}

/// All elements of `svg` in document order (plotters writes one per tag).
pub fn parse(svg: &str) -> Vec<Element> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("unterminated tag");
        let tag_body = &rest[..end];
        rest = &rest[end + 1..];
        if tag_body.starts_with('/') || tag_body.starts_with('?') || tag_body.starts_with('!') {
            continue;
        }
        let self_closing = tag_body.ends_with('/');
        let body = tag_body.trim_end_matches('/');
        let (tag, attr_text) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        let text = if !self_closing && tag == "text" {
            let close = rest.find("</text>").expect("unterminated text");
            unescape(rest[..close].trim_matches('\n'))
        } else {
            String::new()
        };
        out.push(Element {
            tag: tag.to_string(),
            attrs: attributes(attr_text),
            text,
        });
    }
    out
}

fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Some(eq) = s.find("=\"") {
        let name = s[..eq].trim().to_string();
        let after = &s[eq + 2..];
        let close = after.find('"').expect("unterminated attribute");
        out.push((name, unescape(&after[..close])));
        s = &after[close + 1..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text elements whose content equals `content`.
pub fn texts<'a>(elements: &'a [Element], content: &str) -> Vec<&'a Element> {
    elements
        .iter()
        .filter(|e| e.tag == "text" && e.text == content)
        .collect()
}

/// Write `svg` to `target/charts/<name>.svg` for a person to look at.
pub fn save(name: &str, svg: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/charts");
    std::fs::create_dir_all(&dir).expect("create target/charts");
    std::fs::write(dir.join(format!("{name}.svg")), svg).expect("write svg");
}
