# Reference values for cohortscope's time-to-event efficacy tables (a
# TTET01-like summary per arm, and each arm against the reference arm), from
# R survival, with survRM2's restricted-mean definitions written out in base R.
#
# Run from the repository root:
#
#     Rscript scripts/reference/tables_tte.R
#
# R 4.2.2, survival 3.5-3 (no other package: survRM2 is not installed, so its
# rmst1/rmst2 definitions are written below). Writes, in tests/fixtures/tables/:
#
# * generated_tte.csv: a seeded two-arm stratified data set (set.seed below)
#   in cohortscope's one-row-per-patient import schema. The references are
#   computed from this CSV as read back, not from the generator's doubles.
# * adam_tte_patients.csv: the per-patient times of the ADaM data set
#   (usubjid, arm, stratum, endpoint, months, event), so that the stats
#   crate's test needs no ADaM reading.
# * tte_r.csv: the references, long format, one value per row:
#   source, dataset, endpoint, arm, reference, conf_type, field, value.
#   Numbers have 17 significant digits; R's NA is written NA.
#
# ADaM (tests/fixtures/adam/random_cdisc_data/, the same bytes as
# shared/data/adam/random_cdisc_data/): population ADSL ITTFL == "Y"; arm =
# ADSL ARM, stratum = ADSL STRATA1; endpoints ADTTE PARAMCD OS -> os, PFS ->
# pfs, EFS -> efs, CRSD -> dor, the last restricted to responders (ADRS
# PARAMCD == "BESRSPI" with AVALC in CR, PR). Event = 1 - CNSR (CNSR = 1
# censored). Months as cohortscope's importer converts: AVALU DAYS: AVAL /
# 30.4375; WEEKS: AVAL * 7 / 30.4375; MONTHS: AVAL; YEARS: AVAL * 12 (this
# ADTTE has DAYS only). Reference arm "B: Placebo".
#
# Conventions fixed here (the consuming report must use the same):
# * Per arm, survfit(Surv(months, event) ~ 1) on that arm alone, conf.int =
#   0.95, conf.type "log-log", "plain" and "log" (conf_type column; rows that
#   do not depend on it have conf_type empty). Greenwood variance throughout.
# * Quantiles: quantile(fit, probs = c(0.25, 0.5, 0.75), conf.int = TRUE):
#   the estimate is the first time S <= 1 - p, the midpoint of the flat
#   stretch where S = 1 - p exactly (tolerance sqrt(eps)); the limits are
#   read off the pointwise CI curves the same way (R's findq), not
#   Brookmeyer-Crowley. q25 is where S first drops to <= 0.75.
# * min, max: the smallest and largest observed time (after survfit's aeqSurv
#   tie-up); min_censored / max_censored = 1 when every subject at that time
#   is censored (n.event = 0 there), 0 when at least one has the event.
# * tpT_* (T = 6, 12 months): summary(fit, times = T, extend = TRUE):
#   n.risk (subjects with time >= T), surv, std.err (Greenwood SE of S),
#   lower, upper. Beyond the arm's last observed time, extend = TRUE gives
#   n.risk = 0 with the last S, SE and limits carried forward; those rows are
#   written as R gives them (tern's s_surv_timepoint reports NA there, and so
#   does cohortscope: no estimate after the last time).
# * RMST (Uno et al. 2014; survRM2 rmst1/rmst2, Uno 2015): one tau for every
#   arm of a data set and endpoint, the smallest over the arms of each arm's
#   largest observed time (survRM2's default for two arms, extended to all
#   arms so that every column of one table has the same tau).
# * Comparisons (arm vs reference) are fitted on the two arms' patients only:
#   survdiff (rho = 0) with and without strata(stratum); coxph with the arm
#   coded as factor(levels = c(reference, arm)), so HR = hazard(arm) /
#   hazard(reference), Wald limits, efron and breslow ties, and efron with
#   strata(stratum); KM difference at T with Greenwood SEs and a z-test; RMST
#   difference at the common tau with a z-test (survRM2).
# Expected values are never edited by hand.
suppressPackageStartupMessages(library(survival))

out <- "tests/fixtures/tables"
adam <- "tests/fixtures/adam/random_cdisc_data"
rver <- paste0("R ", R.version$major, ".", R.version$minor)
sver <- paste0("survival ", packageVersion("survival"))
num <- function(x) ifelse(is.na(x) | is.nan(x) | !is.finite(x), "NA", sprintf("%.17g", x))
level <- 0.95
z <- qnorm(1 - (1 - level) / 2)
conf_types <- c("log-log", "plain", "log")
time_points <- c(6, 12)
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)

# ---- (a) ADaM: per-patient times ---------------------------------------------
read_adam <- function(name) {
  read.csv(file.path(adam, paste0(name, ".csv")), colClasses = "character",
           na.strings = character(0), check.names = FALSE)
}
adsl <- read_adam("adsl")
adsl <- adsl[adsl$ITTFL == "Y", ]
adtte <- read_adam("adtte")
adrs <- read_adam("adrs")
best <- adrs[adrs$PARAMCD == "BESRSPI", ]
stopifnot(!anyDuplicated(adsl$USUBJID), !anyDuplicated(best$USUBJID))
responders <- best$USUBJID[best$AVALC %in% c("CR", "PR")]
# In the importer's order of operations (src/data/values.rs, TimeUnit::to_months).
to_months <- function(aval, unit) {
  unit <- toupper(unit)
  stopifnot(all(unit %in% c("DAYS", "WEEKS", "MONTHS", "YEARS")))
  x <- as.numeric(aval)
  ifelse(unit == "DAYS", x / 30.4375,
         ifelse(unit == "WEEKS", x * 7 / 30.4375, ifelse(unit == "YEARS", x * 12, x)))
}
endpoints <- c(OS = "os", PFS = "pfs", EFS = "efs", CRSD = "dor")
adam_long <- do.call(rbind, lapply(names(endpoints), function(paramcd) {
  d <- adtte[adtte$PARAMCD == paramcd & adtte$USUBJID %in% adsl$USUBJID, ]
  if (paramcd == "CRSD") d <- d[d$USUBJID %in% responders, ]
  stopifnot(nrow(d) > 0, !anyDuplicated(d$USUBJID), all(d$CNSR %in% c("0", "1")))
  s <- adsl[match(d$USUBJID, adsl$USUBJID), ]
  data.frame(usubjid = d$USUBJID, arm = s$ARM, stratum = s$STRATA1, endpoint = endpoints[[paramcd]],
             months = to_months(d$AVAL, d$AVALU), event = 1L - as.integer(d$CNSR))
}))
adam_long <- adam_long[order(match(adam_long$endpoint, endpoints), adam_long$usubjid, method = "radix"), ]
write.csv(transform(adam_long, months = num(months)), file.path(out, "adam_tte_patients.csv"),
          row.names = FALSE, quote = FALSE)

# ---- (b) generated two-arm stratified data set ---------------------------------
# 300 patients, 1:1 simple randomisation, strata S1..S3 (40/35/25%) with
# different baseline hazards (Weibull, shape 1.15: exponential-ish; the
# Experimental arm's medians longer by 1/0.70 for OS and 1/0.65 for PFS).
# Entry uniform over 18 months, data cut-off at month 30 (administrative
# censoring), random drop-out at rate 0.015 per month. PFS ends at
# progression or death. Best response is drawn with arm-dependent
# probabilities; the first tumour assessment is at month 1.8, so a drawn CR
# or PR whose PFS ends by then becomes PD (progressed) or NE (censored).
# Duration of response of a responder: from month 1.8 to the end of PFS,
# with PFS's event flag. Times rounded to 0.1 month (ties).
set.seed(20240612)
n <- 300
stratum <- sample(c("S1", "S2", "S3"), n, replace = TRUE, prob = c(0.40, 0.35, 0.25))
arm <- ifelse(runif(n) < 0.5, "Control", "Experimental")
exper <- arm == "Experimental"
shape <- 1.15
weibull <- function(median) rweibull(length(median), shape, median / log(2)^(1 / shape))
os_median <- c(S1 = 20, S2 = 13, S3 = 8)[stratum] / ifelse(exper, 0.70, 1)
pfs_median <- c(S1 = 9, S2 = 6, S3 = 4)[stratum] / ifelse(exper, 0.65, 1)
death <- weibull(os_median)
progression <- weibull(pfs_median)
follow_up <- pmin(30 - runif(n, 0, 18), rexp(n, 0.015))
tenth <- function(x) pmax(0.1, round(x, 1))
os_months <- tenth(pmin(death, follow_up))
os_event <- as.integer(death <= follow_up)
pfs_months <- tenth(pmin(progression, death, follow_up))
pfs_event <- as.integer(pmin(progression, death) <= follow_up)
codes <- c("CR", "PR", "SD", "PD", "NE")
response_prob <- rbind(Control = c(0.06, 0.22, 0.38, 0.26, 0.08),
                       Experimental = c(0.12, 0.33, 0.32, 0.16, 0.07))
best_response <- unname(vapply(arm, function(a) sample(codes, 1, prob = response_prob[a, ]), ""))
first_assessment <- 1.8
early <- best_response %in% c("CR", "PR") & pfs_months <= first_assessment
best_response[early] <- ifelse(pfs_event[early] == 1, "PD", "NE")
responder <- best_response %in% c("CR", "PR")
dor_months <- ifelse(responder, round(pfs_months - first_assessment, 1), NA)
dor_event <- ifelse(responder, pfs_event, NA)
one_decimal <- function(x) ifelse(is.na(x), "", sprintf("%.1f", x))
generated <- data.frame(
  patient_id = sprintf("P%03d", seq_len(n)), arm = arm, stratum = stratum, best_response = best_response,
  os_months = one_decimal(os_months), os_event = os_event,
  pfs_months = one_decimal(pfs_months), pfs_event = pfs_event,
  dor_months = one_decimal(dor_months), dor_event = ifelse(is.na(dor_event), "", dor_event))
write.csv(generated, file.path(out, "generated_tte.csv"), row.names = FALSE, quote = FALSE)

g <- read.csv(file.path(out, "generated_tte.csv"), colClasses = "character", na.strings = "")
generated_long <- do.call(rbind, lapply(c("os", "pfs", "dor"), function(e) {
  m <- g[[paste0(e, "_months")]]
  keep <- !is.na(m)
  data.frame(usubjid = g$patient_id[keep], arm = g$arm[keep], stratum = g$stratum[keep], endpoint = e,
             months = as.numeric(m[keep]), event = as.integer(g[[paste0(e, "_event")]][keep]))
}))

# ---- references ------------------------------------------------------------------
rows <- list()
add <- function(source, dataset, endpoint, arm, reference, conf_type, field, value) {
  rows[[length(rows) + 1]] <<- c(source, dataset, endpoint, arm, reference, conf_type, field, num(value))
}

# survRM2's rmst1 (Uno 2015, after Uno et al. 2014, J Clin Oncol 32:2380):
# area under the KM curve on [0, tau]; variance sum over the times t_i <= tau
# of A_i^2 d_i / (Y_i (Y_i - d_i)) (0 where Y_i = d_i), A_i = area on [t_i, tau].
rmst1 <- function(fit, tau) {
  idx <- fit$time <= tau
  wk_time <- sort(c(fit$time[idx], tau))
  wk_surv <- fit$surv[idx]
  wk_n_risk <- fit$n.risk[idx]
  wk_n_event <- fit$n.event[idx]
  areas <- diff(c(0, wk_time)) * c(1, wk_surv)
  est <- sum(areas)
  wk_var <- ifelse(wk_n_risk - wk_n_event == 0, 0, wk_n_event / (wk_n_risk * (wk_n_risk - wk_n_event)))
  wk_var <- c(wk_var, 0)
  se <- sqrt(sum(cumsum(rev(areas[-1]))^2 * rev(wk_var)[-1]))
  # Cross-check against survival's own restricted mean (survmean).
  tab <- summary(fit, rmean = tau)$table
  stopifnot(abs(tab[["rmean"]] - est) <= 1e-12 * est, abs(tab[["se(rmean)"]] - se) <= 1e-10 * se)
  c(est = est, se = se)
}

run <- function(dataset, d, reference) {
  arms <- sort(unique(d$arm), method = "radix")
  stopifnot(reference %in% arms)
  for (endpoint in unique(d$endpoint)) {
    de <- d[d$endpoint == endpoint, ]
    tau <- min(tapply(de$months, de$arm, max))
    fits <- list()
    for (a in arms) {
      da <- de[de$arm == a, ]
      put <- function(source, conf_type, field, value) add(source, dataset, endpoint, a, "", conf_type, field, value)
      km <- "survfit(Surv(months, event) ~ 1, conf.int = 0.95"
      fit <- survfit(Surv(months, event) ~ 1, data = da, conf.int = level)
      fits[[a]] <- fit
      src <- sprintf("%s %s %s)", rver, sver, km)
      put(src, "", "n", fit$n)
      put(src, "", "events", sum(fit$n.event))
      last <- length(fit$time)
      stopifnot(fit$time[1] == min(da$months), abs(fit$time[last] - max(da$months)) <= 1e-12 * max(da$months))
      src_range <- sprintf("%s %s %s)$time, $n.event: first/last time; censored = 1 when n.event = 0 there (every subject at that time censored)",
                           rver, sver, km)
      put(src_range, "", "min", fit$time[1])
      put(src_range, "", "max", fit$time[last])
      put(src_range, "", "min_censored", as.integer(fit$n.event[1] == 0))
      put(src_range, "", "max_censored", as.integer(fit$n.event[last] == 0))
      estimates <- NULL
      for (ct in conf_types) {
        fit_ct <- survfit(Surv(months, event) ~ 1, data = da, conf.int = level, conf.type = ct)
        q <- quantile(fit_ct, probs = c(0.25, 0.5, 0.75), conf.int = TRUE)
        if (is.null(estimates)) estimates <- q$quantile else stopifnot(identical(estimates, q$quantile))
        src_q <- sprintf("%s %s quantile(%s, conf.type = '%s'), probs = c(0.25, 0.5, 0.75), conf.int = TRUE)",
                         rver, sver, km, ct)
        for (i in 1:3) {
          key <- c("q25", "median", "q75")[i]
          put(src_q, ct, paste0(key, "_lower"), q$lower[i])
          put(src_q, ct, paste0(key, "_upper"), q$upper[i])
        }
        s <- summary(fit_ct, times = time_points, extend = TRUE)
        stopifnot(identical(s$time, time_points))
        src_s <- sprintf("%s %s summary(%s, conf.type = '%s'), times = c(6, 12), extend = TRUE)", rver, sver, km, ct)
        for (i in seq_along(time_points)) {
          tp <- paste0("tp", time_points[i], "_")
          put(src_s, ct, paste0(tp, "lower"), s$lower[i])
          put(src_s, ct, paste0(tp, "upper"), s$upper[i])
        }
      }
      src_q <- sprintf("%s %s quantile(%s), probs = c(0.25, 0.5, 0.75))$quantile (any conf.type)", rver, sver, km)
      put(src_q, "", "q25", estimates[1])
      put(src_q, "", "median", estimates[2])
      put(src_q, "", "q75", estimates[3])
      s <- summary(fit, times = time_points, extend = TRUE)
      src_s <- sprintf("%s %s summary(%s), times = c(6, 12), extend = TRUE): n.risk, surv, std.err (Greenwood SE of S)",
                       rver, sver, km)
      for (i in seq_along(time_points)) {
        tp <- paste0("tp", time_points[i], "_")
        put(src_s, "", paste0(tp, "n_risk"), s$n.risk[i])
        put(src_s, "", paste0(tp, "rate"), s$surv[i])
        put(src_s, "", paste0(tp, "se"), s$std.err[i])
      }
      r <- rmst1(fit, tau)
      src_r <- sprintf("%s %s survRM2::rmst1 definition in base R on %s), tau = min over arms of max time; normal CI",
                       rver, sver, km)
      put(src_r, "", "rmst_tau", tau)
      put(src_r, "", "rmst", r[["est"]])
      put(src_r, "", "rmst_se", r[["se"]])
      put(src_r, "", "rmst_lower", r[["est"]] - z * r[["se"]])
      put(src_r, "", "rmst_upper", r[["est"]] + z * r[["se"]])
    }

    for (a in setdiff(arms, reference)) {
      d2 <- de[de$arm %in% c(reference, a), ]
      d2$group <- factor(d2$arm, levels = c(reference, a))
      put <- function(source, field, value) add(source, dataset, endpoint, a, reference, "", field, value)
      for (stratified in c(FALSE, TRUE)) {
        form <- if (stratified) Surv(months, event) ~ group + strata(stratum) else Surv(months, event) ~ group
        t <- survdiff(form, data = d2)
        df <- sum(if (is.matrix(t$exp)) rowSums(t$exp) > 0 else t$exp > 0) - 1
        stopifnot(df == 1)
        src <- sprintf("%s %s survdiff(%s); p = pchisq(chisq, 1, lower.tail = FALSE)", rver, sver,
                       paste(deparse(form), collapse = ""))
        pre <- if (stratified) "strat_" else ""
        put(src, paste0(pre, "logrank_chisq"), t$chisq)
        put(src, paste0(pre, "logrank_p"), pchisq(t$chisq, 1, lower.tail = FALSE))
      }
      for (model in c("efron", "breslow", "strat")) {
        ties <- if (model == "breslow") "breslow" else "efron"
        form <- if (model == "strat") Surv(months, event) ~ group + strata(stratum) else Surv(months, event) ~ group
        fit <- coxph(form, data = d2, ties = ties, control = ctl)
        stopifnot(fit$iter < ctl$iter.max)
        sm <- summary(fit, conf.int = level)
        src <- sprintf("%s %s coxph(%s, ties = '%s', control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)), group = factor(arm, levels = c(reference, arm)); summary(conf.int = 0.95): exp(coef), lower/upper .95, Pr(>|z|); loglik = loglik[2], lr_chisq = 2 (loglik[2] - loglik[1]), p_lr = pchisq(2 (loglik[2] - loglik[1]), 1, lower.tail = FALSE), p_score = pchisq(score, 1, lower.tail = FALSE)",
                       rver, sver, paste(deparse(form), collapse = ""), ties)
        pre <- c(efron = "", breslow = "breslow_", strat = "strat_")[[model]]
        put(src, paste0(pre, "hr"), sm$conf.int[1, "exp(coef)"])
        put(src, paste0(pre, "hr_lower"), sm$conf.int[1, "lower .95"])
        put(src, paste0(pre, "hr_upper"), sm$conf.int[1, "upper .95"])
        put(src, paste0(pre, "p_wald"), sm$coefficients[1, "Pr(>|z|)"])
        if (model != "strat") {
          # The LR statistic is a difference of two log-likelihoods: where it is
          # near 0 it is known only to a few ulps of |loglik| (README).
          put(src, paste0(pre, "loglik"), fit$loglik[2])
          put(src, paste0(pre, "lr_chisq"), 2 * (fit$loglik[2] - fit$loglik[1]))
          put(src, paste0(pre, "p_lr"), pchisq(2 * (fit$loglik[2] - fit$loglik[1]), 1, lower.tail = FALSE))
          put(src, paste0(pre, "p_score"), pchisq(fit$score, 1, lower.tail = FALSE))
        }
      }
      sa <- summary(fits[[a]], times = time_points, extend = TRUE)
      sr <- summary(fits[[reference]], times = time_points, extend = TRUE)
      src <- sprintf("%s %s summary(survfit(Surv(months, event) ~ 1) per arm, times = c(6, 12), extend = TRUE): diff = surv(arm) - surv(reference), se = sqrt(std.err(arm)^2 + std.err(reference)^2), diff -/+ qnorm(0.975) se, p = 2 pnorm(-|diff| / se) (tern s_surv_timepoint_diff)",
                     rver, sver)
      for (i in seq_along(time_points)) {
        tp <- paste0("tp", time_points[i], "_diff")
        diff <- sa$surv[i] - sr$surv[i]
        se <- sqrt(sa$std.err[i]^2 + sr$std.err[i]^2)
        put(src, tp, diff)
        put(src, paste0(tp, "_lower"), diff - z * se)
        put(src, paste0(tp, "_upper"), diff + z * se)
        put(src, paste0(tp, "_p"), 2 * pnorm(-abs(diff) / se))
      }
      ra <- rmst1(fits[[a]], tau)
      rr <- rmst1(fits[[reference]], tau)
      diff <- ra[["est"]] - rr[["est"]]
      se <- sqrt(ra[["se"]]^2 + rr[["se"]]^2)
      src <- sprintf("%s %s survRM2::rmst2 definition in base R (RMST arm - reference at the common tau, se = sqrt(se1^2 + se0^2), normal CI, p = 2 pnorm(-|diff| / se))",
                     rver, sver)
      put(src, "rmst_diff", diff)
      put(src, "rmst_diff_lower", diff - z * se)
      put(src, "rmst_diff_upper", diff + z * se)
      put(src, "rmst_diff_p", 2 * pnorm(-abs(diff) / se))
    }
  }
}

run("random_cdisc_data", adam_long, "B: Placebo")
run("generated", generated_long, "Control")
res <- do.call(rbind, rows)
colnames(res) <- c("source", "dataset", "endpoint", "arm", "reference", "conf_type", "field", "value")
write.csv(res, file.path(out, "tte_r.csv"), row.names = FALSE)
