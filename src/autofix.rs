//! The loop behind `--fix` and `--diff`: lint, apply the fixes, lint
//! again, until nothing more applies. Nothing is written here.
//!
//! Applying is conservative: a file oslo.config refuses (a parse or decode
//! error, in the main file or an overlay) is not touched; fixes whose edits
//! overlap one already taken wait for the next pass; after each pass the
//! files are linted again, until nothing more applies or [`MAX_PASSES`].
//! A pass that would leave a file oslo.config refuses is thrown away.

use crate::fix::{splice, Applicability, Edit};
use crate::meta::RuleMeta;
use crate::options::LintOptions;
use crate::source::SourceFile;
use crate::LintResult;

/// The most lint-and-fix passes one target gets: each pass applies every
/// fix that does not overlap another, so real files settle in two or three.
pub const MAX_PASSES: usize = 10;

const UNUSED_SUPPRESSION: &str = crate::rules::unused_suppression::UnusedSuppression::META.code;

/// A fix that was applied.
#[derive(Debug, Clone)]
pub struct Applied {
    pub rule: &'static RuleMeta,
    /// The file the finding was in (an index into the target's sources).
    pub file: usize,
    /// The finding's line, in the file as it was before that pass.
    pub line: usize,
    /// The fix's message, redacted.
    pub message: String,
    /// The finding's section and option, when it has them.
    pub section: Option<String>,
    pub option: Option<String>,
    /// The fix's edits (spans of the file as it was before that pass).
    pub edits: Vec<Edit>,
}

/// The result of fixing one target.
#[derive(Debug)]
pub struct Fixed {
    /// The target as it was read.
    pub original: Vec<SourceFile>,
    /// What masks the secrets of the target as it was read (for `--diff`).
    pub original_redactor: crate::redact::Redactor,
    /// The lint of the files as the fixes left them (the original when
    /// nothing applied), findings and all: what remains.
    pub result: LintResult,
    pub applied: Vec<Applied>,
    /// Why nothing was fixed, when a reason stops it (oslo.config refuses
    /// the file).
    pub refused: Option<String>,
    /// The rules of a pass that was dropped because its fixes would have
    /// left a file oslo.config refuses (a bug in one of them; empty normally).
    pub dropped: Vec<&'static str>,
}

impl Fixed {
    /// Whether file `i` of the target changed.
    pub fn changed(&self, i: usize) -> bool {
        self.original[i].text != self.result.sources[i].text
    }
}

/// Lints a target and applies its fixes of at least `level` (`Safe`, or
/// `Unsafe` for `--unsafe-fixes`) until none applies. Nothing is written:
/// the fixed texts are in the result's sources.
pub fn fix(sources: Vec<SourceFile>, options: &LintOptions, level: Applicability) -> Fixed {
    let mut fixed = fix_passes(sources, options, level);
    // The live probes (`--live`) run once, on what the fixes left: no fix
    // comes from them, and each pass would probe the services again.
    if options.live.is_some() {
        let sources = std::mem::take(&mut fixed.result.sources);
        fixed.result = crate::lint(sources, options);
    }
    fixed
}

fn fix_passes(sources: Vec<SourceFile>, options: &LintOptions, level: Applicability) -> Fixed {
    let options = &LintOptions {
        live: None,
        ..options.clone()
    };
    let original = sources.clone();
    let mut result = crate::lint(sources, options);
    let original_redactor = result.redactor.clone();
    let mut applied = Vec::new();
    if let Some(err) = crate::effective_config(&result.sources).first_parse_error() {
        let src = &result.sources[err.span.file];
        let refused = format!(
            "{}: line {}: not fixed: oslo.config cannot parse this file ({})",
            src.name,
            err.line,
            err.kind.oslo_message()
        );
        return Fixed {
            original,
            original_redactor,
            result,
            applied,
            refused: Some(refused),
            dropped: Vec::new(),
        };
    }
    let mut dropped = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut taken: Vec<Edit> = Vec::new();
        let mut pass = Vec::new();
        // Unused suppressions last, in a pass of their own: another fix may
        // make a suppressed rule fire (an inline comment moved off a
        // boolean makes `debug = true` readable), and then it is used.
        let others_apply = result.findings.iter().any(|f| {
            f.rule.code != UNUSED_SUPPRESSION
                && f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability >= level && !x.edits.is_empty())
        });
        for f in &result.findings {
            let Some(fix) = &f.fix else { continue };
            if fix.applicability < level || fix.edits.is_empty() {
                continue;
            }
            if others_apply && f.rule.code == UNUSED_SUPPRESSION {
                continue;
            }
            // The same edits as a fix already taken (two findings, one
            // remedy): done by that one.
            let same = fix.edits.iter().all(|e| taken.contains(e));
            if !same && fix.conflicts(&taken) {
                continue;
            }
            if !same {
                taken.extend(fix.edits.iter().cloned());
            }
            let file = f.span.map_or(0, |s| s.file);
            pass.push(Applied {
                rule: f.rule,
                file,
                line: f.position().map_or(1, |p| p.line),
                message: result.redactor.text(&fix.message),
                section: f.section.clone(),
                option: f.option.clone(),
                edits: fix.edits.clone(),
            });
        }
        if taken.is_empty() {
            break;
        }
        let sources: Vec<SourceFile> = result
            .sources
            .iter()
            .enumerate()
            .map(|(i, src)| {
                let edits: Vec<&Edit> = taken.iter().filter(|e| e.span.file == i).collect();
                if edits.is_empty() {
                    return src.clone();
                }
                let text = splice(&src.text, &edits);
                SourceFile::from_bytes(src.name.clone(), src.disk_path.as_deref(), text.into())
            })
            .collect();
        if crate::effective_config(&sources)
            .first_parse_error()
            .is_some()
        {
            // A fix must never make the file unreadable; if one would, the
            // pass is dropped (and the findings stay reported).
            dropped = pass.iter().map(|a| a.rule.name).collect();
            break;
        }
        applied.extend(pass);
        result = crate::lint(sources, options);
    }
    Fixed {
        original,
        original_redactor,
        result,
        applied,
        refused: None,
        dropped,
    }
}
