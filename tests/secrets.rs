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
