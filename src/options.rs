//! How to run the rules: which run, at what severity, and whether the host
//! is looked at. Below the rule registry: the parts that need the registry
//! (`Selection::set_severities`, `Selection::validate`) are in
//! `rules/selection.rs`.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::finding::{Finding, Severity};
use crate::meta::RuleMeta;

/// How to run the rules.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Host paths (the image datadir, file modes) are looked up under this root.
    pub root: PathBuf,
    /// Run the checks that look at the host rather than the file.
    pub host_checks: bool,
    /// `--service-user`: the user glance-api runs as, for the live image-dir
    /// check; `None` is `glance`.
    pub service_user: Option<String>,
    pub selection: Selection,
    /// `--live`: after the static checks, probe the services the file names, each probe
    /// bounded by this timeout. Needs the `live` feature (the command line refuses `--live`
    /// without it; a library built without it runs no probe).
    pub live: Option<std::time::Duration>,
    /// The option catalogue of the Glance release being linted: what the
    /// catalogue rules check and what the secret policy masks.
    pub catalogue: &'static crate::schema::Catalogue,
    /// The release was chosen (`--target-release`, the project config), not
    /// the newest by default: reports then do not suggest choosing one.
    pub release_chosen: bool,
    /// `--upgrade-to`: also report what changes for the file on the way from
    /// the catalogue's release to this one.
    pub upgrade_to: Option<crate::schema::Release>,
    /// The file is a fragment merged into a base file elsewhere (`--fragment`,
    /// the project config's `fragments`): the checks that need the whole
    /// file do not run.
    pub fragment: bool,
    /// The file is a Jinja template (`*.j2`, the project config's
    /// `templates`): a value holding a template expression is not judged.
    pub template: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            root: PathBuf::from("/"),
            host_checks: true,
            service_user: None,
            selection: Selection::default(),
            live: None,
            catalogue: crate::schema::catalogue(),
            release_chosen: false,
            upgrade_to: None,
            fragment: false,
            template: false,
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
    /// Rules that do not run whatever `select` says (the live rules without
    /// `--live`).
    pub skipped: Vec<&'static RuleMeta>,
}

/// Whether a `--select`/`--ignore` pattern (a name, a code or a code
/// prefix) names a rule.
pub(crate) fn matches_rule(pattern: &str, meta: &RuleMeta) -> bool {
    pattern == meta.name
        || (pattern.len() >= 2
            && meta.code.len() >= pattern.len()
            && meta.code[..pattern.len()].eq_ignore_ascii_case(pattern))
}

impl Selection {
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| matches_rule(p, meta));
        selected
            && !self.ignore.iter().any(|p| matches_rule(p, meta))
            && !self.skipped.iter().any(|s| s.code == meta.code)
    }

    /// This selection less the given rules, whatever the patterns say.
    pub fn without(&self, rules: impl IntoIterator<Item = &'static RuleMeta>) -> Selection {
        let mut s = self.clone();
        s.skipped.extend(rules);
        s
    }

    /// Applies `--severity` overrides, over the level (default or declared
    /// variant) each rule chose.
    pub fn apply_severity(&self, findings: &mut [Finding]) {
        for f in findings {
            if let Some(&sev) = self.severity.get(f.rule.code) {
                f.override_severity(sev);
            }
        }
    }
}
