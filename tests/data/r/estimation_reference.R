# Reference estimates from R's survey package for randsample.estimation.
#
# Reads the cases written by generate_cases.py (one CSV of sampled units per case), builds the
# matching survey designs, runs svymean / svytotal / svyratio / svyby / confint / svyciprop and
# writes estimates, standard errors, intervals, design effects and degrees of freedom to
# estimation_reference.json. tests/estimation/test_r_reference.py compares randsample with it.
#
#   Rscript tests/data/r/estimation_reference.R [output.json]
#
# Designs:
# * stratified SRSWOR: svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc), fpc = M_h (the
#   stratum's eligible units): the exact stratified SRSWOR variance with fpc;
# * πps: svydesign(ids = ~1, strata = ~vstratum, probs = ~pi), no fpc: the with-replacement
#   approximation. Certainty units (pi = 1) each form a stratum of their own ("certainty:<id>")
#   and options(survey.lonely.psu = "certainty") makes them contribute no variance.
# Wilson intervals are not in survey 4.1's svyciprop; wilson() below computes them from svymean
# with the same degrees-of-freedom-adjusted effective sample size as method = "beta".

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
here <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg))) else "."
})
output <- if (length(args)) args[[1]] else file.path(here, "estimation_reference.json")
level <- 0.95

read_case <- function(name) {
  read.csv(file.path(here, paste0(name, ".csv")), stringsAsFactors = FALSE,
           colClasses = c(id = "character", stratum = "character", vstratum = "character",
                          industry = "character"))
}

srswor_design <- function(data) {
  svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = data)
}

pips_design <- function(data) {
  svydesign(ids = ~1, strata = ~vstratum, probs = ~pi, data = data)
}

num <- function(x) unname(as.numeric(x))

# One entry: what was asked (so that the Python test can ask randsample the same) and R's answer.
entry <- function(kind, variable, by, lonely, domains, estimate, se, ci, deff, df,
                  denominator = NULL, method = NULL, wald_df = NULL) {
  list(kind = kind, variable = variable, denominator = denominator, by = by, lonely = lonely,
       method = method, wald_df = wald_df, domains = as.list(domains),
       estimate = as.list(num(estimate)), se = as.list(num(se)),
       ci_lower = as.list(num(ci[, 1])), ci_upper = as.list(num(ci[, 2])),
       deff = if (is.null(deff)) NULL else as.list(num(deff)), df = as.list(num(df)))
}

stat_entry <- function(fun, kind, variable, design, lonely, wald_df = NULL) {
  f <- as.formula(paste0("~", variable))
  s <- fun(f, design, deff = TRUE)
  ci <- if (is.null(wald_df)) confint(s) else confint(s, df = degf(design))
  entry(kind, variable, NULL, lonely, list(NULL), coef(s), SE(s), ci, deff(s), degf(design),
        wald_df = wald_df)
}

domain_df <- function(design, by, levels) {
  sapply(levels, function(level) degf(design[design$variables[[by]] == level, ]))
}

by_entry <- function(fun, kind, variable, by, design, lonely) {
  b <- svyby(as.formula(paste0("~", variable)), as.formula(paste0("~", by)), design, fun,
             deff = TRUE, keep.var = TRUE)
  levels <- as.character(b[[by]])
  entry(kind, variable, by, lonely, levels, coef(b), SE(b), confint(b), deff(b),
        domain_df(design, by, levels))
}

ratio_entry <- function(numerator, denominator, by, design, lonely) {
  fn <- as.formula(paste0("~", numerator))
  fd <- as.formula(paste0("~", denominator))
  if (is.null(by)) {
    r <- svyratio(fn, fd, design)
    return(entry("ratio", numerator, NULL, lonely, list(NULL), coef(r), SE(r), confint(r),
                 NULL, degf(design), denominator = denominator))
  }
  b <- svyby(fn, as.formula(paste0("~", by)), design, svyratio, denominator = fd)
  levels <- as.character(b[[by]])
  entry("ratio", numerator, by, lonely, levels, coef(b), SE(b), confint(b), NULL,
        domain_df(design, by, levels), denominator = denominator)
}

wilson <- function(design) {
  m <- svymean(~y, design)
  p <- num(coef(m))
  v <- num(vcov(m))
  n <- nrow(design)
  alpha <- 1 - level
  n_eff <- p * (1 - p) / v * (qt(alpha / 2, n - 1) / qt(alpha / 2, degf(design)))^2
  z <- qnorm(1 - alpha / 2)
  centre <- (p + z^2 / (2 * n_eff)) / (1 + z^2 / n_eff)
  half <- z * sqrt(p * (1 - p) / n_eff + z^2 / (4 * n_eff^2)) / (1 + z^2 / n_eff)
  list(estimate = p, se = sqrt(v), ci = c(max(0, centre - half), min(1, centre + half)))
}

ciprop_entries <- function(design, by, lonely) {
  subsets <- if (is.null(by)) list(design) else {
    levels <- sort(unique(design$variables[[by]]))
    setNames(lapply(levels, function(l) design[design$variables[[by]] == l, ]), levels)
  }
  domains <- if (is.null(by)) list(NULL) else names(subsets)
  beta <- lapply(subsets, function(d) svyciprop(~y, d, method = "beta", level = level))
  wil <- lapply(subsets, wilson)
  dfs <- sapply(subsets, degf)
  list(
    entry("ciprop", "y", by, lonely, domains, sapply(beta, num),
          sapply(beta, function(b) sqrt(num(attr(b, "var")))),
          t(sapply(beta, function(b) num(attr(b, "ci")))), NULL, dfs, method = "beta"),
    entry("ciprop", "y", by, lonely, domains, sapply(wil, `[[`, "estimate"),
          sapply(wil, `[[`, "se"), t(sapply(wil, `[[`, "ci")), NULL, dfs, method = "wilson")
  )
}

standard_entries <- function(design, lonely, by = c("stratum", "industry")) {
  out <- list(
    stat_entry(svymean, "mean", "y", design, lonely),
    stat_entry(svytotal, "total", "y", design, lonely),
    stat_entry(svytotal, "total", "amount", design, lonely)
  )
  for (b in by) {
    out <- c(out, list(by_entry(svymean, "mean", "y", b, design, lonely),
                       by_entry(svytotal, "total", "amount", b, design, lonely)))
  }
  out
}

cases <- list()

options(survey.lonely.psu = "fail")
d <- srswor_design(read_case("srswor_classes"))
cases$srswor_classes <- c(
  standard_entries(d, "fail"),
  list(stat_entry(svymean, "mean", "y", d, "fail", wald_df = "design")),
  ciprop_entries(d, NULL, "fail"),
  ciprop_entries(d, "stratum", "fail")
)

take_all <- list()
for (lonely in c("certainty", "remove", "adjust")) {
  options(survey.lonely.psu = lonely)
  d <- srswor_design(read_case("take_all"))
  take_all <- c(take_all, standard_entries(d, lonely, by = "stratum"),
                list(ratio_entry("amount", "revenue", NULL, d, lonely)))
}
cases$take_all <- take_all

options(survey.lonely.psu = "fail")
d <- srswor_design(read_case("domains"))
cases$domains <- c(standard_entries(d, "fail", by = "industry"),
                   ciprop_entries(d, "industry", "fail"))

d <- srswor_design(read_case("ratio"))
cases$ratio <- list(ratio_entry("amount", "revenue", NULL, d, "fail"),
                    ratio_entry("amount", "revenue", "industry", d, "fail"),
                    ratio_entry("amount", "revenue", "stratum", d, "fail"))

options(survey.lonely.psu = "certainty")
d <- pips_design(read_case("pips"))
cases$pips <- c(standard_entries(d, "fail"),
                list(ratio_entry("amount", "revenue", NULL, d, "fail"),
                     ratio_entry("amount", "revenue", "industry", d, "fail")),
                ciprop_entries(d, NULL, "fail"))

result <- list(
  generator = "tests/data/r/estimation_reference.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  survey_version = as.character(packageVersion("survey")),
  level = level,
  cases = cases
)
write_json(result, output, auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null",
           na = "null")
