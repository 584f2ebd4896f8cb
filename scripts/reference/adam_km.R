# Reference values for `km` on ADaM ADTTE input, from R survival.
#
# Run from the repository root:
#   Rscript scripts/reference/adam_km.R
# Reads tests/fixtures/adam/random_cdisc_data/adtte.csv (PARAMCD == "OS") and
# tests/fixtures/adam/pharmaverseadam/adtte.csv (PARAMCD == "PFS"): every row
# of that parameter (no population filter; every such subject has SAFFL = ITTFL
# = "Y"), time = AVAL in days as in the file (no conversion), status =
# 1 - CNSR, group = the ADTTE's ARM column, levels in byte order of the labels
# (sort(method = "radix"), independent of the locale). Writes, in the shapes
# of tests/fixtures/survival/r_km.csv, r_logrank.csv and
# tests/fixtures/cox_response/cox_r.csv:
#   tests/fixtures/adam/r_km_os_by_arm.csv,      r_km_pfs_pharmaverse.csv
#   tests/fixtures/adam/r_logrank_os_by_arm.csv, r_logrank_pfs_pharmaverse.csv
#   tests/fixtures/adam/r_cox_os_by_arm.csv,     r_cox_pfs_pharmaverse.csv
# The km files add a `group` column after `dataset` (the ARM label; empty for
# the fit of all subjects, ~ 1). The cox files add the item `hr` (exp(coef)).
# Expected values are never edited by hand.
suppressPackageStartupMessages(library(survival))

out <- "tests/fixtures/adam"
version_line <- sprintf("# R survival %s, %s", packageVersion("survival"), R.version.string)
rver <- paste0("R ", R.version$major, ".", R.version$minor)
sver <- paste0("survival ", packageVersion("survival"))
num <- function(x) ifelse(is.na(x) | is.nan(x) | !is.finite(x), "NA", sprintf("%.17g", x))

read_tte <- function(file, paramcd) {
  d <- read.csv(file, colClasses = "character", na.strings = character(0), check.names = FALSE)
  d <- d[d$PARAMCD == paramcd, ]
  stopifnot(nrow(d) > 0, !anyDuplicated(d$USUBJID), all(d$CNSR %in% c("0", "1")))
  labels <- sort(unique(d$ARM), method = "radix")
  data.frame(time = as.numeric(d$AVAL), status = 1L - as.integer(d$CNSR),
             group = factor(d$ARM, levels = labels))
}

km_rows <- function(name, fit, group) {
  # R's std.err is of log S (Greenwood); the SE of S is S * std.err.
  se_s <- ifelse(fit$surv > 0, fit$surv * fit$std.err, NA)
  paste(name, sprintf("\"%s\"", group), "log-log", 0.95, num(fit$time), fit$n.risk, fit$n.event, fit$n.censor,
        num(fit$surv), num(se_s), num(fit$lower), num(fit$upper), sep = ",")
}

run <- function(name, source, d, suffix) {
  labels_line <- sprintf("# data set %s: %s; group labels (0..): %s", name, source,
                         paste(levels(d$group), collapse = " | "))
  # ---- Kaplan-Meier: all subjects, then each arm -----------------------------
  rows <- km_rows(name, survfit(Surv(time, status) ~ 1, data = d, conf.type = "log-log", conf.int = 0.95), "")
  fit <- survfit(Surv(time, status) ~ group, data = d, conf.type = "log-log", conf.int = 0.95)
  stopifnot(identical(names(fit$strata), paste0("group=", levels(d$group))))
  for (i in seq_along(fit$strata)) rows <- c(rows, km_rows(name, fit[i], levels(d$group)[i]))
  writeLines(c(version_line, labels_line,
               "# survfit(Surv(time, status) ~ 1) and ~ group, conf.type = 'log-log', conf.int = 0.95: one row per distinct time of the group (empty group: all subjects); std_err is the SE of S (R's std.err of log S times S); NA where S = 0, and R's log-log limits are NA where S = 1",
               "dataset,group,transform,level,time,n_risk,n_event,n_censor,survival,std_err,lower,upper", rows),
             file.path(out, sprintf("r_km_%s.csv", suffix)))

  # ---- log-rank (survdiff), rho = 0 and 1 --------------------------------------
  rows <- c()
  for (rho in c(0, 1)) {
    t <- survdiff(Surv(time, status) ~ group, data = d, rho = rho)
    df <- sum(t$exp > 0) - 1
    rows <- c(rows, paste(name, "R survival", sprintf("\"survdiff(Surv(time, status) ~ group, rho = %d)\"", rho),
                          "fh", rho, 0, FALSE, num(t$chisq), df, num(pchisq(t$chisq, df, lower.tail = FALSE)),
                          paste(num(t$obs), collapse = ";"), paste(num(t$exp), collapse = ";"), sep = ","))
  }
  writeLines(c(version_line, labels_line,
               "# survdiff: obs and exp per group in level order, weighted (rho > 0) as R reports them; df = (groups with exp > 0) - 1; p = pchisq(chisq, df, lower.tail = FALSE)",
               "dataset,library,call,weight,p,q,stratified,statistic,df,p_value,observed,expected", rows),
             file.path(out, sprintf("r_logrank_%s.csv", suffix)))

  # ---- Cox, efron, group as a factor (reference = first level) ----------------
  res <- list()
  add <- function(...) res[[length(res) + 1]] <<- c(...)
  ties <- "efron"
  call <- sprintf("%s %s coxph(Surv(time, status) ~ factor(group), data = %s, ties = '%s', control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))",
                  rver, sver, name, ties)
  fit <- coxph(Surv(time, status) ~ factor(group), data = d, ties = ties,
               control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  s <- summary(fit, conf.int = 0.95)
  co <- s$coefficients
  ci <- s$conf.int
  for (i in seq_len(nrow(co))) {
    term <- rownames(co)[i]
    add(call, name, "f(group)", ties, "coef", term, num(co[i, "coef"]))
    add(call, name, "f(group)", ties, "se", term, num(co[i, "se(coef)"]))
    add(call, name, "f(group)", ties, "hr", term, num(co[i, "exp(coef)"]))
    add(call, name, "f(group)", ties, "z", term, num(co[i, "z"]))
    add(call, name, "f(group)", ties, "p", term, num(co[i, "Pr(>|z|)"]))
    add(call, name, "f(group)", ties, "lower", term, num(ci[i, "lower .95"]))
    add(call, name, "f(group)", ties, "upper", term, num(ci[i, "upper .95"]))
  }
  add(call, name, "f(group)", ties, "loglik_null", "", num(fit$loglik[1]))
  add(call, name, "f(group)", ties, "loglik", "", num(fit$loglik[2]))
  add(call, name, "f(group)", ties, "n", "", num(fit$n))
  add(call, name, "f(group)", ties, "events", "", num(fit$nevent))
  df <- length(fit$coefficients)
  lr <- 2 * (fit$loglik[2] - fit$loglik[1])
  add(call, name, "f(group)", ties, "lr", "", num(lr))
  add(call, name, "f(group)", ties, "lr_p", "", num(pchisq(lr, df, lower.tail = FALSE)))
  add(call, name, "f(group)", ties, "score", "", num(fit$score))
  add(call, name, "f(group)", ties, "score_p", "", num(pchisq(fit$score, df, lower.tail = FALSE)))
  add(call, name, "f(group)", ties, "wald", "", num(fit$wald.test))
  add(call, name, "f(group)", ties, "wald_p", "", num(pchisq(fit$wald.test, df, lower.tail = FALSE)))
  add(call, name, "f(group)", ties, "df", "", num(df))
  add(call, name, "f(group)", ties, "iter", "", num(fit$iter))
  res <- do.call(rbind, res)
  colnames(res) <- c("source", "dataset", "model", "ties", "item", "term", "value")
  write.csv(res, file.path(out, sprintf("r_cox_%s.csv", suffix)), row.names = FALSE)
}

run("random_cdisc_data_os",
    "tests/fixtures/adam/random_cdisc_data/adtte.csv, PARAMCD == 'OS', time = AVAL (days), status = 1 - CNSR, group = ARM",
    read_tte(file.path(out, "random_cdisc_data", "adtte.csv"), "OS"), "os_by_arm")
run("pharmaverseadam_pfs",
    "tests/fixtures/adam/pharmaverseadam/adtte.csv, PARAMCD == 'PFS', time = AVAL (days), status = 1 - CNSR, group = ARM",
    read_tte(file.path(out, "pharmaverseadam", "adtte.csv"), "PFS"), "pfs_pharmaverse")
