//! The whole pipeline: a file (and, after the first 0xff byte, an overlay)
//! linted with every rule, rendered by every reporter, and printed by the
//! `config` subcommand; nothing may panic and every span must be valid.
#![no_main]

use glance_lint::report::{self, RenderOptions, Report};
use glance_lint::source::SourceFile;
use glance_lint::{config_output, LintOptions};
use libfuzzer_sys::fuzz_target;

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
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let result = glance_lint::lint(sources, &options);
    for f in &result.findings {
        if let Some(s) = f.span {
            let text = &result.sources[s.file].text;
            assert!(s.start <= s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
    let _ = config_output::ini(&result.config, true);
    let _ = config_output::ini(&result.config, false);
    let _ = config_output::json(&result.config, false);
    let results = [result];
    let report = Report {
        results: &results,
        input_errors: &[],
    };
    for color in [false, true] {
        let human = report::human(&report, &RenderOptions { color, width: 80 });
        assert!(human.ends_with('\n'));
    }
    let json = report::json(&report);
    serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
});
