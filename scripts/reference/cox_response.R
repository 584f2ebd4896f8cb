# Reference values for cohortscope's Cox regression, binomial intervals and
# association tests, from R and survival.
#
# Run from the repository root after cox_response.py (which writes rossi.csv
# from lifelines.datasets.load_rossi):
#
#     Rscript scripts/reference/cox_response.R
#
# Writes the used columns of survival's lung, veteran and ovarian data sets
# and long-format results files under tests/fixtures/cox_response/. Numbers
# are printed with 17 significant digits; each row names R, survival and the
# call that produced it.

suppressPackageStartupMessages(library(survival))

out <- "tests/fixtures/cox_response"
rver <- paste0("R ", R.version$major, ".", R.version$minor)
sver <- paste0("survival ", packageVersion("survival"))
num <- function(x) sprintf("%.17g", x)

# Data sets: the columns the models use, status as 0/1, factors as their
# integer level codes (so sorting the codes gives R's level order).
lung_d <- with(lung, data.frame(time = time, status = as.integer(status == 2), age = age,
                                sex = sex, ph.ecog = ph.ecog))
write.csv(lung_d, file.path(out, "lung.csv"), row.names = FALSE, quote = FALSE)
vet_d <- with(veteran, data.frame(time = time, status = status, trt = trt,
                                  celltype = as.integer(celltype), karno = karno))
write.csv(vet_d, file.path(out, "veteran.csv"), row.names = FALSE, quote = FALSE)
ova_d <- with(ovarian, data.frame(time = futime, status = fustat, age = age, rx = rx,
                                  resid.ds = resid.ds))
write.csv(ova_d, file.path(out, "ovarian.csv"), row.names = FALSE, quote = FALSE)
rossi_d <- read.csv(file.path(out, "rossi.csv"))
names(rossi_d)[1:2] <- c("time", "status")

datasets <- list(lung = lung_d, veteran = vet_d, ovarian = ova_d, rossi = rossi_d)

# model spec: covariates joined by "+"; f(x) is a factor with reference =
# first (lowest) level; strata(x) stratifies.
models <- list(
  c("lung", "age+sex"),
  c("lung", "age+f(ph.ecog)"),
  c("lung", "age+strata(sex)"),
  c("veteran", "trt+f(celltype)+karno"),
  c("veteran", "f(celltype)"),
  c("ovarian", "age+rx"),
  c("ovarian", "rx"),
  c("rossi", "fin+age+race+wexp+mar+paro+prio"),
  c("rossi", "fin+age+prio+strata(race)")
)

rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- c(...)

for (m in models) {
  d <- datasets[[m[1]]]
  rhs <- gsub("f\\(", "factor(", m[2])
  fml <- as.formula(paste("Surv(time, status) ~", rhs))
  for (ties in c("efron", "breslow")) {
    call <- sprintf("%s %s coxph(%s, data = %s, ties = '%s', control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))",
                    rver, sver, paste("Surv(time, status) ~", rhs), m[1], ties)
    fit <- coxph(fml, data = d, ties = ties, control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
    s <- summary(fit, conf.int = 0.95)
    co <- s$coefficients
    ci <- s$conf.int
    for (i in seq_len(nrow(co))) {
      term <- rownames(co)[i]
      add(call, m[1], m[2], ties, "coef", term, num(co[i, "coef"]))
      add(call, m[1], m[2], ties, "se", term, num(co[i, "se(coef)"]))
      add(call, m[1], m[2], ties, "z", term, num(co[i, "z"]))
      add(call, m[1], m[2], ties, "p", term, num(co[i, "Pr(>|z|)"]))
      add(call, m[1], m[2], ties, "lower", term, num(ci[i, "lower .95"]))
      add(call, m[1], m[2], ties, "upper", term, num(ci[i, "upper .95"]))
    }
    add(call, m[1], m[2], ties, "loglik_null", "", num(fit$loglik[1]))
    add(call, m[1], m[2], ties, "loglik", "", num(fit$loglik[2]))
    add(call, m[1], m[2], ties, "n", "", num(fit$n))
    add(call, m[1], m[2], ties, "events", "", num(fit$nevent))
    df <- length(fit$coefficients)
    lr <- 2 * (fit$loglik[2] - fit$loglik[1])
    add(call, m[1], m[2], ties, "lr", "", num(lr))
    add(call, m[1], m[2], ties, "lr_p", "", num(pchisq(lr, df, lower.tail = FALSE)))
    add(call, m[1], m[2], ties, "score", "", num(fit$score))
    add(call, m[1], m[2], ties, "score_p", "", num(pchisq(fit$score, df, lower.tail = FALSE)))
    add(call, m[1], m[2], ties, "wald", "", num(fit$wald.test))
    add(call, m[1], m[2], ties, "wald_p", "", num(pchisq(fit$wald.test, df, lower.tail = FALSE)))
    add(call, m[1], m[2], ties, "df", "", num(df))
  }
}
res <- do.call(rbind, rows)
colnames(res) <- c("source", "dataset", "model", "ties", "item", "term", "value")
write.csv(res, file.path(out, "cox_r.csv"), row.names = FALSE)

# binom.test Clopper-Pearson limits, prop.test Wilson limits without and with
# continuity correction.
rows <- list()
for (n in c(1, 2, 5, 10, 17, 40, 100, 1000, 10000)) {
  for (k in sort(unique(c(0, 1, n %/% 3, n %/% 2, n - 1, n)))) {
    for (level in c(0.9, 0.95, 0.99)) {
      ci <- binom.test(k, n, conf.level = level)$conf.int
      add(sprintf("%s binom.test(k, n, conf.level = level)$conf.int", rver), "clopper-pearson", k, n,
          num(level), num(ci[1]), num(ci[2]))
      ci <- suppressWarnings(prop.test(k, n, conf.level = level, correct = FALSE)$conf.int)
      add(sprintf("%s prop.test(k, n, conf.level = level, correct = FALSE)$conf.int", rver), "wilson", k, n,
          num(level), num(ci[1]), num(ci[2]))
      ci <- suppressWarnings(prop.test(k, n, conf.level = level, correct = TRUE)$conf.int)
      add(sprintf("%s prop.test(k, n, conf.level = level, correct = TRUE)$conf.int", rver), "wilson-cc", k, n,
          num(level), num(ci[1]), num(ci[2]))
    }
  }
}
res <- do.call(rbind, rows)
colnames(res) <- c("source", "method", "k", "n", "level", "lower", "upper")
write.csv(res, file.path(out, "binomial_r.csv"), row.names = FALSE)

# fisher.test and wilcox.test.
rows <- list()
tables <- list(c(3, 1, 1, 3), c(1, 9, 11, 3), c(0, 5, 5, 0), c(10, 2, 3, 15), c(2, 7, 8, 2),
               c(0, 0, 3, 4), c(5, 0, 0, 0), c(7, 12, 9, 11), c(20, 15, 30, 40), c(1, 2, 100, 50),
               as.vector(t(table(rossi_d$fin, rossi_d$status))))
for (tb in tables) {
  m <- matrix(tb, 2, 2, byrow = TRUE)
  f <- fisher.test(m)
  key <- paste(tb, collapse = " ")
  add(sprintf("%s fisher.test(matrix(c(a, b, c, d), 2, 2, byrow = TRUE))", rver), "fisher_p", key, "", num(f$p.value))
  add(sprintf("%s fisher.test(...)$estimate", rver), "fisher_or", key, "", num(f$estimate))
}
samples <- list(
  list(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  list(c(0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46), c(1.15, 0.88, 0.90, 0.74, 1.21)),
  list(c(12.0, 7.5, 3.1, 8.8), c(1.0, 2.2, 4.4, 0.3, 5.5, 6.1)),
  list(c(1, 2, 3, 4, 5), c(6, 7, 8, 9, 10, 11, 12)),
  list(rossi_d$age[rossi_d$status == 1], rossi_d$age[rossi_d$status == 0]),
  list(rossi_d$prio[rossi_d$fin == 1], rossi_d$prio[rossi_d$fin == 0])
)
for (s in samples) {
  w <- suppressWarnings(wilcox.test(s[[1]], s[[2]]))
  key <- paste(format(s[[1]]), collapse = " ")
  add(sprintf("%s wilcox.test(x, y) [%s]", rver, w$method), "wilcox", paste(length(s[[1]]), length(s[[2]])),
      num(w$statistic), num(w$p.value))
}
pairs <- list(
  list(c(1, 2, 3, 4, 5, 6, 7), c(2, 1, 4, 3, 7, 5, 6)),
  list(c(10.1, 3.2, 5.5, 7.7, 1.0, 2.2, 9.9, 4.4), c(0.5, 0.1, 0.9, 0.3, 0.2, 0.4, 0.8, 0.6)),
  list(c(1, 2, 2, 3, 4, 4, 4, 5, 6, 7), c(3, 1, 2, 2, 5, 6, 4, 7, 7, 9)),
  list(rossi_d$age, rossi_d$prio)
)
for (s in pairs) {
  ct <- suppressWarnings(cor.test(s[[1]], s[[2]], method = "spearman", exact = FALSE))
  add(sprintf("%s cor.test(x, y, method = 'spearman', exact = FALSE)", rver), "spearman",
      paste(length(s[[1]])), num(ct$estimate), num(ct$p.value))
}
res <- do.call(rbind, rows)
colnames(res) <- c("source", "test", "input", "statistic", "p_value")
write.csv(res, file.path(out, "association_r.csv"), row.names = FALSE)
