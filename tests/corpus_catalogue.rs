//! The catalogue rules on the real corpus (`../shared/corpus/real/`): files that
//! are correct for their release get no unknown-section / unknown-option /
//! misplaced-option finding, and the real mistakes the corpus shows are found.

mod common;

use common::{lint_file, shared_dir, skip};
use glance_lint::{LintOptions, LintResult};

fn lint(name: &str) -> Option<LintResult> {
    let Some(shared) = shared_dir() else {
        skip("../shared (the real corpus) is absent");
        return None;
    };
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    Some(lint_file(&shared.join("corpus/real").join(name), &options))
}

/// (rule, section, option or section name, line) of the catalogue naming findings.
fn naming(result: &LintResult) -> Vec<(&'static str, String, String, usize)> {
    result
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.rule.name,
                "unknown-section" | "unknown-option" | "misplaced-option"
            )
        })
        .map(|f| {
            let line = f
                .span
                .map(|s| result.sources[s.file].text[..s.start].matches('\n').count() + 1)
                .unwrap_or(0);
            (
                f.rule.name,
                f.section.clone().unwrap_or_default(),
                f.option.clone().unwrap_or_default(),
                line,
            )
        })
        .collect()
}

fn find<'a>(result: &'a LintResult, rule: &str, option: &str) -> &'a glance_lint::finding::Finding {
    result
        .findings
        .iter()
        .find(|f| f.rule.name == rule && f.option.as_deref().unwrap_or("") == option)
        .unwrap_or_else(|| panic!("no {rule} for `{option}`"))
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn correct_files_have_no_naming_findings() {
    // Each checked by hand against glance 33.0.0's options (and its start-up
    // verdict, shared/oslo/glance-startup-verdicts.md: all of them start).
    for name in [
        "openstack-glance-sample.conf",
        "openstack-glance-installguide-assembled.conf",
        "openstack-glance-multistores-doc.conf",
        "harounjlassi-file-config.conf",
        "ja-vagrant-guide-epoxy.conf",
        "zakariabensalem-pi-cloud.conf",
    ] {
        let Some(result) = lint(name) else { return };
        assert_eq!(naming(&result), vec![], "{name}");
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn sample_is_entirely_clean_of_catalogue_findings() {
    let Some(result) = lint("openstack-glance-sample.conf") else {
        return;
    };
    assert!(result
        .findings
        .iter()
        .all(|f| !f.rule.code.starts_with("GL1")));
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn obedpop_misspelt_section_and_option() {
    let Some(result) = lint("obedpop-os.conf") else {
        return;
    };
    let n = naming(&result);
    assert!(
        n.contains(&("unknown-section", "glance_stores".into(), String::new(), 5)),
        "{n:?}"
    );
    assert!(
        n.contains(&(
            "unknown-option",
            "paste_deploy".into(),
            "flavour".into(),
            26
        )),
        "{n:?}"
    );
    assert_eq!(n.len(), 2, "{n:?}");
    assert_eq!(
        find(&result, "unknown-section", "").help.as_deref(),
        Some("did you mean `[glance_store]`?")
    );
    assert_eq!(
        find(&result, "unknown-option", "flavour").help.as_deref(),
        Some("did you mean `flavor`?")
    );
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn amalennajar_swift_options_without_prefix() {
    let Some(result) = lint("amalennajar-openstack.conf") else {
        return;
    };
    // A swift reference file's keys: glance_store reads them from the file that
    // swift_store_config_file names, never from [glance_store] (and the swift_store_*
    // options a did-you-mean would offer are deprecated for that file).
    for key in ["auth_address", "user", "key"] {
        let f = find(&result, "unknown-option", key);
        assert_eq!(f.section.as_deref(), Some("glance_store"));
        assert!(
            f.message.contains("a key of a swift reference file"),
            "{}",
            f.message
        );
        let help = f.help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with(&format!(
                "move `{key}` into the file that `swift_store_config_file` names"
            )),
            "{help}"
        );
        assert!(!help.contains("swift_store_user"), "{help}");
        // Glance ignores them (a warning); the store's missing credentials
        // are what breaks uploads.
        assert_eq!(f.severity(), glance_lint::rules::Severity::Warning);
    }
    assert_eq!(naming(&result).len(), 3);
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn sajjadhz_datadir_left_in_glance_store() {
    let Some(result) = lint("sajjadhz-vagrant-multinode.conf") else {
        return;
    };
    let f = find(&result, "misplaced-option", "filesystem_store_datadir");
    assert_eq!(f.section.as_deref(), Some("glance_store"));
    assert!(f.message.ends_with("it belongs in [fs]"), "{}", f.message);
    assert_eq!(f.help.as_deref(), Some("move this line to [fs]"));
    assert_eq!(naming(&result).len(), 1);
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn removed_and_deprecated_options_of_old_files() {
    let Some(result) = lint("liangxiaoping-bakup.conf") else {
        return;
    };
    let f = find(&result, "removed-option", "auth_uri");
    assert!(f.help.as_deref().unwrap().contains("www_authenticate_uri"));
    assert!(find(&result, "deprecated-option", "memcache_servers")
        .message
        .contains("`memcached_servers`"));
    assert!(find(&result, "deprecated-option", "auth_plugin")
        .message
        .contains("`auth_type`"));
    // swift is enabled there: `swift_store_auth_version = 2` stops Glance (verdicts file)
    let v = find(&result, "invalid-value", "swift_store_auth_version");
    assert_eq!(v.severity(), glance_lint::rules::Severity::Error);
    assert!(v.message.contains("Valid values are [3], but found '2'"));
    // a leftover copy in [DEFAULT] of an option also set in [glance_store]
    let m = find(&result, "misplaced-option", "filesystem_store_datadir");
    assert_eq!(m.severity(), glance_lint::rules::Severity::Warning);

    let Some(result) = lint("allkoman-cinder.conf") else {
        return;
    };
    let admin = find(&result, "removed-option", "admin_password");
    assert_eq!(admin.severity(), glance_lint::rules::Severity::Warning);
    // keystonemiddleware 13.0.0 (2026.2, glance 33's) has no legacy admin login any more.
    assert!(
        admin
            .message
            .contains("removed in 2026.2 Hibiscus (glance 33.0.0)"),
        "{}",
        admin.message
    );
    for key in [
        "rabbit_host",
        "notification_driver",
        "workers",
        "signing_dir",
    ] {
        find(&result, "removed-option", key);
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn unloaded_driver_values_are_warnings() {
    // infortrend-juno: swift_store_auth_version = 2 but swift is not in `stores`
    // (the verdicts file calls it value-unused: Glance starts).
    let Some(result) = lint("infortrend-juno.conf") else {
        return;
    };
    let v = find(&result, "invalid-value", "swift_store_auth_version");
    assert_eq!(v.severity(), glance_lint::rules::Severity::Warning);
    // `[DEFAULT] default_store` is legacy-store-config's, with the rewrite;
    // removed-option stands down so it is reported once.
    assert!(find(&result, "legacy-store-config", "default_store")
        .help
        .as_deref()
        .unwrap()
        .contains("enabled_backends"));
    assert!(!result
        .findings
        .iter()
        .any(|f| f.rule.name == "removed-option" && f.option.as_deref() == Some("default_store")));
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn wrapped_comment_lines_are_unknown_options() {
    let Some(result) = lint("jonlangemak-openstackbuild.conf") else {
        return;
    };
    let n = naming(&result);
    assert!(
        n.contains(&(
            "unknown-option",
            "DEFAULT".into(),
            "RN,urllib3.connectionpool".into(),
            427
        )),
        "{n:?}"
    );
    assert!(
        n.contains(&("unknown-option", "DEFAULT".into(), "e".into(), 428)),
        "{n:?}"
    );
}
