//! Preparing one target's part of a report where it was linted: the step
//! that lets a run over many files free each file's text in the worker that
//! read it (see `run::lint`). It belongs to the reports, not to linting: a
//! lint result knows nothing of formats.

use super::{human, Format, Located, RenderOptions};
use crate::LintResult;

impl LintResult {
    /// Prepares this target's part of a report in `format` now, then frees
    /// the file texts, which no report needs afterwards: a run over a
    /// thousand files holds findings, not a thousand files, until the report
    /// is written, and each target is prepared on the core that linted it.
    /// Every finding keeps its position (resolved by `lint`), so a report
    /// in any format made afterwards still places it.
    pub fn finish(&mut self, format: Format, opts: &RenderOptions) {
        for f in &mut self.findings {
            f.resolve(&self.sources);
        }
        if format == Format::Human {
            self.rendered = Some(human::render_target(self, opts));
        } else {
            let located = self
                .findings
                .iter()
                .map(|f| Located::new(self, f))
                .collect();
            self.resolved = Some(located);
        }
        for source in &mut self.sources {
            source.release_text();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use crate::source::SourceFile;
    use crate::LintOptions;

    /// A target finished for the human report, then reported in another
    /// format (its text freed): every finding keeps its line and column.
    #[test]
    fn finished_targets_keep_their_positions() {
        let text = "[DEFAULT]\n\n  debug = true\nflavour = x\n[paste_deploy]\nflavour = keystone\n";
        let options = LintOptions {
            host_checks: false,
            ..LintOptions::default()
        };
        let fresh = crate::lint(vec![SourceFile::from_text("f.conf", text)], &options);
        let whole: Vec<Located> = Report {
            results: std::slice::from_ref(&fresh),
            input_errors: &[],
        }
        .located()
        .map(|(_, l)| l.into_owned())
        .collect();
        assert!(whole.len() >= 2, "{whole:?}");
        assert!(whole.iter().any(|l| l.line > 1), "{whole:?}");

        let mut finished = fresh.clone();
        let opts = RenderOptions {
            color: false,
            width: 80,
        };
        finished.finish(Format::Human, &opts);
        assert!(finished.sources[0].is_released() && finished.resolved.is_none());
        let after: Vec<Located> = Report {
            results: std::slice::from_ref(&finished),
            input_errors: &[],
        }
        .located()
        .map(|(_, l)| l.into_owned())
        .collect();
        let place = |l: &Located| (l.code, l.line, l.column, l.end_line, l.end_column);
        assert_eq!(
            after.iter().map(place).collect::<Vec<_>>(),
            whole.iter().map(place).collect::<Vec<_>>()
        );
    }
}
