//! glance-lint: a linter for OpenStack Glance's `glance-api.conf`.
//!
//! The pipeline: bytes → [`model::parse`] (oslo.config's exact reading, with
//! spans) → [`model::EffectiveConfig`] (files merged as oslo.config merges
//! them) → [`rules`] → [`Finding`]s → [`suppress`] → a reporter, behind the one
//! [`redact::Redactor`]. The library never prints.

/// A regex compiled once, on first use. Each use site is its own static, so a
/// pattern costs start-up time only in a run that reaches it: rules put a
/// cheap test (a byte or substring search) in front of their patterns.
#[macro_export]
macro_rules! lazy_regex {
    ($re:literal) => {{
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        RE.get_or_init(|| regex::Regex::new($re).expect("static regex"))
    }};
}

pub mod cli;
pub mod config_output;
pub mod finding;
pub mod host;
pub mod inputs;
pub mod live;
pub mod live_check;
pub mod model;
pub mod project;
pub mod redact;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod source;
pub mod suppress;

use std::collections::HashMap;
use std::path::PathBuf;

pub use finding::{Finding, Severity};
use model::EffectiveConfig;
use source::SourceFile;

/// Where each rule's documentation page is published.
pub const RULES_URL: &str = "https://github.com/glance-lint/glance-lint/blob/main/rules";

/// How to run the rules.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Host paths (the image datadir, file modes) are looked up under this root.
    pub root: PathBuf,
    /// Run the checks that look at the host rather than the file.
    pub host_checks: bool,
    pub selection: Selection,
    /// `--live`: after the static checks, probe the services the file names, each probe
    /// bounded by this timeout.
    pub live: Option<std::time::Duration>,
    /// The option catalogue of the Glance release being linted: what the
    /// catalogue rules check and what the secret policy masks.
    pub catalogue: &'static schema::Catalogue,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            root: PathBuf::from("/"),
            host_checks: true,
            selection: Selection::default(),
            live: None,
            catalogue: schema::catalogue(),
        }
    }
}

/// Which rules run and at what severity (`--select`, `--ignore`, `--severity`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Names, codes or code prefixes; empty means every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Rule code → severity.
    pub severity: HashMap<&'static str, Severity>,
}

pub(crate) fn matches_rule(pattern: &str, meta: &rules::RuleMeta) -> bool {
    pattern == meta.name
        || (pattern.len() >= 2
            && meta.code.len() >= pattern.len()
            && meta.code[..pattern.len()].eq_ignore_ascii_case(pattern))
}

impl Selection {
    pub fn enabled(&self, meta: &rules::RuleMeta) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| matches_rule(p, meta));
        selected && !self.ignore.iter().any(|p| matches_rule(p, meta))
    }

    /// Applies `--severity` overrides; a rule may otherwise lower or raise
    /// its own default for one finding.
    pub fn apply_severity(&self, findings: &mut [Finding]) {
        for f in findings {
            if let Some(&sev) = self.severity.get(f.rule.code) {
                f.severity = sev;
            }
        }
    }

    /// Sets the severity of every rule a pattern matches; a more specific
    /// pattern (a name or full code over a prefix, a longer prefix over a
    /// shorter one) wins whatever the order.
    pub fn set_severities(&mut self, overrides: &[(String, Severity)]) {
        let specificity = |p: &str| {
            if rules::meta(p).is_some() {
                usize::MAX
            } else {
                p.len()
            }
        };
        let mut sorted: Vec<_> = overrides.iter().collect();
        sorted.sort_by_key(|(p, _)| specificity(p));
        for (pattern, severity) in sorted {
            for r in rules::RULES {
                if matches_rule(pattern, r.meta()) {
                    self.severity.insert(r.meta().code, *severity);
                }
            }
        }
    }

    /// Checks that every pattern names a rule, a code or a code prefix.
    pub fn validate(patterns: &[String]) -> Result<(), String> {
        for p in patterns {
            if !rules::RULES.iter().any(|r| matches_rule(p, r.meta())) {
                return Err(format!("`{p}` is not a rule name, code or code prefix"));
            }
        }
        Ok(())
    }
}

/// What was linted together (a file and its overlays) and what was found.
#[derive(Debug, Clone)]
pub struct LintResult {
    pub sources: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub redactor: redact::Redactor,
    /// The host checks that did not run, and why (reports show each once).
    pub notes: Vec<String>,
    /// Every finding resolved to a place with its texts redacted, once
    /// [`LintResult::finish`] has run for a machine format.
    pub resolved: Option<Vec<report::Located>>,
    /// This target's part of the human report, once [`LintResult::finish`]
    /// has run for it.
    pub rendered: Option<String>,
}

impl LintResult {
    /// The name reports use for this target: its main file.
    pub fn name(&self) -> &str {
        &self.sources[0].name
    }

    /// Prepares this target's part of a report in `format` now, then frees
    /// the file texts, which no report needs afterwards: a run over a
    /// thousand files holds findings, not a thousand files, until the report
    /// is written, and each target is prepared on the core that linted it.
    pub fn finish(&mut self, format: report::Format, opts: &report::RenderOptions) {
        if format == report::Format::Human {
            self.rendered = Some(report::human::render_target(self, opts));
        } else {
            let located = self
                .findings
                .iter()
                .map(|f| report::Located::new(self, f))
                .collect();
            self.resolved = Some(located);
        }
        for source in &mut self.sources {
            source.release_text();
        }
    }
}

/// Parses sources (oldest first: the main file, then its overlays) into the
/// effective configuration.
pub fn effective_config(sources: &[SourceFile]) -> EffectiveConfig {
    let docs = sources
        .iter()
        .enumerate()
        .map(|(id, src)| model::parse::parse(id, src))
        .collect();
    EffectiveConfig::new(docs)
}

/// Runs every enabled rule over one target. The parsed model is dropped
/// before returning (reports need only the sources and the findings), so that
/// linting many files reuses its memory rather than holding every model.
pub fn lint(sources: Vec<SourceFile>, options: &LintOptions) -> LintResult {
    let config = effective_config(&sources);
    let ctx = rules::Context::new(&config, &sources, options);
    let mut findings = Vec::new();
    for rule in rules::RULES {
        if options.selection.enabled(rule.meta()) {
            rule.check(&ctx, &mut findings);
        }
    }
    let ran = match options.live {
        Some(timeout) => {
            findings.extend(live_check::check(&config, &options.selection, timeout));
            options.selection.clone()
        }
        // The live rules did not run, so a suppression of one cannot be unused.
        None => {
            let mut ran = options.selection.clone();
            ran.ignore.push("GL9".into());
            ran
        }
    };
    let mut findings = suppress::apply(&config, &sources, findings, &ran);
    options.selection.apply_severity(&mut findings);
    sort_findings(&sources, &mut findings);
    let redactor = redact::Redactor::new(&sources, &config, ctx.secrets());
    let notes = host::notes(options, &sources);
    LintResult {
        sources,
        findings,
        redactor,
        notes,
        resolved: None,
        rendered: None,
    }
}

/// Report order: file, line, column, code.
pub fn sort_findings(sources: &[SourceFile], findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| {
        let pos = f
            .span
            .map(|s| (s.file, sources[s.file].line_col(s.start)))
            .unwrap_or((0, (0, 0)));
        (pos, f.rule.code)
    });
}
