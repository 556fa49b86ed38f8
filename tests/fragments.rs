//! Files that are not a whole glance-api.conf: fragments merged into a base
//! file elsewhere (`--fragment`, the project config's `fragments`) and Jinja
//! templates (`*.j2`, the project config's `templates`).

mod common;

use std::path::Path;

use common::stdout;

/// Rule names of a JSON report.
fn names(dir: &Path, args: &[&str]) -> Vec<String> {
    names_with_stdin(dir, args, b"")
}

/// Rule names of a JSON report, with `stdin` on standard input.
fn names_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Vec<String> {
    let mut all = vec!["--no-host-checks", "--format", "json"];
    all.extend_from_slice(args);
    let mut cmd = common::bin();
    cmd.current_dir(dir).args(&all);
    let o = common::run_with_stdin(&mut cmd, stdin);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

/// A kolla override: a backend its base file enables, and the Keystone
/// options it changes; the rest of each section is in the base file.
const KOLLA_OVERRIDE: &str = "\
[ceph]
rbd_store_pool = images
rbd_store_user = glance

[keystone_authtoken]
memcache_security_strategy = ENCRYPT
memcache_secret_key = Qm7xR2vL9kTz

[glance_store]
default_backend = ceph

[paste_deploy]
flavor = keystone
";

#[test]
fn fragments_skip_the_whole_file_checks_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("kolla/config/glance")).unwrap();
    let file = "kolla/config/glance/glance-api.conf";
    std::fs::write(dir.join(file), KOLLA_OVERRIDE).unwrap();

    // As a whole file: the backend section Glance would not read, the
    // incomplete Keystone login, no database.
    let whole = names(dir, &[file]);
    for rule in [
        "unknown-section",
        "keystone-auth-incomplete",
        "database-connection-missing",
    ] {
        assert!(whole.iter().any(|n| n == rule), "{rule}: {whole:?}");
    }

    // Marked as a fragment, on the command line or in the project config.
    let flagged = names(dir, &["--fragment", file]);
    std::fs::write(
        dir.join(".glance-lint.toml"),
        "fragments = [\"kolla/config/**\"]\n",
    )
    .unwrap();
    let configured = names(dir, &[file]);
    for found in [&flagged, &configured] {
        for rule in [
            "unknown-section",
            "keystone-auth-incomplete",
            "database-connection-missing",
        ] {
            assert!(!found.iter().any(|n| n == rule), "{rule}: {found:?}");
        }
        // What is wrong in the fragment itself is still said.
        assert!(
            found.iter().any(|n| n == "default-backend-not-enabled"),
            "{found:?}"
        );
    }
}

const TEMPLATE: &str = "\
[database]
connection = mysql+pymysql://glance:{{ glance_database_password }}@{{ database_address }}/glance
{% if glance_backend_ceph | bool %}
[DEFAULT]
enabled_backends = rbd:rbd
{% endif %}
[glance_store]
default_backend = rbd

[paste_deploy]
flavor = keystone+cachemanagment
";

#[test]
fn templates_judge_everything_but_the_template_expressions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("glance-api.conf.j2"), TEMPLATE).unwrap();
    std::fs::write(dir.join("rendered-by-hand.conf"), TEMPLATE).unwrap();

    let template = names(dir, &["glance-api.conf.j2"]);
    for rule in ["placeholder-password", "placeholder-value", "parse-error"] {
        assert!(!template.iter().any(|n| n == rule), "{rule}: {template:?}");
    }
    // The flavor typo is still found.
    assert!(
        template.iter().any(|n| n == "paste-flavor-invalid"),
        "{template:?}"
    );

    // The same text outside a template: the markers are placeholders, the
    // Jinja lines are lines oslo.config cannot read.
    let plain = names(dir, &["rendered-by-hand.conf"]);
    assert!(
        plain.iter().any(|n| n == "placeholder-password"),
        "{plain:?}"
    );
    assert!(plain.iter().any(|n| n == "parse-error"), "{plain:?}");

    // A project config can name other templates (and then `*.j2` is not one).
    std::fs::write(dir.join(".glance-lint.toml"), "templates = [\"*.conf\"]\n").unwrap();
    let configured = names(dir, &["rendered-by-hand.conf"]);
    assert!(
        !configured.iter().any(|n| n == "placeholder-password"),
        "{configured:?}"
    );
    let not_template = names(dir, &["glance-api.conf.j2"]);
    assert!(
        not_template.iter().any(|n| n == "placeholder-password"),
        "{not_template:?}"
    );
}

/// Standard input named after a template (`--stdin-filename x.j2`, as an
/// editor or a pre-commit hook passes it) is a template too.
#[test]
fn standard_input_named_after_a_template_is_one() {
    let tmp = tempfile::tempdir().unwrap();
    let stdin_names = |name: &str| {
        names_with_stdin(
            tmp.path(),
            &["--stdin-filename", name, "-"],
            TEMPLATE.as_bytes(),
        )
    };
    let template = stdin_names("roles/glance/templates/glance-api.conf.j2");
    assert!(
        !template.iter().any(|n| n == "placeholder-password"),
        "{template:?}"
    );
    assert!(
        template.iter().any(|n| n == "paste-flavor-invalid"),
        "{template:?}"
    );
    let plain = stdin_names("glance-api.conf");
    assert!(
        plain.iter().any(|n| n == "placeholder-password"),
        "{plain:?}"
    );
}

#[test]
fn a_bad_fragments_glob_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("glance-api.conf"), "[DEFAULT]\n").unwrap();
    std::fs::write(dir.join(".glance-lint.toml"), "fragments = 3\n").unwrap();
    let o = common::bin()
        .current_dir(dir)
        .args(["--no-host-checks", "glance-api.conf"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains(".glance-lint.toml:1:"),
        "{}",
        common::stderr(&o)
    );
}
