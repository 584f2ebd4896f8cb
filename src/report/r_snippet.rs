//! The R script that reproduces, from the exported cohort CSV, the numbers
//! the page shows for a view: per column of the report table (all patients,
//! then each group) the patients, response counts and rates, tumour
//! reduction, time to response, events, Kaplan–Meier medians with
//! Brookmeyer–Crowley limits, the milestone rates at [`LANDMARK_MONTHS`]
//! (the ongoing responses for the duration of response) and the median
//! follow-up; per endpoint the log-rank test and the Cox hazard ratios of
//! the Kaplan–Meier view.
//!
//! It needs only R's `survival` package (written for R 4.2 and survival
//! 3.5; `tests/r_snippet.rs` runs it and compares every number with the
//! page's: the report table's [`columns`](super::view::columns), one
//! [`analyze`](super::analysis::analyze) each, and
//! [`survival`](super::view::survival)). Where R's own defaults differ from
//! the page's conventions the script computes the page's number and says in
//! a comment what R would give: `print(survfit)` and `quantile.survfit` read
//! median limits off the pointwise interval curves (the page, like SAS, uses
//! Brookmeyer–Crowley), `quantile.survfit` takes the midpoint where S(t) is
//! exactly 0.5 on a flat stretch (the lifelines rule does not), `survfit`
//! gives NA log-log limits where S(t) = 1 after a censoring (the page gives
//! 1), and `summary(survfit, times =)` leaves out a milestone past the last
//! observed time, where the page shows "not estimable" and the script NA.
//! Where the Cox likelihood has no maximum `coxph` still prints a hazard
//! ratio, with a warning that the script keeps beside it; the page fits no
//! model there.
//!
//! Every name and label from the data reaches the script as an R string
//! literal ([`r_string`]) or inside a comment with its line breaks removed
//! ([`comment_text`]): nothing from a file can become R code.

use std::fmt::Write;

use super::analysis::{follow_up_keys, DOR, LANDMARK_MONTHS};
use super::view::Subset;
use crate::data::Cohort;
use crate::stats::conventions::{BinomialCi, Conventions, Denominator, MedianRule};

/// File name of the cohort CSV the script reads ([`Cohort::to_csv`]).
pub const COHORT_CSV: &str = "cohort.csv";

/// The grouping of the report: a categorical column and its groups.
#[derive(Debug, Clone, Copy)]
pub struct Grouping<'a> {
    pub column: &'a str,
    /// The groups in the page's order ([`subsets`](super::view::subsets));
    /// the first is the reference of the hazard ratios.
    pub groups: &'a [Subset],
}

/// The view the script reproduces.
#[derive(Debug, Clone, Copy)]
pub struct RView<'a> {
    /// The cohort as exported: the rows of [`COHORT_CSV`], filters applied.
    pub cohort: &'a Cohort,
    pub grouping: Option<Grouping<'a>>,
    /// The filters applied before the export, as the page describes them
    /// (written as comments).
    pub filters: &'a [String],
    pub conventions: &'a Conventions,
    /// The endpoint of the Kaplan–Meier figure (drawn only when survminer
    /// is installed).
    pub figure: Option<&'a str>,
}

/// An R string literal: quotes, backslashes and control characters escaped,
/// every character outside ASCII as `\u{…}`/`\U{…}` (so the script reads
/// the same in any locale).
pub fn r_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() => out.push(c),
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{{{:x}}}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Text for a comment: every control character and line or paragraph
/// separator becomes a space, so that the text cannot end the comment.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `c("a", "b")`.
fn r_vector<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    let items: Vec<String> = items.into_iter().map(r_string).collect();
    format!("c({})", items.join(", "))
}

/// The script for `view`.
pub fn r_snippet(view: &RView) -> String {
    let mut out = String::new();
    header(&mut out, view);
    columns(&mut out, view);
    if view.cohort.best_response.is_some() {
        responses(&mut out, view);
    }
    let endpoints: Vec<&str> = view
        .cohort
        .endpoint(DOR)
        .into_iter()
        .chain(view.cohort.endpoints.iter().filter(|e| e.key != DOR))
        .map(|e| e.key.as_str())
        .collect();
    if !endpoints.is_empty() {
        survival(&mut out, view, &endpoints);
    }
    let follow_up_keys = follow_up_keys(view.cohort.endpoints.iter().map(|e| e.key.as_str()));
    if !follow_up_keys.is_empty() {
        follow_up(&mut out, &follow_up_keys);
    }
    if view.grouping.is_some() && !endpoints.is_empty() {
        comparisons(&mut out, view);
    }
    if let Some(key) = view.figure.filter(|k| view.cohort.endpoint(k).is_some()) {
        figure(&mut out, key, view.grouping.is_some());
    }
    out
}

fn header(out: &mut String, view: &RView) {
    let c = view.conventions;
    let median = match c.median_rule {
        MedianRule::Midpoint => "medians by the midpoint rule",
        MedianRule::FirstLeHalf => "medians at the first time S(t) <= 0.5",
    };
    let rates = match c.denominator {
        Denominator::AllTreated => "all treated patients",
        Denominator::Evaluable => "response-evaluable patients (NE excluded)",
    };
    let interval = match c.binomial_ci {
        BinomialCi::ClopperPearson => "exact Clopper-Pearson intervals (binom.test)",
        BinomialCi::Wilson => "Wilson intervals (prop.test, correct = FALSE)",
        BinomialCi::WilsonCc => "Wilson intervals with continuity correction (prop.test)",
        BinomialCi::Wald => "Wald intervals, clipped to [0, 1]",
        BinomialCi::WaldCc => "Wald intervals with continuity correction, clipped to [0, 1]",
        BinomialCi::Jeffreys => "Jeffreys intervals (Beta(k + 1/2, n - k + 1/2) quantiles)",
        BinomialCi::AgrestiCoull => "Agresti-Coull intervals, clipped to [0, 1]",
    };
    let _ = writeln!(
        out,
        "# Reproduces the numbers cohortscope shows, from the CSV it exported: run it with\n\
         # Rscript in the folder that holds {COHORT_CSV}. Needs the R package survival (written\n\
         # for R 4.2 and survival 3.5); survminer, when installed, only draws the figure.\n\
         #\n\
         # Conventions, as on the page: confidence level {level}; Kaplan-Meier pointwise\n\
         # intervals on the {transform} scale (survfit conf.type); {median} with\n\
         # Brookmeyer-Crowley limits; Cox ties: {ties}; ORR and DCR over {rates}\n\
         # with {interval}.",
        level = c.conf_level,
        transform = c.ci_transform,
        ties = c.ties,
    );
    if !view.filters.is_empty() {
        out.push_str("# Filters applied before the export (the CSV holds only the rows kept):\n");
        for f in view.filters {
            let _ = writeln!(out, "#   {}", comment_text(f));
        }
    }
    let mut text_columns = vec!["patient_id".to_string()];
    if view.cohort.best_response.is_some() {
        text_columns.push("best_response".to_string());
    }
    if let Some(g) = &view.grouping {
        text_columns.push(g.column.to_string());
    }
    let classes: Vec<String> = text_columns
        .iter()
        .map(|name| format!("{} = \"character\"", r_string(name)))
        .collect();
    let _ = writeln!(
        out,
        "library(survival)\n\
         level <- {level}\n\
         conf_type <- \"{transform}\"\n\
         d <- read.csv({file}, check.names = FALSE, na.strings = \"\", encoding = \"UTF-8\",\n\
         \x20             colClasses = c({classes}))",
        level = c.conf_level,
        transform = c.ci_transform,
        file = r_string(COHORT_CSV),
        classes = classes.join(", "),
    );
}

fn columns(out: &mut String, view: &RView) {
    match &view.grouping {
        Some(g) => {
            let name = comment_text(g.column);
            let _ = writeln!(
                out,
                "\n# The report's columns: all patients, then the groups of {name} in the page's\n\
                 # order (the first is the reference of the hazard ratios); a patient with a\n\
                 # blank {name} is in no group.\n\
                 d$group <- factor(d[[{column}]], levels = {levels})\n\
                 columns <- c(list(\"All patients\" = d), split(d, d$group))",
                column = r_string(g.column),
                levels = r_vector(g.groups.iter().map(|s| s.label.as_str())),
            );
        }
        None => out.push_str("columns <- list(\"All patients\" = d)\n"),
    }
    out.push_str(
        "patients <- data.frame(column = names(columns), n = sapply(columns, nrow), row.names = NULL)\n\
         print(patients)\n",
    );
}

fn responses(out: &mut String, view: &RView) {
    let c = view.conventions;
    let (denominator, n) = match c.denominator {
        Denominator::AllTreated => (
            "all treated patients\n# (every recorded response, NE included)",
            "length(r)",
        ),
        Denominator::Evaluable => (
            "the response-evaluable\n# patients (every recorded response but NE)",
            "sum(r != \"NE\")",
        ),
    };
    let interval = match c.binomial_ci {
        BinomialCi::ClopperPearson => "binom.test(k, n, conf.level = level)$conf.int",
        BinomialCi::Wilson => {
            "suppressWarnings(prop.test(k, n, conf.level = level, correct = FALSE))$conf.int"
        }
        BinomialCi::WilsonCc => {
            "suppressWarnings(prop.test(k, n, conf.level = level, correct = TRUE))$conf.int"
        }
        BinomialCi::Wald => {
            "local({ p <- k / n; h <- qnorm((1 + level) / 2) * sqrt(p * (1 - p) / n); \
             c(max(0, p - h), min(1, p + h)) })"
        }
        BinomialCi::WaldCc => {
            "local({ p <- k / n; h <- qnorm((1 + level) / 2) * sqrt(p * (1 - p) / n) + 0.5 / n; \
             c(max(0, p - h), min(1, p + h)) })"
        }
        BinomialCi::Jeffreys => {
            "c(if (k == 0) 0 else qbeta((1 - level) / 2, k + 0.5, n - k + 0.5), \
             if (k == n) 1 else qbeta((1 + level) / 2, k + 0.5, n - k + 0.5))"
        }
        BinomialCi::AgrestiCoull => {
            "local({ z <- qnorm((1 + level) / 2); m <- n + z^2; p <- (k + z^2 / 2) / m; \
             h <- z * sqrt(p * (1 - p) / m); c(max(0, p - h), min(1, p + h)) })"
        }
    };
    let cohort = view.cohort;
    let change = cohort.best_pct_change.is_some();
    let ttr = cohort.ttr.is_some();
    let mut extra = String::new();
    if change {
        extra.push_str("  change <- x$best_pct_change[!is.na(x$best_pct_change)]\n");
    }
    if ttr {
        extra.push_str(
            "  ttr <- x$ttr_months[x$best_response %in% c(\"CR\", \"PR\") & !is.na(x$ttr_months)]\n\
             \x20 ttr_range <- if (length(ttr)) range(ttr) else c(NA, NA)\n",
        );
    }
    let mut fields = String::new();
    if change {
        fields.push_str(",\n    reduction_k = sum(change < 0), reduction_n = length(change)");
    }
    if ttr {
        fields.push_str(
            ",\n    ttr_n = length(ttr), ttr_median = median(ttr), ttr_min = ttr_range[1], ttr_max = ttr_range[2]",
        );
    }
    let mut what = String::new();
    if change {
        what.push_str(
            "\n# Tumour reduction: a best change below 0 among the patients with a measurement.",
        );
    }
    if ttr {
        what.push_str(
            "\n# Time to response: sample median and range among the responders (CR, PR) with a time.",
        );
    }
    let _ = writeln!(
        out,
        "\n# Best overall response. A blank response (none recorded) is left out of every\n\
         # count. ORR = CR + PR and DCR = CR + PR + SD over {denominator}.{what}\n\
         rate <- function(name, k, n) {{\n\
         \x20 ci <- if (n > 0) {interval} else c(NA, NA)\n\
         \x20 setNames(data.frame(k, n, k / n, ci[1], ci[2]), paste0(name, c(\"_k\", \"_n\", \"\", \"_lower\", \"_upper\")))\n\
         }}\n\
         responses <- NULL\n\
         for (column in names(columns)) {{\n\
         \x20 x <- columns[[column]]\n\
         \x20 r <- x$best_response[!is.na(x$best_response)]\n\
         \x20 n <- {n}\n\
         {extra}\
         \x20 responses <- rbind(responses, data.frame(column,\n\
         \x20   CR = sum(r == \"CR\"), PR = sum(r == \"PR\"), SD = sum(r == \"SD\"), PD = sum(r == \"PD\"), NE = sum(r == \"NE\"),\n\
         \x20   rate(\"orr\", sum(r %in% c(\"CR\", \"PR\")), n), rate(\"dcr\", sum(r %in% c(\"CR\", \"PR\", \"SD\")), n){fields}))\n\
         }}\n\
         print(responses, digits = 3)",
    );
}

fn survival(out: &mut String, view: &RView, endpoints: &[&str]) {
    let estimate = match view.conventions.median_rule {
        MedianRule::Midpoint => {
            "# The estimate is quantile(fit)'s: the first time S(t) <= 0.5, or the midpoint of\n\
             # the stretch where S(t) is exactly 0.5."
        }
        MedianRule::FirstLeHalf => {
            "# The estimate is the first time S(t) <= 0.5 (S = 0.5 up to round-off), as\n\
             # lifelines; quantile(fit) would take the midpoint of a stretch where S(t) is\n\
             # exactly 0.5."
        }
    };
    let median = match view.conventions.median_rule {
        MedianRule::Midpoint => "unname(quantile(fit, 0.5, conf.int = FALSE))",
        MedianRule::FirstLeHalf => "fit$time[which(fit$surv <= 0.5 * (1 + 1e-9))[1]]",
    };
    let milestones: Vec<String> = LANDMARK_MONTHS.iter().map(f64::to_string).collect();
    let _ = writeln!(
        out,
        "\n# Kaplan-Meier medians with Brookmeyer-Crowley limits, as SAS PROC LIFETEST and\n\
         # the page compute them: the event times whose S(t) lies inside the pointwise\n\
         # interval of S = 0.5 (on the conf_type scale) form the confidence set; the lower\n\
         # limit is its first time, the upper the next event time after its last (NA: not\n\
         # reached). print(fit) and quantile(fit) read the limits off the pointwise interval\n\
         # curves instead, which mostly, not always, agrees.\n\
         {estimate}\n\
         km <- function(time, event) survfit(Surv(time, event) ~ 1, conf.type = conf_type, conf.int = level)\n\
         median_bc <- function(fit) {{\n\
         \x20 e <- fit$n.event > 0\n\
         \x20 t <- fit$time[e]; s <- fit$surv[e]; se <- fit$std.err[e]   # std.err: Greenwood, of log S\n\
         \x20 g <- switch(conf_type, \"log-log\" = function(x) log(-log(x)), log = log, plain = identity)\n\
         \x20 half <- qnorm((1 + level) / 2) * switch(conf_type, \"log-log\" = se / -log(s), log = se, plain = s * se)\n\
         \x20 inside <- which(s > 0 & abs(g(s) - g(0.5)) <= half)\n\
         \x20 if (length(inside) == 0) inside <- NA_integer_\n\
         \x20 c(median = {median},\n\
         \x20   lower = t[inside[1]], upper = t[inside[length(inside)] + 1])\n\
         }}\n\
         \n\
         # Per endpoint and column: patients, events, censored (for the duration of response:\n\
         # the responses ongoing at the cutoff), the median, and S(t) with pointwise limits at\n\
         # the page's milestones (months). Past the last observed time S(t) is not estimable:\n\
         # the page shows \"not estimable\" and summary(fit, times =) leaves the milestone out\n\
         # (it stops when none is left); this script asks with extend = TRUE, to keep one row\n\
         # per milestone, and writes NA there instead of the last value carried on. Where\n\
         # S(t) = 1 after a censoring, survfit gives NA log-log limits; the page, SAS and\n\
         # lifelines 1.\n\
         endpoints <- {keys}\n\
         milestones <- c({milestones})\n\
         medians <- NULL\n\
         rates <- NULL\n\
         for (key in endpoints) for (column in names(columns)) {{\n\
         \x20 x <- columns[[column]]\n\
         \x20 if (all(is.na(x[[paste0(key, \"_months\")]]))) next\n\
         \x20 fit <- km(x[[paste0(key, \"_months\")]], x[[paste0(key, \"_event\")]])\n\
         \x20 medians <- rbind(medians, data.frame(endpoint = key, column, n = fit$n, events = sum(fit$n.event),\n\
         \x20   censored = fit$n - sum(fit$n.event), t(median_bc(fit))))\n\
         \x20 s <- summary(fit, times = milestones, extend = TRUE)\n\
         \x20 past <- milestones > max(fit$time)\n\
         \x20 one <- s$surv == 1\n\
         \x20 rates <- rbind(rates, data.frame(endpoint = key, column, time = milestones,\n\
         \x20   surv = ifelse(past, NA, s$surv), lower = ifelse(past, NA, ifelse(one, 1, s$lower)),\n\
         \x20   upper = ifelse(past, NA, ifelse(one, 1, s$upper))))\n\
         }}\n\
         print(medians, digits = 4)\n\
         print(rates, digits = 4)",
        keys = r_vector(endpoints.iter().copied()),
        milestones = milestones.join(", "),
    );
}

fn follow_up(out: &mut String, keys: &[&str]) {
    let _ = writeln!(
        out,
        "\n# Median follow-up: the median of the reverse Kaplan-Meier curve (censorings as the\n\
         # events), same rule and limits, of the first of these endpoints with a time in the\n\
         # column (overall survival first; never the duration of response, which starts at\n\
         # the response).\n\
         follow_up_keys <- {keys}\n\
         follow_up <- NULL\n\
         for (column in names(columns)) {{\n\
         \x20 x <- columns[[column]]\n\
         \x20 key <- Find(function(k) any(!is.na(x[[paste0(k, \"_months\")]])), follow_up_keys)\n\
         \x20 if (is.null(key)) next\n\
         \x20 fit <- km(x[[paste0(key, \"_months\")]], 1 - x[[paste0(key, \"_event\")]])\n\
         \x20 follow_up <- rbind(follow_up, data.frame(column, endpoint = key, t(median_bc(fit))))\n\
         }}\n\
         print(follow_up, digits = 4)",
        keys = r_vector(keys.iter().copied()),
    );
}

fn comparisons(out: &mut String, view: &RView) {
    let _ = writeln!(
        out,
        "\n# Per endpoint, among the patients with a time and a group: the log-rank test and\n\
         # the Cox hazard ratios of each group against the first, with Wald limits. Where\n\
         # the likelihood has no maximum (a group without events, say) coxph warns that it\n\
         # did not converge or that a coefficient may be infinite, and the cox_warning column\n\
         # says so: those hazard ratios mean nothing, and the page shows none.\n\
         logrank <- NULL\n\
         hazard_ratios <- NULL\n\
         for (key in endpoints) {{\n\
         \x20 x <- d[!is.na(d$group) & !is.na(d[[paste0(key, \"_months\")]]), ]\n\
         \x20 group <- droplevels(x$group)\n\
         \x20 if (nlevels(group) < 2) next\n\
         \x20 time <- x[[paste0(key, \"_months\")]]\n\
         \x20 event <- x[[paste0(key, \"_event\")]]\n\
         \x20 test <- survdiff(Surv(time, event) ~ group)\n\
         \x20 df <- nlevels(group) - 1\n\
         \x20 logrank <- rbind(logrank, data.frame(endpoint = key, chisq = test$chisq, df, p = pchisq(test$chisq, df, lower.tail = FALSE)))\n\
         \x20 cox_warning <- \"\"\n\
         \x20 model <- withCallingHandlers(coxph(Surv(time, event) ~ group, ties = \"{ties}\"),\n\
         \x20   warning = function(w) cox_warning <<- conditionMessage(w))\n\
         \x20 hr <- summary(model, conf.int = level)$conf.int\n\
         \x20 hazard_ratios <- rbind(hazard_ratios, data.frame(endpoint = key, group = levels(group)[-1],\n\
         \x20   hr = hr[, 1], lower = hr[, 3], upper = hr[, 4], cox_warning, row.names = NULL))\n\
         }}\n\
         print(logrank, digits = 4)\n\
         print(hazard_ratios, digits = 3)",
        ties = view.conventions.ties,
    );
}

fn figure(out: &mut String, key: &str, grouped: bool) {
    let (rhs, group, pval) = if grouped {
        ("group", ", group = d$group", "TRUE")
    } else {
        ("1", "", "FALSE")
    };
    let _ = writeln!(
        out,
        "\n# The figure: Kaplan-Meier curves of {name} with their intervals and the numbers at risk.\n\
         if (requireNamespace(\"survminer\", quietly = TRUE)) {{\n\
         \x20 figure <- data.frame(time = d[[{months}]], event = d[[{event}]]{group})\n\
         \x20 fit <- survfit(Surv(time, event) ~ {rhs}, data = figure, conf.type = conf_type, conf.int = level)\n\
         \x20 print(survminer::ggsurvplot(fit, data = figure, conf.int = TRUE, risk.table = TRUE, pval = {pval}, xlab = \"Time (months)\"))\n\
         }}",
        name = comment_text(key),
        months = r_string(&format!("{key}_months")),
        event = r_string(&format!("{key}_event")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::report::view::subsets;
    use crate::stats::conventions::CiTransform;

    #[test]
    fn strings_and_comments_cannot_become_code() {
        assert_eq!(r_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(
            r_string("é ✓ 😀\u{1}"),
            "\"\\u{00e9} \\u{2713} \\U{1f600}\\x01\""
        );
        assert_eq!(
            comment_text("x\nsystem(\"rm\")\r\u{2028}y"),
            "x system(\"rm\")  y"
        );
    }

    fn cohort(csv: &str) -> Cohort {
        import_csv(csv.as_bytes().to_vec(), None).unwrap()
    }

    fn snippet(cohort: &Cohort, conventions: Conventions, grouping: Option<Grouping>) -> String {
        r_snippet(&RView {
            cohort,
            grouping,
            filters: &["arm is a\nq <- 1".to_string()],
            conventions: &conventions,
            figure: Some("os"),
        })
    }

    #[test]
    fn writes_only_the_sections_the_data_have() {
        let cohort = cohort("patient_id,os_months,os_event,arm\n1,3,1,b\n2,5,0,a\n");
        let s = snippet(&cohort, Conventions::default(), None);
        assert!(!s.contains("responses <-") && !s.contains("logrank <-"));
        assert!(s.contains("endpoints <- c(\"os\")") && s.contains("milestones <- c(6, 12, 24)"));
        assert!(s.contains("follow_up_keys <- c(\"os\")") && s.contains("patients <-"));
        assert!(s.contains("#   arm is a q <- 1\n"));
        assert!(s.contains("survfit(Surv(time, event) ~ 1,"));
        let groups = subsets(&cohort, Some("arm"));
        let grouping = Grouping {
            column: "arm",
            groups: &groups,
        };
        let s = snippet(&cohort, Conventions::default(), Some(grouping));
        assert!(s.contains("factor(d[[\"arm\"]], levels = c(\"a\", \"b\"))"));
        assert!(s.contains("logrank <-") && s.contains("~ group, data = figure"));
    }

    #[test]
    fn follows_the_conventions() {
        let cohort = cohort("patient_id,best_response,os_months,os_event\n1,PR,3,1\n2,NE,5,0\n");
        let conventions = Conventions {
            ci_transform: CiTransform::Plain,
            median_rule: MedianRule::FirstLeHalf,
            denominator: Denominator::Evaluable,
            binomial_ci: BinomialCi::Wilson,
            conf_level: 0.9,
            ..Conventions::default()
        };
        let s = snippet(&cohort, conventions, None);
        for expected in [
            "level <- 0.9\n",
            "conf_type <- \"plain\"\n",
            "n <- sum(r != \"NE\")",
            "prop.test(k, n, conf.level = level, correct = FALSE)",
            "fit$time[which(fit$surv <= 0.5 * (1 + 1e-9))[1]]",
        ] {
            assert!(s.contains(expected), "{expected}\n{s}");
        }
        assert!(!s.contains("reduction_k") && !s.contains("ttr_median"));
    }
}
