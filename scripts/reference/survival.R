# Reference values for stats/src/km.rs and stats/src/logrank.rs from R survival.
#
# Run from the repository root, after scripts/reference/survival.py has written
# the lifelines data sets (the README order is: python, R, python):
#   Rscript scripts/reference/survival.R
# It (1) writes R survival's data sets and the edge cases to
# tests/fixtures/survival/data/<name>.csv (columns time,status,group,stratum;
# groups and strata as 0-based indices, labels in the comment header), then
# (2) computes survfit / quantile / print rmean / survdiff on every data set
# there and writes tests/fixtures/survival/r_*.csv. Expected values are never
# edited by hand.
suppressPackageStartupMessages(library(survival))

out <- "tests/fixtures/survival"
dat <- file.path(out, "data")
dir.create(dat, recursive = TRUE, showWarnings = FALSE)
version_line <- sprintf("# R survival %s, %s", packageVersion("survival"), R.version.string)

num <- function(x) ifelse(is.na(x) | is.nan(x) | !is.finite(x), "NA", sprintf("%.17g", x))

write_data <- function(name, source, time, status, group, stratum, note = "") {
  group <- as.factor(group); stratum <- as.factor(stratum)
  lines <- c(
    sprintf("# data set %s: %s", name, source), version_line,
    sprintf("# group labels (0..): %s", paste(levels(group), collapse = " | ")),
    sprintf("# stratum labels (0..): %s", paste(levels(stratum), collapse = " | ")),
    if (nzchar(note)) paste("#", note),
    "time,status,group,stratum",
    paste(num(time), as.integer(status), as.integer(group) - 1L, as.integer(stratum) - 1L, sep = ","))
  writeLines(lines, file.path(dat, paste0(name, ".csv")))
}

# ---- 1. data sets shipped with R survival, and edge cases -------------------
write_data("aml", "survival::aml, Surv(time, status) ~ x", aml$time, aml$status, aml$x, rep(1, nrow(aml)))
write_data("ovarian", "survival::ovarian, Surv(futime, fustat) ~ rx, strata resid.ds",
           ovarian$futime, ovarian$fustat, ovarian$rx, ovarian$resid.ds)
l <- lung[!is.na(lung$ph.ecog), ]
write_data("lung", "survival::lung without the row with missing ph.ecog, Surv(time, status == 2) ~ ph.ecog (ph.ecog 3 is one patient), strata sex",
           l$time, l$status == 2, l$ph.ecog, l$sex)
write_data("veteran", "survival::veteran, Surv(time, status) ~ celltype, strata trt",
           veteran$time, veteran$status, veteran$celltype, veteran$trt)
cd <- colon[colon$etype == 2, ]
write_data("colon", "survival::colon, etype == 2 (death), Surv(time, status) ~ rx, strata node4",
           cd$time, cd$status, cd$rx, cd$node4)
write_data("mgus2", "survival::mgus2, Surv(futime, death) ~ sex, strata pstat",
           mgus2$futime, mgus2$death, mgus2$sex, mgus2$pstat)

# Edge cases, built here so that their construction is on record.
write_data("edge_all_censored", "edge case: every subject censored",
           c(3, 1, 4, 1, 5, 9, 2, 6), rep(0, 8), rep(c("a", "b"), 4), rep(1, 8))
write_data("edge_ties_no_censoring", "edge case: no censoring, many ties (times 1..5, 3 groups)",
           rep(c(2, 5, 1, 4, 3, 2, 2, 5, 1, 3), 3), rep(1, 30), rep(c("a", "b", "c"), each = 10), rep(1, 30))
write_data("edge_flat_half", "edge case: S = 1/2 exactly on [5, 8) after censorings at 0.5 and 0.7 (S a product of fractions)",
           c(0.5, 0.7, 1:5, 6, 8, 9, 10, 11), c(0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0),
           rep(c("a", "b"), 6), rep(1, 12))
write_data("edge_one_patient_group", "edge case: three groups, the third a single patient",
           c(5, 8, 12, 3, 9, 14, 7, 2, 11, 6, 10, 4, 13, 1, 15), c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0),
           c(rep("a", 7), rep("b", 7), "c"), rep(1, 15))
write_data("edge_roundoff", "edge case: times equal up to round-off (cumulative sums of 0.1 against k/10); R aeqSurv merges them",
           c(cumsum(rep(0.1, 10)), (1:10) / 10), rep(c(1, 0, 1, 1), 5), rep(c("a", "b"), 10), rep(1, 20))

# ---- 2. references on every data set -----------------------------------------
files <- sort(list.files(dat, pattern = "\\.csv$", full.names = TRUE))
km_rows <- c(); q_rows <- c(); rm_rows <- c(); lr_rows <- c(); lm_rows <- c(); tr_rows <- c()
for (f in files) {
  name <- sub("\\.csv$", "", basename(f))
  d <- read.csv(f, comment.char = "#")
  d$status <- as.integer(d$status)
  for (level in c(0.95, 0.9)) {
    if (level == 0.9 && name != "lung") next
    for (ct in c("log", "log-log", "plain")) {
      fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct, conf.int = level)
      call <- sprintf("survfit(Surv(time, status) ~ 1, conf.type = '%s', conf.int = %s)", ct, level)
      # R's std.err is of log S (Greenwood); the SE of S is S * std.err.
      se_s <- ifelse(fit$surv > 0, fit$surv * fit$std.err, NA)
      km_rows <- c(km_rows, paste(name, ct, level, num(fit$time), fit$n.risk, fit$n.event, fit$n.censor,
                                  num(fit$surv), num(se_s), num(fit$lower), num(fit$upper), sep = ","))
      qs <- quantile(fit, probs = c(0.25, 0.5, 0.75))
      for (i in 1:3) {
        q_rows <- c(q_rows, paste(name, "forward", ct, level, c(0.25, 0.5, 0.75)[i],
                                  num(qs$quantile[i]), num(qs$lower[i]), num(qs$upper[i]),
                                  "quantile.survfit", sep = ","))
      }
      rev_fit <- survfit(Surv(time, 1 - status) ~ 1, data = d, conf.type = ct, conf.int = level)
      qr <- quantile(rev_fit, probs = 0.5)
      q_rows <- c(q_rows, paste(name, "reverse", ct, level, 0.5, num(qr$quantile), num(qr$lower), num(qr$upper),
                                "\"quantile.survfit(survfit(Surv(time, 1 - status) ~ 1))\"", sep = ","))
      # Landmarks: the quartiles of the observed times and a time before the first one.
      marks <- unique(c(min(d$time) / 2, as.numeric(quantile(d$time, c(0.25, 0.5, 0.75), type = 1))))
      sm <- summary(fit, times = marks)
      se_m <- ifelse(sm$surv > 0, sm$std.err, NA)  # summary's std.err is already the SE of S
      lm_rows <- c(lm_rows, paste(name, ct, level, num(sm$time), num(sm$surv), num(se_m), num(sm$lower),
                                  num(sm$upper), sep = ","))
      if (ct == "log" && level == 0.95) {
        taus <- unique(c(as.numeric(quantile(d$time, 0.5, type = 1)), max(d$time)))
        for (tau in taus) {
          tab <- summary(fit, rmean = tau)$table
          rm_rows <- c(rm_rows, paste(name, num(tau), num(tab[["rmean"]]), num(tab[["se(rmean)"]]),
                                      num(tab[["median"]]), sep = ","))
        }
      }
    }
  }
  groups <- length(unique(d$group)); strata <- length(unique(d$stratum))
  if (groups >= 2 && sum(d$status) > 0) {
    for (rho in c(0, 1)) {
      for (stratified in c(FALSE, TRUE)) {
        if (stratified && strata < 2) next
        form <- if (stratified) Surv(time, status) ~ group + strata(stratum) else Surv(time, status) ~ group
        t <- survdiff(form, data = d, rho = rho)
        ex <- if (is.matrix(t$exp)) rowSums(t$exp) else t$exp
        ob <- if (is.matrix(t$obs)) rowSums(t$obs) else t$obs
        df <- sum(ex > 0) - 1
        if (groups >= 3 && rho == 0) {
          # Test for trend with scores 0..k-1 from survdiff's own O, E and V
          # (Collett 2015 section 2.7; SAS LIFETEST TREND): (s'(O-E))^2 / s'Vs.
          sc <- seq_along(ob) - 1
          u <- sum(sc * (ob - ex)); v <- drop(t(sc) %*% t$var %*% sc)
          tr_rows <- c(tr_rows, paste(name, stratified, num(u / sqrt(v)), num(u^2 / v),
                                      num(pchisq(u^2 / v, 1, lower.tail = FALSE)), sep = ","))
        }
        lr_rows <- c(lr_rows, paste(name, "R survival", sprintf("\"survdiff(%s, rho = %d)\"", deparse(form), rho),
                                    "fh", rho, 0, stratified, num(t$chisq), df,
                                    num(pchisq(t$chisq, df, lower.tail = FALSE)),
                                    paste(num(ob), collapse = ";"), paste(num(ex), collapse = ";"), sep = ","))
      }
    }
  }
}
header <- c(version_line)
writeLines(c(header, "# survfit: one row per distinct time; std_err is the SE of S (R's std.err of log S times S); NA where S = 0, and R's log-log limits are NA where S = 1",
             "dataset,transform,level,time,n_risk,n_event,n_censor,survival,std_err,lower,upper", km_rows),
           file.path(out, "r_km.csv"))
writeLines(c(header, "# quantile.survfit: estimate with the midpoint rule (tolerance sqrt(eps)), limits read off the survfit CI curves",
             "dataset,direction,transform,level,p,estimate,lower,upper,call", q_rows),
           file.path(out, "r_quantile.csv"))
writeLines(c(header, "# summary(survfit(Surv(time, status) ~ 1), rmean = tau)$table: rmean, se(rmean), median (print.survfit's rule)",
             "dataset,tau,rmean,se_rmean,print_median", rm_rows),
           file.path(out, "r_rmst.csv"))
writeLines(c(header, "# summary(survfit(...), times = landmarks): std_err is summary's std.err (SE of S); NA where S = 0",
             "dataset,transform,level,time,survival,std_err,lower,upper", lm_rows),
           file.path(out, "r_landmark.csv"))
writeLines(c(header, "# trend: scores 0..k-1, z = s'(O-E)/sqrt(s'Vs), chisq = z^2 from survdiff(rho = 0) obs, exp and var",
             "dataset,stratified,z,statistic,p_value", tr_rows),
           file.path(out, "r_trend.csv"))
writeLines(c(header, "# survdiff: obs and exp are weighted (rho > 0) as R reports them; df = (groups with exp > 0) - 1; p = pchisq(chisq, df, lower.tail = FALSE)",
             "dataset,library,call,weight,p,q,stratified,statistic,df,p_value,observed,expected", lr_rows),
           file.path(out, "r_logrank.csv"))
