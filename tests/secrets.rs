//! No secret reaches any output: every report format, `--output`, standard
//! error and the `config` subcommand, for passwords in options, URLs,
//! continuation lines, overridden duplicates, lines oslo.config cannot parse
//! and overlay files.

mod common;

use std::path::Path;

use common::{run, stderr, stdout};

/// Each secret and a distinctive part of it: neither may appear in any
/// output, whatever the encoding around them. The parts are not hexadecimal,
/// so that a SARIF fingerprint or a hash cannot contain one by chance.
const SECRETS: &[(&str, &str)] = &[
    ("RabbitPw%409137", "RabbitPw"),
    ("DbPw4471", "DbPw"),
    ("DupOldPw4417", "DupOldPw"),
    ("KsFirst5521", "KsFirst"),
    ("KsContinued8830", "KsContinued"),
    ("OsloPw2290", "OsloPw"),
    ("SecretKey6084", "SecretKey"),
    ("HunterParse7741", "HunterParse"),
    ("ParseUrlPw3310", "ParseUrlPw"),
    ("OverlayPw6652", "OverlayPw"),
    ("OverlayDb8123", "OverlayDb"),
];

const MAIN: &str = "\
[DEFAULT]
transport_url = rabbit://openstack:RabbitPw%409137@controller:5672/
debug = true

[database]
connection = mysql+pymysql://glance:DbPw4471@controller/glance

[keystone_authtoken]
www_authenticate_uri = http://controller:5000
auth_url = http://controller:5000
auth_type = password
username = glance
password = DupOldPw4417
password = KsFirst5521
  KsContinued8830
memcache_secret_key = SecretKey6084

[oslo_limit]
auth_url = http://controller:5000/v3
# glance-lint: disable=placeholder-value
password = OsloPw2290 # the oslo password
endpoint_id = 340be3625e9b4239a6415d034e98aace

[glance_store]
default_backend = fast
enabled_backends = fast:file
";

const BROKEN: &str = "
[broken]
password HunterParse7741
connection mysql://u:ParseUrlPw3310@h/db
";

const OVERLAY: &str = "\
[keystone_authtoken]
password = OverlayPw6652
[database]
connection = mysql+pymysql://glance:OverlayDb8123@db/glance
";

fn assert_clean(what: &str, text: &str) {
    for (secret, part) in SECRETS {
        assert!(!text.contains(part), "{what} leaks {secret}:\n{text}");
    }
}

fn project(dir: &Path, broken: bool) -> std::path::PathBuf {
    let conf = dir.join("glance-api.conf");
    let text = if broken {
        format!("{MAIN}{BROKEN}")
    } else {
        MAIN.to_string()
    };
    std::fs::write(&conf, text).unwrap();
    std::fs::create_dir_all(dir.join("glance-api.conf.d")).unwrap();
    std::fs::write(dir.join("glance-api.conf.d/10-secrets.conf"), OVERLAY).unwrap();
    conf
}

#[test]
fn no_format_leaks_a_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let conf = project(tmp.path(), true);
    let conf = conf.to_str().unwrap();
    let out_file = tmp.path().join("report.out");
    for format in common::formats() {
        let format = format.as_str();
        for color in ["never", "always"] {
            let o = run(&[
                conf,
                "--format",
                format,
                "--color",
                color,
                "--no-host-checks",
            ]);
            assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
            assert!(!stdout(&o).is_empty(), "{format} printed nothing");
            assert_clean(&format!("{format} stdout"), &stdout(&o));
            assert_clean(&format!("{format} stderr"), &stderr(&o));
        }
        let o = run(&[
            conf,
            "--format",
            format,
            "--output",
            out_file.to_str().unwrap(),
            "--no-host-checks",
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
        let written = std::fs::read_to_string(&out_file).unwrap();
        assert!(!written.is_empty());
        assert_clean(&format!("{format} --output"), &written);
        assert_clean(&format!("{format} stderr"), &stderr(&o));
    }
}

#[test]
fn the_report_shows_the_lines_with_secrets_masked() {
    // The check above is only worth something if the report does show the
    // lines around the secrets.
    let tmp = tempfile::tempdir().unwrap();
    let conf = project(tmp.path(), true);
    let o = run(&[
        conf.to_str().unwrap(),
        "--color",
        "never",
        "--no-host-checks",
    ]);
    let out = stdout(&o);
    assert!(out.contains("password ***"), "{out}");
    assert!(
        out.contains("mysql://u:***@h/db") || out.contains("connection ***"),
        "{out}"
    );
    assert!(out.contains("GL001"), "{out}");
}

#[test]
fn config_output_masks_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let conf = project(tmp.path(), false);
    let conf = conf.to_str().unwrap();
    let overlay = tmp.path().join("glance-api.conf.d");
    let overlay = overlay.to_str().unwrap();
    for format in ["ini", "json"] {
        let o = run(&["config", "--format", format, conf, "--config-dir", overlay]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("***"));
        assert_clean(&format!("config {format}"), &stdout(&o));
        assert_clean(&format!("config {format} stderr"), &stderr(&o));
    }
    // A file oslo.config refuses: the error names the line, not its text.
    let broken = project(tmp.path(), true);
    let o = run(&["config", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_clean(
        "config parse error",
        &format!("{}{}", stdout(&o), stderr(&o)),
    );
}

/// Every option the catalogue marks secret, where Glance reads it, as
/// `(section, key)`. Single-store: the static groups, store driver options
/// in `[glance_store]`, keystoneauth's password in `[keystone_authtoken]`
/// and `[oslo_limit]`. Multi-store: the store driver options in a backend
/// section of their store type instead, and keystoneauth's password in the
/// sections both Keystone sections name with `auth_section`. The preamble
/// (`enabled_backends`, `auth_section`, `auth_type`) comes first.
fn catalogue_secrets(multi: bool) -> (String, Vec<(String, String)>) {
    let cat = glance_lint::schema::catalogue();
    let driver_opt = |key: &str| {
        cat.store_type_names().any(|t| {
            cat.store_type_options(t)
                .unwrap_or_default()
                .iter()
                .any(|o| o.dest == key)
        })
    };
    let mut secrets: Vec<(String, String)> = Vec::new();
    let mut add = |section: &str, key: &str| {
        let item = (section.to_string(), key.to_string());
        if !secrets.contains(&item) {
            secrets.push(item);
        }
    };
    for group in cat.group_names() {
        for o in cat.options(group) {
            if o.secret && !(multi && group == "glance_store" && driver_opt(&o.dest)) {
                add(group, &o.dest);
            }
        }
    }
    let mut preamble = String::new();
    if multi {
        let types: Vec<&str> = cat.store_type_names().collect();
        let backends: Vec<String> = types.iter().map(|t| format!("b_{t}:{t}")).collect();
        preamble.push_str(&format!(
            "[DEFAULT]\nenabled_backends = {}\n[glance_store]\ndefault_backend = b_file\n",
            backends.join(", ")
        ));
        for t in types {
            for o in cat.store_type_options(t).unwrap_or_default() {
                if o.secret {
                    add(&format!("b_{t}"), &o.dest);
                }
            }
        }
    }
    let keystoneauth = cat.auth_plugin_own_options("password").unwrap();
    for (group, target) in [
        ("keystone_authtoken", "ks_auth"),
        ("oslo_limit", "limit_auth"),
    ] {
        let section = if multi {
            preamble.push_str(&format!(
                "[{group}]\nauth_section = {target}\n[{target}]\nauth_type = password\n"
            ));
            target
        } else {
            preamble.push_str(&format!("[{group}]\nauth_type = password\n"));
            group
        };
        for o in keystoneauth.iter().filter(|o| o.secret) {
            add(section, &o.dest);
        }
    }
    (preamble, secrets)
}

/// A file setting every catalogue-secret option to `value(i)`, the i-th
/// value (section headers may repeat: oslo.config merges them).
fn catalogue_secrets_file(multi: bool, value: impl Fn(usize) -> String) -> (String, Vec<String>) {
    let (mut text, secrets) = catalogue_secrets(multi);
    let mut values = Vec::new();
    for (i, (section, key)) in secrets.iter().enumerate() {
        let v = value(i);
        text.push_str(&format!("[{section}]\n{key} = {v}\n"));
        values.push(v);
    }
    (text, values)
}

/// A value no output contains by chance: not a word, not hexadecimal.
fn unique_value(multi: bool, comment: bool) -> impl Fn(usize) -> String {
    move |i| {
        let v = format!("Zq{}{i:03}xWv", if multi { "M" } else { "S" });
        if comment {
            format!("{v} # note {i}")
        } else {
            v
        }
    }
}

/// The secret part of a value: oslo.config keeps a trailing ` # comment`.
fn secret_part(value: &str) -> &str {
    value.split(" # ").next().unwrap_or(value)
}

#[test]
fn the_catalogue_secret_list_covers_every_kind() {
    let (_, single) = catalogue_secrets(false);
    let (_, multi) = catalogue_secrets(true);
    let has =
        |list: &[(String, String)], s: &str, k: &str| list.iter().any(|(a, b)| a == s && b == k);
    for (s, k) in [
        ("profiler", "hmac_keys"),
        ("vault", "root_token_id"),
        ("vault", "approle_secret_id"),
        ("glance_store", "swift_store_user"),
        ("keystone_authtoken", "password"),
        ("oslo_limit", "password"),
    ] {
        assert!(has(&single, s, k), "{s}.{k}");
    }
    for (s, k) in [
        ("b_swift", "swift_store_user"),
        ("b_swift", "swift_store_application_credential_id"),
        ("b_s3", "s3_store_secret_key"),
        ("ks_auth", "password"),
        ("limit_auth", "password"),
    ] {
        assert!(has(&multi, s, k), "{s}.{k}");
    }
    assert!(!has(&multi, "glance_store", "swift_store_user"));
}

#[test]
fn no_catalogue_secret_appears_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut leaks = std::collections::BTreeSet::new();
    for multi in [false, true] {
        for comment in [false, true] {
            let (text, values) = catalogue_secrets_file(multi, unique_value(multi, comment));
            let conf = tmp
                .path()
                .join(format!("glance-api-{multi}-{comment}.conf"));
            std::fs::write(&conf, &text).unwrap();
            let conf = conf.to_str().unwrap();
            let mut check = |what: &str, out: &std::process::Output| {
                let all = format!("{}{}", stdout(out), stderr(out));
                assert!(!stdout(out).is_empty(), "{what} printed nothing");
                for v in &values {
                    let secret = secret_part(v);
                    if all.contains(secret) {
                        // Named by the line that sets it.
                        let line = text.lines().find(|l| l.contains(secret));
                        leaks.insert(format!("{what}: `{}`", line.unwrap_or_default()));
                    }
                }
            };
            for format in common::formats() {
                let o = run(&[conf, "--format", &format, "--no-host-checks"]);
                assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
                check(&format!("{format} (multi {multi}, comment {comment})"), &o);
            }
            for format in ["ini", "json"] {
                let o = run(&["config", "--format", format, conf]);
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                check(
                    &format!("config {format} (multi {multi}, comment {comment})"),
                    &o,
                );
                // The options are there, masked.
                assert!(
                    stdout(&o).matches("***").count() >= values.len(),
                    "{}",
                    stdout(&o)
                );
            }
            checked += values.len();
        }
    }
    let leaks: Vec<String> = leaks.into_iter().collect();
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(checked >= 4 * 30, "{checked}");
}

mod random_values {
    use super::*;
    use glance_lint::report::{self, Format, RenderOptions, Report};
    use glance_lint::source::SourceFile;
    use glance_lint::LintOptions;
    use proptest::prelude::*;

    /// Lints `text` and renders it in every format, then the `config`
    /// output in both formats: everything that leaves the process.
    fn every_output(text: &str) -> String {
        use clap::ValueEnum;
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let config = glance_lint::effective_config(&sources);
        let mut out =
            glance_lint::config_output::ini(&config, glance_lint::schema::catalogue(), false);
        out.push_str(&glance_lint::config_output::json(
            &config,
            glance_lint::schema::catalogue(),
            false,
        ));
        let options = LintOptions {
            host_checks: false,
            ..LintOptions::default()
        };
        let results = [glance_lint::lint(sources, &options)];
        let rep = Report {
            results: &results,
            input_errors: &[],
        };
        for format in Format::value_variants() {
            let opts = RenderOptions {
                color: false,
                width: 100,
            };
            out.push_str(&report::render(*format, &rep, &opts));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Random secrets (the `Zq` prefix and upper-case letters: no
        /// option name, message word or hexadecimal hash holds one) in
        /// every catalogue-secret option, bare or followed by a comment.
        #[test]
        fn no_random_secret_appears_in_any_output(
            values in proptest::collection::vec("Zq[A-Za-z0-9_.~+=!^*@-]{4,14}", 40),
            multi in any::<bool>(),
            comment in any::<bool>(),
        ) {
            let (text, used) = catalogue_secrets_file(multi, |i| {
                let v = &values[i % values.len()];
                if comment { format!("{v} # c") } else { v.clone() }
            });
            let out = every_output(&text);
            for v in &used {
                let secret = secret_part(v);
                prop_assert!(!out.contains(secret), "leaks {}:\n{}", secret, out);
            }
        }
    }
}
