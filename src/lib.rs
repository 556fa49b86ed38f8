//! glance-lint: a linter for OpenStack Glance's `glance-api.conf`.
//!
//! The pipeline: bytes → [`model::parse`] (oslo.config's exact reading, with
//! spans) → [`model::EffectiveConfig`] (files merged as oslo.config merges
//! them) → [`rules`] → [`Finding`]s → [`suppress`] → a reporter, behind the one
//! [`redact::Redactor`]. The library never prints.
//!
//! The modules stand on floors, each using only its own floor and the ones
//! below (`tests/layering.rs` checks it): source (`source`, `parallel`) →
//! model (`model`, `schema`, `redact`) → rules (`meta`, `finding`,
//! `options`, `fix`, `autofix`, `host`, `rules`, `suppress`, `live`,
//! `live_check`, and [`lint`] here) → reports (`report`, `config_output`)
//! → commands (`inputs`, `project`, `cli`, `run`, `write`, and `main.rs`).

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

pub mod autofix;
pub mod cli;
pub mod config_output;
pub mod finding;
pub mod fix;
pub mod host;
pub mod inputs;
#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "live")]
pub mod live_check;
pub mod meta;
pub mod model;
pub mod options;
pub mod parallel;
pub mod project;
pub mod redact;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod source;
pub mod suppress;
pub mod write;

pub use finding::{Finding, Severity};
pub use meta::RULES_URL;
use model::EffectiveConfig;
pub use options::{LintOptions, Selection};
use source::SourceFile;

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
    pub resolved: Option<Vec<finding::Located>>,
    /// This target's part of the human report, once [`LintResult::finish`]
    /// has run for it.
    pub rendered: Option<String>,
    /// The Glance release the target was judged against.
    pub release: schema::Release,
    /// The release was chosen (`--target-release`, the project config)
    /// rather than the newest by default.
    pub release_chosen: bool,
}

impl LintResult {
    /// The name reports use for this target: its main file.
    pub fn name(&self) -> &str {
        &self.sources[0].name
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
    if options.template {
        drop_template_findings(&config, &sources, &mut findings);
    }
    // The wrong file: said once, and nothing else about it (no probe either).
    let wrong_file = findings
        .iter()
        .position(|f| f.rule.code == rules::NOT_GLANCE_API_CONF.code);
    if let Some(i) = wrong_file {
        findings.swap(0, i);
        findings.truncate(1);
    }
    let ran = match options.live {
        #[cfg(feature = "live")]
        Some(timeout) if wrong_file.is_none() => {
            let env = live::PlanEnv {
                root: &options.root,
                service_user: options.service_user.as_deref().unwrap_or("glance"),
                host_checks: options.host_checks,
                // What db_sync of the release linted leaves.
                schema: live::glance_schema::for_release(options.catalogue.release().series())
                    .unwrap_or_else(live::glance_schema::newest),
                ..live::PlanEnv::new(options.catalogue)
            };
            findings.extend(live_check::check(
                &config,
                &env,
                &options.selection,
                timeout,
            ));
            options.selection.clone()
        }
        // The live rules did not run, so a suppression of one cannot be unused.
        _ => options.selection.without(rules::live_rules()),
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
        release: options.catalogue.release(),
        release_chosen: options.release_chosen,
    }
}

/// In a Jinja template (`glance-api.conf.j2`, a kolla override): a value
/// holding a template expression (`{{ glance_db_password }}`) is filled in
/// at render time, so nothing is said about it, and a line that is a Jinja
/// statement (`{% if ... %}`) is not a parse error. Everything else is
/// judged as usual.
fn drop_template_findings(
    config: &EffectiveConfig,
    sources: &[SourceFile],
    findings: &mut Vec<Finding>,
) {
    let templated: Vec<source::Span> = config
        .entries()
        .filter(|e| e.value.contains("{{") || e.value.contains("{%"))
        .map(|e| source::Span::new(e.key_span.file, e.key_span.start, e.value_span.end))
        .collect();
    let jinja_line = |span: source::Span| {
        let text = &sources[span.file].text;
        let start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = text[start..]
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start();
        ["{%", "{{", "{#"].iter().any(|m| line.starts_with(m))
    };
    findings.retain(|f| {
        let Some(span) = f.span else {
            return true;
        };
        let in_template_value = templated.iter().any(|t| {
            t.file == span.file && t.start <= span.start && span.start < t.end.max(t.start + 1)
        });
        let jinja_statement = f.rule.code == rules::PARSE_ERROR.code && jinja_line(span);
        !(in_template_value || jinja_statement)
    });
}

/// Resolves every finding's position, then sorts them in report order:
/// file, line, column, code.
pub fn sort_findings(sources: &[SourceFile], findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        f.resolve(sources);
    }
    findings.sort_by_key(|f| {
        let pos = f
            .position()
            .map(|p| (p.file, (p.line, p.column)))
            .unwrap_or((0, (0, 0)));
        (pos, f.rule.code)
    });
}
