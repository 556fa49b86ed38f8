//! The consistency rules on real files of `../shared/corpus/real/`: the real
//! mistakes are found where they are, and the install guide's files (correct
//! for their release) get none of these rules' findings.

mod common;

use common::{lint_file, shared_dir, skip};
use glance_lint::LintOptions;

const RULES: &[&str] = &[
    "legacy-store-config",
    "keystone-auth-incomplete",
    "credential-mismatch",
    "invalid-transport-url",
    "invalid-database-connection",
];

/// (rule, line, message fragment) of every finding of these rules in a corpus file.
fn findings(name: &str) -> Option<Vec<(&'static str, usize, String)>> {
    let Some(dir) = shared_dir() else {
        skip("../shared/corpus/real is not beside the project");
        return None;
    };
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let result = lint_file(&dir.join("corpus/real").join(name), &options);
    Some(
        result
            .findings
            .iter()
            .filter(|f| RULES.contains(&f.rule.name))
            .map(|f| {
                let line = f
                    .span
                    .map(|s| result.sources[s.file].line_col(s.start).0)
                    .unwrap_or(0);
                (f.rule.name, line, f.message.clone())
            })
            .collect(),
    )
}

fn has(found: &[(&str, usize, String)], rule: &str, line: usize, fragment: &str) -> bool {
    found
        .iter()
        .any(|(r, l, m)| *r == rule && *l == line && m.contains(fragment))
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn real_mistakes_are_found() {
    let cases: &[(&str, &str, usize, &str)] = &[
        (
            "alexelshamouty-podman.conf",
            "invalid-transport-url",
            1723,
            "15672",
        ),
        (
            "alexelshamouty-podman.conf",
            "legacy-store-config",
            3525,
            "mixed with the multi-store `default_backend = file`",
        ),
        (
            "sajjadhz-vagrant-multinode.conf",
            "credential-mismatch",
            5156,
            "same user `glance`",
        ),
        (
            "sajjadhz-vagrant-multinode.conf",
            "keystone-auth-incomplete",
            368,
            "`use_keystone_limits = false`",
        ),
        (
            "tonycheng-devstack-mitaka.conf",
            "invalid-database-connection",
            626,
            "`root`",
        ),
        (
            "kherox-devstack.conf",
            "invalid-database-connection",
            17,
            "`root`",
        ),
        (
            "tonycheng-centos7-mitaka.conf",
            "legacy-store-config",
            95,
            "Store for scheme rbd not found",
        ),
        (
            "allkoman-cinder.conf",
            "invalid-database-connection",
            665,
            "MySQLdb",
        ),
        (
            "allkoman-cinder.conf",
            "keystone-auth-incomplete",
            1288,
            "`user_domain_name` or `user_domain_id`",
        ),
        (
            "infortrend-juno.conf",
            "legacy-store-config",
            12,
            "in [DEFAULT] is ignored",
        ),
        (
            "infortrend-juno.conf",
            "keystone-auth-incomplete",
            384,
            "legacy `admin_*` options",
        ),
        (
            "vi-deepdive-multistore-b.conf",
            "keystone-auth-incomplete",
            16,
            "`user_domain_name` or `user_domain_id`",
        ),
        (
            "radhouene101-antelope.conf",
            "legacy-store-config",
            9,
            "deprecated since Rocky",
        ),
    ];
    for (file, rule, line, fragment) in cases {
        let Some(found) = findings(file) else { return };
        assert!(
            has(&found, rule, *line, fragment),
            "{file}: expected {rule} on line {line} with {fragment:?}, got {found:#?}"
        );
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn the_guides_files_are_clean() {
    for file in [
        "openstack-glance-installguide-assembled.conf",
        "ja-vagrant-guide-epoxy.conf",
        "harounjlassi-file-config.conf",
        "openstack-glance-multistores-doc.conf",
    ] {
        let Some(found) = findings(file) else { return };
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn no_password_in_any_message() {
    // sajjadhz's two passwords and kherox's database password.
    for (file, secrets) in [
        (
            "sajjadhz-vagrant-multinode.conf",
            &["bootcam", "openstack"][..],
        ),
        ("alexelshamouty-podman.conf", &["glance:glance@"][..]),
        ("tonycheng-devstack-mitaka.conf", &["Abc12345"][..]),
    ] {
        let Some(found) = findings(file) else { return };
        for (_, _, m) in &found {
            for s in secrets {
                assert!(!m.contains(s), "{file}: {m}");
            }
        }
    }
}
