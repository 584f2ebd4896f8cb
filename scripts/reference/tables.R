# Reference values from R for cohortscope's comparison of two response rates,
# plain and stratified (stats/src/two_proportions.rs, stats/src/stratified.rs).
#
# Run from the repository root after tables.py (which writes counts.csv and
# two_sample_python.csv, whose count tables this script reuses):
#
#     Rscript scripts/reference/tables.R
#
# Base R only (stats). Writes tests/fixtures/tables/two_sample_r.csv and
# stratified_r.csv: long format, one value per row, the R version and the
# call in `source`, numbers with 17 significant digits, NaN where R gives NaN.
#
# Newcombe's hybrid score intervals (Newcombe 1998, methods 10 and 11) are
# composed here from R's own single-sample limits, prop.test(x, n, correct =
# FALSE / TRUE)$conf.int (Wilson; Wilson with R's continuity correction,
# which is min(1/2, |x - n/2|) and so none at x = n/2):
#   lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),
#   upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
# mantelhaen.test refuses strata of fewer than 2 patients ("sample size in
# each stratum must be > 1"); they contribute nothing to any of its sums, so
# the reference is the same call without them.

out <- "tests/fixtures/tables"
rver <- paste0("R ", R.version$major, ".", R.version$minor)
num <- function(x) sprintf("%.17g", x)
levels <- c(0.95, 0.9, 0.99)

rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- c(...)

tables <- unique(read.csv(file.path(out, "two_sample_python.csv"), check.names = FALSE,
                          colClasses = "character")[, c("dataset", "x1", "n1", "x2", "n2")])
for (i in seq_len(nrow(tables))) {
  key <- unlist(tables[i, ])
  x <- as.numeric(key[c("x1", "x2")])
  n <- as.numeric(key[c("n1", "n2")])
  d <- x[1] / n[1] - x[2] / n[2]
  for (level in levels) {
    for (correct in c(FALSE, TRUE)) {
      ci <- suppressWarnings(prop.test(x, n, conf.level = level, correct = correct)$conf.int)
      call <- sprintf("%s prop.test(c(x1, x2), c(n1, n2), conf.level = level, correct = %s)$conf.int", rver, correct)
      method <- if (correct) "wald-cc" else "wald"
      add(call, key, num(level), method, "lower", num(ci[1]))
      add(call, key, num(level), method, "upper", num(ci[2]))
      w1 <- suppressWarnings(prop.test(x[1], n[1], conf.level = level, correct = correct)$conf.int)
      w2 <- suppressWarnings(prop.test(x[2], n[2], conf.level = level, correct = correct)$conf.int)
      p <- x / n
      call <- sprintf("%s Newcombe (1998) method %d from prop.test(x, n, conf.level = level, correct = %s)$conf.int",
                      rver, if (correct) 11L else 10L, correct)
      method <- if (correct) "newcombe-cc" else "newcombe"
      add(call, key, num(level), method, "lower", num(d - sqrt((p[1] - w1[1])^2 + (w2[2] - p[2])^2)))
      add(call, key, num(level), method, "upper", num(d + sqrt((w1[2] - p[1])^2 + (p[2] - w2[1])^2)))
    }
  }
  pt <- suppressWarnings(prop.test(x, n, correct = FALSE))
  call <- sprintf("%s prop.test(c(x1, x2), c(n1, n2), correct = FALSE)", rver)
  add(call, key, "", "pearson", "statistic", num(pt$statistic))
  add(call, key, "", "pearson", "p_value", num(pt$p.value))
  m <- matrix(c(x[1], n[1] - x[1], x[2], n[2] - x[2]), 2, 2, byrow = TRUE)
  add(sprintf("%s fisher.test(matrix(c(x1, n1 - x1, x2, n2 - x2), 2, 2, byrow = TRUE))$p.value", rver),
      key, "", "fisher", "p_value", num(fisher.test(m)$p.value))
}
res <- do.call(rbind, rows)
colnames(res) <- c("source", "dataset", "x1", "n1", "x2", "n2", "level", "method", "item", "value")
write.csv(res, file.path(out, "two_sample_r.csv"), row.names = FALSE)

# Cochran-Mantel-Haenszel test and Mantel-Haenszel common odds ratio.
counts <- read.csv(file.path(out, "counts.csv"), check.names = FALSE, colClasses = "character")
comparisons <- list(
  c("random_cdisc_data", "A: Drug X", "B: Placebo"),
  c("random_cdisc_data", "C: Combination", "B: Placebo"),
  c("generated", "Experimental", "Control"),
  c("migraine", "Active", "Placebo"),
  c("agresti_centres", "Drug", "Control"),
  c("edge", "Arm", "Reference")
)
rows <- list()
for (cmp in comparisons) {
  d <- counts[counts$dataset == cmp[1] & counts$stratum != "all", ]
  strata <- sort(unique(d$stratum))
  cells <- c()
  for (s in strata) {
    a <- d[d$arm == cmp[2] & d$stratum == s, ]
    r <- d[d$arm == cmp[3] & d$stratum == s, ]
    xa <- as.numeric(a$responders); na <- as.numeric(a$patients)
    xr <- as.numeric(r$responders); nr <- as.numeric(r$patients)
    if (na + nr >= 2) cells <- c(cells, xa, xr, na - xa, nr - xr)
  }
  # dim 2 x 2 x K: [arm/reference, responder/non-responder, stratum]
  tab <- array(cells, dim = c(2, 2, length(cells) / 4))
  for (level in levels) {
    mh <- mantelhaen.test(tab, correct = FALSE, conf.level = level)
    call <- sprintf("%s mantelhaen.test(table, correct = FALSE, conf.level = level) [strata with >= 2 patients]", rver)
    if (level == levels[1]) {
      add(call, cmp, "", "cmh", "statistic", num(mh$statistic))
      add(call, cmp, "", "cmh", "p_value", num(mh$p.value))
    }
    add(call, cmp, num(level), "mh-odds-ratio", "estimate", num(mh$estimate))
    add(call, cmp, num(level), "mh-odds-ratio", "lower", num(mh$conf.int[1]))
    add(call, cmp, num(level), "mh-odds-ratio", "upper", num(mh$conf.int[2]))
  }
}
res <- do.call(rbind, rows)
colnames(res) <- c("source", "dataset", "arm", "reference", "level", "method", "item", "value")
write.csv(res, file.path(out, "stratified_r.csv"), row.names = FALSE)
