//! `--format json`: the object promised in CONTRACT.md, keys in alphabetical
//! order. Serialized straight from the findings (no intermediate JSON tree),
//! so 500,000 findings cost their output and little more.

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::Report;
use crate::finding::Severity;

#[derive(serde::Serialize)]
struct Output<'a> {
    diagnostics: Diagnostics<'a>,
    errors: Vec<PathMessage<'a>>,
    files: Vec<FileCount<'a>>,
    /// The release the files were judged against (null when nothing was
    /// linted, or files were judged against different ones: see each file's
    /// `release`).
    release: Option<ReleaseJson>,
    summary: Summary,
    tool: Tool,
    version: u32,
}

/// Every finding, resolved one at a time as it is written.
struct Diagnostics<'a>(&'a Report<'a>);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (_, located) in self.0.located() {
            seq.serialize_element(&located)?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct PathMessage<'a> {
    message: &'a str,
    path: &'a str,
}

#[derive(serde::Serialize)]
struct FileCount<'a> {
    findings: usize,
    notes: &'a [String],
    path: &'a str,
    release: ReleaseJson,
}

/// A Glance release as machine formats name it.
#[derive(serde::Serialize)]
pub(crate) struct ReleaseJson {
    glance: &'static str,
    name: &'static str,
    series: &'static str,
}

impl From<crate::schema::Release> for ReleaseJson {
    fn from(r: crate::schema::Release) -> Self {
        ReleaseJson {
            glance: r.glance(),
            name: r.code_name(),
            series: r.series(),
        }
    }
}

#[derive(serde::Serialize)]
struct Summary {
    error: usize,
    info: usize,
    warning: usize,
}

#[derive(serde::Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn render(report: &Report) -> String {
    let output = Output {
        diagnostics: Diagnostics(report),
        errors: report
            .input_errors
            .iter()
            .map(|e| PathMessage {
                message: &e.message,
                path: &e.path,
            })
            .collect(),
        files: report
            .results
            .iter()
            .map(|r| FileCount {
                findings: r.findings.len(),
                notes: &r.notes,
                path: r.name(),
                release: r.release.into(),
            })
            .collect(),
        release: report.release().map(Into::into),
        summary: Summary {
            error: report.count(Severity::Error),
            info: report.count(Severity::Info),
            warning: report.count(Severity::Warning),
        },
        tool: Tool {
            name: "glance-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: 1,
    };
    let mut out = serde_json::to_string_pretty(&output).expect("JSON values serialize");
    out.push('\n');
    out
}
