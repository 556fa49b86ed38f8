//! The whole pipeline: a file (and, after the first 0xff byte, an overlay)
//! linted with every rule, rendered by every reporter, and printed by the
//! `config` subcommand; nothing may panic, every span must be valid, and a
//! target finished early (as the CLI does: its report part prepared in the
//! worker, its texts freed) must render exactly as one rendered at the end.
#![no_main]

use glance_lint::report::{self, Format, RenderOptions, Report};
use glance_lint::source::SourceFile;
use glance_lint::{config_output, LintOptions};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 7] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Junit,
    Format::Gitlab,
    Format::Checkstyle,
];

fuzz_target!(|data: &[u8]| {
    let mut sources = Vec::new();
    let (main, overlay) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    sources.push(SourceFile::from_bytes("glance-api.conf", None, main.to_vec()));
    if let Some(o) = overlay {
        sources.push(SourceFile::from_bytes("glance-api.conf.d/50.conf", None, o.to_vec()));
    }
    let config = glance_lint::effective_config(&sources);
    let _ = config_output::ini(&config, glance_lint::schema::catalogue(), true);
    let _ = config_output::ini(&config, glance_lint::schema::catalogue(), false);
    let _ = config_output::json(&config, glance_lint::schema::catalogue(), false);

    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let results = [glance_lint::lint(sources.clone(), &options)];
    for f in &results[0].findings {
        if let Some(s) = f.span {
            let text = &results[0].sources[s.file].text;
            assert!(s.start <= s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
    let report = Report {
        results: &results,
        input_errors: &[],
    };
    // Colour only changes the human report.
    let runs = FORMATS.iter().map(|&f| (f, false)).chain([(Format::Human, true)]);
    for (format, color) in runs {
        let opts = RenderOptions { color, width: 80 };
        let whole = report::render(format, &report, &opts);
        assert!(whole.ends_with('\n') || whole.is_empty(), "{format:?}");
        if format == Format::Json {
            serde_json::from_str::<serde_json::Value>(&whole).expect("valid JSON");
        }
        let mut finished = results[0].clone();
        finished.finish(format, &opts);
        let early = [finished];
        let report = Report {
            results: &early,
            input_errors: &[],
        };
        assert_eq!(report::render(format, &report, &opts), whole, "{format:?}");
    }
});
