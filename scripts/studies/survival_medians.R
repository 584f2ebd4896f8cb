# Kaplan-Meier medians of one built-in study with R `survival` (survfit's
# default median: the midpoint rule on a flat stretch at S = 0.5).
# Called by check.py --with-r; prints "name value" lines (NA = not reached).
# Usage: Rscript scripts/studies/survival_medians.R assets/studies/<id>.csv
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], na.strings = "")
km_median <- function(time, event) {
  unname(summary(survfit(Surv(time, event) ~ 1))$table["median"])
}
min_surv <- function(time, event) {
  min(survfit(Surv(time, event) ~ 1)$surv)
}
resp <- d[d$best_response %in% c("CR", "PR"), ]
cat(sprintf("survival %s\n", as.character(packageVersion("survival"))))
cat(sprintf("os_median %.10g\n", km_median(d$os_months, d$os_event)))
cat(sprintf("os_follow_up_median %.10g\n", km_median(d$os_months, 1 - d$os_event)))
cat(sprintf("pfs_median %.10g\n", km_median(d$pfs_months, d$pfs_event)))
cat(sprintf("dor_median %.10g\n", km_median(resp$dor_months, resp$dor_event)))
cat(sprintf("dor_min_survival %.10g\n", min_surv(resp$dor_months, resp$dor_event)))
