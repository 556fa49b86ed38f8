//! Property tests: on arbitrary bytes and on generated INI-shaped files, the
//! linter never panics, every span lies inside its file on char boundaries,
//! the `config` output re-parses to the same values, and (when oslo.config
//! is available) the parser agrees with oslo.config's on every file.
//!
//! Case counts are modest so `cargo test` stays fast; raise them with
//! `PROPTEST_CASES=5000 cargo test --test properties`.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use glance_lint::report::{self, Format, RenderOptions, Report};
use glance_lint::source::SourceFile;
use glance_lint::{config_output, effective_config, LintOptions, LintResult};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        ..Config::default()
    }
}

fn lint_bytes(bytes: &[u8]) -> LintResult {
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let src = SourceFile::from_bytes("glance-api.conf", None, bytes.to_vec());
    glance_lint::lint(vec![src], &options)
}

/// Every span inside its file, on char boundaries; every report renders.
fn check_result(result: LintResult) -> Result<(), TestCaseError> {
    for f in &result.findings {
        let Some(span) = f.span else { continue };
        prop_assert!(span.file < result.sources.len());
        let text = &result.sources[span.file].text;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{} span {:?} outside a {}-byte file",
            f.rule.code,
            span,
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{} span {:?} splits a character",
            f.rule.code,
            span
        );
    }
    let results = [result];
    let report = Report {
        results: &results,
        input_errors: &[],
    };
    for (_, located) in report.located() {
        prop_assert!(located.line >= 1 && located.column >= 1);
        prop_assert!((located.line, located.column) <= (located.end_line, located.end_column));
    }
    let human = report::human(
        &report,
        &RenderOptions {
            color: true,
            width: 80,
        },
    );
    prop_assert!(human.ends_with('\n'));
    let json: serde_json::Value = serde_json::from_str(&report::json(&report)).unwrap();
    prop_assert_eq!(
        json["diagnostics"].as_array().unwrap().len(),
        results[0].findings.len()
    );
    Ok(())
}

/// INI-shaped text: the lines oslo.config distinguishes, with the
/// characters its parser treats specially (separators, quotes, Python
/// whitespace, `$`, URLs with passwords, suppression comments ...).
fn ini_text() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("DEFAULT".to_string()),
        Just("default".to_string()),
        Just("glance_store".to_string()),
        Just("Database".to_string()),
        Just("keystone_authtoken".to_string()),
        Just("fs".to_string()),
        "[a-zA-Z_ .\\]]{0,8}",
    ];
    let section = (
        name,
        prop_oneof![4 => Just(""), 1 => Just(" # x"), 1 => Just("x")],
    )
        .prop_map(|(n, junk)| format!("[{n}]{junk}"));
    let key = prop_oneof![
        Just("debug"),
        Just("enabled_backends"),
        Just("default_backend"),
        Just("filesystem_store_datadir"),
        Just("password"),
        Just("connection"),
        Just("transport_url"),
        Just("auth_url"),
        Just("stores"),
        Just("workers"),
        Just("show_image_direct_url"),
    ]
    .prop_map(str::to_string)
    .boxed()
    .prop_union("[a-zA-Z_][a-zA-Z0-9_. -]{0,8}".boxed())
    .boxed();
    let value = prop_oneof![
        "[a-z0-9 ,:/_.-]{0,12}",
        Just("true".to_string()),
        Just("fs:file, http:http".to_string()),
        Just("rabbit://openstack:s3cr3t@ctl:5672/".to_string()),
        Just("mysql+pymysql://glance:pw,x:y@db/glance".to_string()),
        Just("/var/lib/glance/images # the store".to_string()),
        Just("pa$word ${x}".to_string()),
        Just("\"quoted\"".to_string()),
        Just("'".to_string()),
        Just("\" padded \"".to_string()),
        Just("café\u{a0}".to_string()),
        Just("x\u{1c}\u{3000}".to_string()),
        Just("a = b : c".to_string()),
        Just("\u{202e}\u{1b}[0m".to_string()),
    ];
    let ws = "[ \t]{0,2}";
    let assignment = (
        key,
        ws,
        prop_oneof![Just('='), Just(':')],
        ws,
        value.clone(),
    )
        .prop_map(|(k, w1, sep, w2, v)| format!("{k}{w1}{sep}{w2}{v}"));
    let continuation = ("[ \t]{1,3}", value).prop_map(|(w, v)| format!("{w}{v}"));
    let line = prop_oneof![
        3 => section,
        8 => assignment,
        3 => continuation,
        1 => "[#;][ a-z=]{0,10}",
        1 => Just("# glance-lint: disable=GL003,debug-enabled".to_string()),
        1 => Just("# glance-lint: disable-file=GL004".to_string()),
        2 => "[ \t]{0,2}",
        1 => "[a-z ]{1,10}",
        1 => Just("= value".to_string()),
        1 => Just("[]".to_string()),
    ];
    let eol = prop_oneof![8 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r")];
    (
        prop_oneof![19 => Just(""), 1 => Just("\u{feff}")],
        prop::collection::vec((line, eol), 0..40),
    )
        .prop_map(|(bom, lines)| {
            let mut text = bom.to_string();
            for (l, eol) in lines {
                text.push_str(&l);
                text.push_str(eol);
            }
            text
        })
}

/// `section -> option -> value` of an effective configuration.
fn values(text: &str) -> Option<BTreeMap<String, BTreeMap<String, String>>> {
    let cfg = effective_config(&[SourceFile::from_text("t.conf", text)]);
    if cfg.first_parse_error().is_some() {
        return None;
    }
    let mut out = BTreeMap::new();
    for section in cfg.sections() {
        let options = cfg
            .options(section)
            .map(|(k, e)| (k.to_string(), e.value.clone()))
            .collect();
        out.insert(section.to_string(), options);
    }
    Some(out)
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_result(lint_bytes(&bytes))?;
    }

    #[test]
    fn ini_shaped_text_never_panics(text in ini_text()) {
        check_result(lint_bytes(text.as_bytes()))?;
    }

    /// A target finished in its worker (report part prepared, texts freed:
    /// what the CLI does) renders exactly as one rendered at the end.
    #[test]
    fn finishing_early_renders_the_same_report(text in ini_text()) {
        for format in <Format as clap::ValueEnum>::value_variants() {
            let opts = RenderOptions { color: *format == Format::Human, width: 80 };
            let whole = [lint_bytes(text.as_bytes())];
            let mut early = lint_bytes(text.as_bytes());
            early.finish(*format, &opts);
            let early = [early];
            prop_assert!(early[0].sources[0].text.is_empty());
            let render = |results: &[LintResult]| {
                report::render(*format, &Report { results, input_errors: &[] }, &opts)
            };
            prop_assert_eq!(render(&early), render(&whole), "{:?}", format);
        }
    }

    #[test]
    fn config_output_reparses_to_the_same_values(text in ini_text()) {
        let sources = [SourceFile::from_text("t.conf", &text)];
        let cfg = effective_config(&sources);
        let ini = config_output::ini(&cfg, glance_lint::schema::catalogue(), true);
        // The JSON form never fails either.
        serde_json::from_str::<serde_json::Value>(&config_output::json(&cfg, glance_lint::schema::catalogue(), false)).unwrap();
        if let Some(original) = values(&text) {
            let again = values(&ini);
            prop_assert!(again.is_some(), "the printed config does not parse:\n{}", ini);
            prop_assert_eq!(again.unwrap(), original, "printed:\n{}", ini);
        }
    }
}

/// Our reading of one file in the shape `tests/oslo_parse_many.py` prints.
fn ours(bytes: &[u8]) -> serde_json::Value {
    use glance_lint::model::ParseErrorKind;
    let src = SourceFile::from_bytes("t.conf", None, bytes.to_vec());
    let doc = glance_lint::model::parse::parse(0, &src);
    match doc.errors.first() {
        Some(e) => match e.kind {
            ParseErrorKind::Decode { position, .. } => {
                serde_json::json!({"ok": false, "kind": "decode", "position": position})
            }
            ParseErrorKind::NoSection { flush_line } => {
                serde_json::json!({"ok": false, "kind": "parse", "lineno": flush_line})
            }
            _ => serde_json::json!({"ok": false, "kind": "parse", "lineno": e.line}),
        },
        None => {
            let mut sections: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
            for h in &doc.sections {
                sections.entry(&h.name).or_default();
            }
            for e in &doc.entries {
                sections
                    .entry(&e.section)
                    .or_default()
                    .entry(&e.key)
                    .or_default()
                    .push(&e.value);
            }
            serde_json::json!({"ok": true, "normalized": sections})
        }
    }
}

#[test]
#[ignore = "needs GLANCE_LINT_PYTHON (oslo.config); scripts/test.sh runs it"]
fn parser_agrees_with_oslo_config_on_generated_files() {
    let Some(python) = std::env::var_os("GLANCE_LINT_PYTHON") else {
        common::skip("GLANCE_LINT_PYTHON is not set (scripts/test.sh sets it): no oslo.config");
        return;
    };
    let cases = config(300).cases as usize;
    let mut runner = TestRunner::new(config(300));
    let strategy = ini_text();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..cases {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let mut bytes = text.into_bytes();
        // Every tenth file gets a byte that is not UTF-8 (files stay under
        // Python's 8 KiB read buffer, so its error position is the file's).
        if i % 10 == 9 {
            let at = bytes.len() / 2;
            bytes.insert(at, 0xe9);
        }
        let path = dir.path().join(format!("case{i}.conf"));
        std::fs::write(&path, &bytes).unwrap();
        files.push((path, bytes));
    }
    let mut child = Command::new(python)
        .arg(common::project_dir().join("tests/oslo_parse_many.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    {
        let mut stdin = child.stdin.take().unwrap();
        for (path, _) in &files {
            writeln!(stdin, "{}", path.display()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oslo_parse_many.py failed");
    let theirs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(theirs.len(), files.len());
    for ((path, bytes), theirs) in files.iter().zip(&theirs) {
        assert_eq!(
            &ours(bytes),
            theirs,
            "{} differs from oslo.config; the file:\n{:?}",
            path.display(),
            String::from_utf8_lossy(bytes)
        );
    }
}
