//! `cargo bench`: parser throughput on a large generated file (MB/s) and the
//! whole lint (parse, merge, every rule, suppressions, human report) of a
//! typical file. Whole-process timings against oslo-config-validator and
//! `cat` are in scripts/bench.sh; the figures are in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use glance_lint::report::{self, RenderOptions, Report};
use glance_lint::source::SourceFile;
use glance_lint::LintOptions;

/// A glance-api.conf-shaped file of about `size` bytes: mostly comments, as
/// generated samples are, with sections, options, URLs and continuations.
pub fn generated(size: usize) -> String {
    let mut text = String::with_capacity(size + 4096);
    let mut i = 0;
    while text.len() < size {
        text.push_str(&format!("[backend_{i}]\n"));
        text.push_str("#\n# From glance.store\n#\n\n");
        text.push_str("# Directory to which the filesystem backend store writes images.\n");
        text.push_str("# Upon start up, Glance creates the directory if it doesn't already\n");
        text.push_str("# exist and verifies write access to the user under which\n");
        text.push_str("# ``glance-api`` runs. (string value)\n");
        text.push_str("#filesystem_store_datadir = /var/lib/glance/images\n");
        text.push_str("filesystem_store_datadir = /var/lib/glance/images\n");
        text.push_str("store_description = \"fast local disk\"\n");
        text.push_str("transport_url = rabbit://openstack:RABBIT_PASS@controller:5672/\n");
        text.push_str("enabled_backends = fs:file,\n    http:http,\n    rbd:rbd\n");
        text.push_str(&format!("weight = {i}\n\n"));
        i += 1;
    }
    text
}

/// A real edited sample when ../shared is there, else a generated one.
fn typical() -> (String, String) {
    let real = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/real/ogalush-ussuri-centos8.conf"
    );
    match std::fs::read_to_string(real) {
        Ok(text) => ("ogalush-ussuri-centos8.conf".into(), text),
        Err(_) => ("generated 200 KB".into(), generated(200_000)),
    }
}

fn parse(c: &mut Criterion) {
    let text = generated(20 * 1024 * 1024);
    let src = SourceFile::from_text("big.conf", &text);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("generated 20 MiB", |b| {
        b.iter(|| glance_lint::model::parse::parse(0, black_box(&src)))
    });
    group.bench_function("decode + line index + parse, 20 MiB", |b| {
        b.iter(|| {
            let src = SourceFile::from_bytes("big.conf", None, black_box(text.as_bytes().to_vec()));
            glance_lint::model::parse::parse(0, &src)
        })
    });
    group.finish();
}

fn lint(c: &mut Criterion) {
    let (name, text) = typical();
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(format!("typical file ({name}), human report"), |b| {
        b.iter(|| {
            let src = SourceFile::from_text("glance-api.conf", black_box(&text));
            let results = [glance_lint::lint(vec![src], &options)];
            report::human(
                &Report {
                    results: &results,
                    input_errors: &[],
                },
                &RenderOptions {
                    color: false,
                    width: 100,
                },
            )
        })
    });
    group.finish();
}

criterion_group!(benches, parse, lint);
criterion_main!(benches);
