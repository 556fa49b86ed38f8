//! The release model (issue 12): every release's catalogue, generated files
//! that set every option of a release, removals named by release, the
//! `--upgrade-to` report, and the embedded catalogue equal to what the
//! generator makes of the release dumps.

mod common;

use std::collections::BTreeSet;

use common::{project_dir, shared_dir, skip};
use glance_lint::schema::history::{self, Fate};
use glance_lint::schema::{catalogue_for, Release};
use glance_lint::source::SourceFile;
use glance_lint::{LintOptions, LintResult};

const CATALOGUE_RULES: [&str; 4] = [
    "unknown-section",
    "unknown-option",
    "misplaced-option",
    "removed-option",
];

fn options(release: Release) -> LintOptions {
    LintOptions {
        host_checks: false,
        catalogue: catalogue_for(release),
        release_chosen: true,
        ..LintOptions::default()
    }
}

fn lint(text: &str, options: &LintOptions) -> LintResult {
    glance_lint::lint(vec![SourceFile::from_text("every.conf", text)], options)
}

/// A value that parses for any option: its default, else something short.
/// (Values are not what these tests judge: invalid-value is not among
/// [`CATALOGUE_RULES`].)
fn value_of(default: Option<&str>) -> String {
    match default {
        Some(d) if !d.contains('\n') && !d.is_empty() => d.to_string(),
        _ => "x".to_string(),
    }
}

/// Single store: every static group of the release with every option
/// (the `[glance_store]` driver options included), no backend section.
fn every_static_option(release: Release) -> String {
    let cat = catalogue_for(release);
    let mut out = String::new();
    for group in cat.group_names() {
        // Read only when enabled_backends names them; the multi-store file has them.
        if group == "backend_defaults" || group.starts_with("os_glance_") {
            continue;
        }
        let options = cat
            .options(group)
            .iter()
            .filter(|o| !(group == "DEFAULT" && o.dest == "enabled_backends"));
        section(&mut out, group, options);
    }
    out
}

/// `[name]` with every option set to [`value_of`] its default.
fn section<'a>(
    out: &mut String,
    name: &str,
    options: impl IntoIterator<Item = &'a glance_lint::schema::OptionDef>,
) {
    out.push_str(&format!("[{name}]\n"));
    for o in options {
        out.push_str(&format!(
            "{} = {}\n",
            o.dest,
            value_of(o.default.as_deref())
        ));
    }
    out.push('\n');
}

/// Multi-store: one backend of every store type with every option of its
/// type, `[backend_defaults]` and the reserved stores.
fn every_store_option(release: Release) -> String {
    let cat = catalogue_for(release);
    let types: Vec<&str> = cat.store_type_names().collect();
    let backends: Vec<String> = types.iter().map(|t| format!("b_{t}:{t}")).collect();
    let mut out = format!(
        "[DEFAULT]\nenabled_backends = {}\n\n[glance_store]\ndefault_backend = b_file\n\n",
        backends.join(", ")
    );
    for t in &types {
        section(
            &mut out,
            &format!("b_{t}"),
            cat.store_type_options(t).unwrap(),
        );
    }
    for group in [
        "backend_defaults",
        "os_glance_staging_store",
        "os_glance_tasks_store",
    ] {
        section(&mut out, group, cat.options(group));
    }
    out
}

fn catalogue_findings(result: &LintResult) -> Vec<String> {
    result
        .findings
        .iter()
        .filter(|f| CATALOGUE_RULES.contains(&f.rule.name))
        .map(|f| {
            format!(
                "{} {:?} {:?}: {}",
                f.rule.name, f.section, f.option, f.message
            )
        })
        .collect()
}

#[test]
fn a_file_with_every_option_of_a_release_is_clean_for_that_release() {
    for release in Release::all() {
        for (what, text) in [
            ("static", every_static_option(release)),
            ("store", every_store_option(release)),
        ] {
            let result = lint(&text, &options(release));
            let found = catalogue_findings(&result);
            assert!(
                found.is_empty(),
                "{release:?}, every {what} option: {found:#?}"
            );
        }
    }
}

/// `[group] key` pairs set by a release's every-option file that the next
/// release no longer reads, by fate.
fn removed_by_next(
    release: Release,
    next: Release,
) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let cat = catalogue_for(release);
    let mut options = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for group in cat.group_names() {
        if matches!(history::group_fate(group, next), Some(Fate::Removed { .. })) {
            groups.insert(group.to_string());
            continue;
        }
        for o in cat.options(group) {
            if let Some(Fate::Removed { removed_in, .. }) = history::fate(group, &o.dest, next) {
                assert_eq!(removed_in, next, "[{group}] {}", o.dest);
                options.insert((group.to_string(), o.dest.clone()));
            }
        }
    }
    (options, groups)
}

#[test]
fn options_removed_by_the_next_release_are_named_with_it() {
    let mut checked = 0;
    for release in Release::all() {
        let Some(next) = release.next() else { continue };
        let (removed, removed_groups) = removed_by_next(release, next);
        let text = every_static_option(release);
        let result = lint(&text, &options(next));
        for (group, key) in &removed {
            if group == "glance_store" {
                continue; // a store option: checked below through the backend sections
            }
            let hit = result.findings.iter().find(|f| {
                f.rule.name == "removed-option"
                    && f.option.as_deref() == Some(key.as_str())
                    && f.section.as_deref().map(str::to_lowercase).as_deref()
                        == Some(group.to_lowercase().as_str())
            });
            let f =
                hit.unwrap_or_else(|| panic!("{next:?}: no removed-option for [{group}] {key}"));
            assert!(
                f.message.contains(&next.label()),
                "{next:?}: [{group}] {key}: {}",
                f.message
            );
            checked += 1;
        }
        for group in &removed_groups {
            let hit = result.findings.iter().find(|f| {
                f.rule.name == "unknown-section" && f.section.as_deref() == Some(group.as_str())
            });
            let f = hit.unwrap_or_else(|| panic!("{next:?}: no unknown-section for [{group}]"));
            assert!(f.message.contains(&next.label()), "{}", f.message);
            checked += 1;
        }
        // And --upgrade-to from this release to the next names every one.
        let upgrade = LintOptions {
            upgrade_to: Some(next),
            ..options(release)
        };
        let result = lint(&text, &upgrade);
        for (group, key) in removed.iter().filter(|(g, _)| g != "glance_store") {
            assert!(
                result
                    .findings
                    .iter()
                    .any(|f| f.rule.name == "upgrade-change"
                        && f.option.as_deref() == Some(key.as_str())
                        && f.message.contains(&next.label())),
                "--upgrade-to {next:?} does not name [{group}] {key}"
            );
        }
    }
    // 66 options went between 25.1.0 and 33.0.0, 37 of them with their sections.
    assert!(checked >= 25, "only {checked} removals checked");
}

#[test]
fn sql_connection_is_read_until_bobcat_and_lost_from_caracal() {
    let text = "[DEFAULT]\nsql_connection = mysql+pymysql://glance:pw@db/glance\n\n\
                [keystone_authtoken]\nwww_authenticate_uri = http://k:5000\nauth_url = http://k:5000\n\
                auth_type = password\nproject_domain_name = Default\nuser_domain_name = Default\n\
                project_name = service\nusername = glance\npassword = pw\n\n\
                [paste_deploy]\nflavor = keystone\n";
    let bobcat = Release::parse("bobcat").unwrap();
    let result = lint(text, &options(bobcat));
    let names: Vec<&str> = result.findings.iter().map(|f| f.rule.name).collect();
    assert!(names.contains(&"deprecated-option"), "{names:?}");
    assert!(!names.contains(&"database-connection-missing"), "{names:?}");
    let caracal = bobcat.next().unwrap();
    let result = lint(text, &options(caracal));
    let removed = result
        .findings
        .iter()
        .find(|f| f.rule.name == "removed-option")
        .expect("removed-option under caracal");
    assert!(
        removed.message.contains("2024.1 Caracal"),
        "{}",
        removed.message
    );
    assert!(
        removed.message.contains("[database] connection"),
        "{}",
        removed.message
    );
    let missing = result
        .findings
        .iter()
        .find(|f| f.rule.name == "database-connection-missing")
        .expect("database-connection-missing under caracal");
    assert_eq!(missing.severity(), glance_lint::Severity::Error);
}

#[test]
fn options_of_newer_releases_are_not_read_by_older_ones() {
    let zed = Release::oldest();
    let newest = Release::newest();
    // Some option the newest release has and Zed has not.
    let cat = catalogue_for(newest);
    let (group, key) = cat
        .group_names()
        .flat_map(|g| cat.options(g).iter().map(move |o| (g, o.dest.as_str())))
        .find(|(g, k)| matches!(history::fate(g, k, zed), Some(Fate::Added { .. })))
        .expect("an option added after Zed");
    let text = format!("[{group}]\n{key} = x\n");
    let result = lint(&text, &options(zed));
    let f = result
        .findings
        .iter()
        .find(|f| f.rule.name == "unknown-option")
        .unwrap_or_else(|| {
            panic!(
                "[{group}] {key} under zed: {:?}",
                catalogue_findings(&result)
            )
        });
    assert!(f.message.contains("is read from"), "{}", f.message);
    assert_eq!(f.severity(), glance_lint::Severity::Warning);
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn the_embedded_catalogue_is_the_generators_conversion_of_the_release_dumps() {
    let Some(shared) = shared_dir() else {
        skip("../shared is missing (the release dumps are in shared/releases/options)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let generated = out.path().join("catalogue.json");
    let python = std::env::var("GLANCE_LINT_PYTHON").unwrap_or_else(|_| "python3".into());
    let status = std::process::Command::new(python)
        .arg(project_dir().join("tools/gen-catalogue.py"))
        .arg("build")
        .arg("--dumps")
        .arg(shared.join("releases/options"))
        .arg("--dumps")
        .arg(project_dir().join("tools/releases"))
        .arg("--import-dumps")
        .arg(project_dir().join("tools/releases"))
        .arg("--output")
        .arg(&generated)
        .status()
        .expect("run tools/gen-catalogue.py");
    assert!(status.success());
    let embedded =
        std::fs::read_to_string(project_dir().join("src/schema/catalogue.json")).unwrap();
    let fresh = std::fs::read_to_string(&generated).unwrap();
    assert!(
        embedded == fresh,
        "src/schema/catalogue.json differs from the generator's output: run \
         tools/gen-catalogue.py build --dumps ../shared/releases/options --dumps tools/releases \
         --import-dumps tools/releases"
    );
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn every_release_the_dumps_have_is_embedded() {
    let Some(shared) = shared_dir() else {
        skip("../shared is missing");
        return;
    };
    let mut dumped: Vec<String> = std::fs::read_dir(shared.join("releases/options"))
        .unwrap()
        .chain(std::fs::read_dir(project_dir().join("tools/releases")).unwrap())
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().to_string();
            name.strip_prefix("glance-")?
                .strip_suffix(".options.json.gz")
                .map(str::to_string)
        })
        .collect();
    dumped.sort_by_key(|v| {
        v.split('.')
            .map(|n| n.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    });
    let embedded: Vec<String> = Release::all().map(|r| r.glance().to_string()).collect();
    assert_eq!(embedded, dumped);
}

#[test]
fn the_command_line_names_releases_and_refuses_unknown_ones() {
    let bad = project_dir().join("fixtures/GL107/bad.conf");
    let o = common::bin()
        .args(["--no-host-checks", "--target-release", "queens"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("caracal (2024.1, glance 28.2.0)"));

    let o = common::bin()
        .args([
            "--no-host-checks",
            "--target-release",
            "2024.1",
            "--upgrade-to",
            "zed",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));

    // --select upgrade-change: the changes alone, each naming its release.
    let o = common::bin()
        .args([
            "--no-host-checks",
            "--format",
            "json",
            "--select",
            "upgrade-change",
            "--target-release",
            "zed",
            "--upgrade-to",
            "2026.2",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert_eq!(v["release"]["name"], "zed");
    assert_eq!(v["files"][0]["release"]["series"], "2022.2");
    let diagnostics = v["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert_eq!(d["name"], "upgrade-change");
        let m = d["message"].as_str().unwrap();
        assert!(
            m.starts_with("2024.1 Caracal: ") || m.starts_with("2026.2 Hibiscus: "),
            "{m}"
        );
    }
    // Glance would not start from 2024.1 on: an error, so the exit is 1.
    assert_eq!(o.status.code(), Some(1));

    // SARIF says the release too.
    let o = common::bin()
        .args([
            "--no-host-checks",
            "--format",
            "sarif",
            "--target-release",
            "28",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert_eq!(
        v["runs"][0]["properties"]["glanceRelease"]["glance"],
        "28.2.0"
    );
}

#[test]
fn the_summary_suggests_a_target_release_only_when_none_was_chosen() {
    let bad = project_dir().join("fixtures/GL107/bad.conf");
    let o = common::bin()
        .args(["--no-host-checks"])
        .arg(&bad)
        .output()
        .unwrap();
    let out = common::stdout(&o);
    // sql_connection (removed-option and the lost URL) went in 2024.1, bind_host in
    // 2026.2: none of the three holds up to 2023.2.
    assert!(
        out.contains("3 findings do not apply to 2023.2 Bobcat or older: set --target-release"),
        "{out}"
    );
    let o = common::bin()
        .args(["--no-host-checks", "--target-release", "hibiscus"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!common::stdout(&o).contains("set --target-release"));
}

#[test]
fn paste_flavors_are_the_releases_own() {
    let text = "[paste_deploy]\nflavor = trusted-auth\n";
    let wallaby = lint(text, &options(Release::parse("wallaby").unwrap()));
    assert!(
        !wallaby
            .findings
            .iter()
            .any(|f| f.rule.name == "paste-flavor-invalid"),
        "trusted-auth is a flavor of 2021.1"
    );
    let xena = lint(text, &options(Release::parse("xena").unwrap()));
    assert!(
        xena.findings
            .iter()
            .any(|f| f.rule.name == "paste-flavor-invalid"),
        "2021.2 has no trusted-auth pipeline"
    );
}

/// `enabled_import_methods` has choices only from 2026.2 on: there oslo.config refuses an
/// unknown method (invalid-value, an error); before, any text is read, and unknown-list-item
/// names the methods that release implements (`glance-download` only from glance 25.0.0).
#[test]
fn import_methods_are_judged_by_the_release_that_reads_them() {
    let text =
        "[DEFAULT]\nenabled_import_methods = [glance-direct, glance-download, web_download]\n";
    let codes_at = |series: &str| {
        let release = Release::parse(series).unwrap();
        let result = lint(text, &options(release));
        let mut v: Vec<(String, String)> = result
            .findings
            .iter()
            .map(|f| (f.rule.name.to_string(), f.message.clone()))
            .collect();
        v.sort();
        v
    };
    let wallaby = codes_at("2021.1");
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&wallaby),
        ["unknown-list-item", "unknown-list-item"],
        "{wallaby:?}"
    );
    assert!(wallaby
        .iter()
        .any(|(_, m)| m.starts_with("`glance-download`")));
    assert!(wallaby.iter().any(|(_, m)| m.starts_with("`web_download`")));
    let zed = codes_at("2022.2");
    assert_eq!(names(&zed), ["unknown-list-item"], "{zed:?}");
    assert!(zed[0].1.starts_with("`web_download`"));
    // 2026.2: the option's own choices refuse the value; no second finding for the same item.
    let newest = codes_at("2026.2");
    assert_eq!(names(&newest), ["invalid-value"], "{newest:?}");
}

/// The generated keystoneauth plugin table (tools/gen-keystoneauth-plugins.py) has one row per
/// release, and each row names the keystoneauth1 that release's `pip freeze` pins: a release
/// added to the catalogue without running the tool again fails here. (The plugin names come
/// from PyPI's wheels, which this test cannot reach.)
#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn keystoneauth_plugins_follow_each_releases_pinned_keystoneauth1() {
    let Some(shared) = shared_dir() else {
        skip("../shared is missing (the newer releases' freezes are in shared/releases/options)");
        return;
    };
    use glance_lint::schema::keystoneauth_plugins::KEYSTONEAUTH_PLUGINS_BY_RELEASE as TABLE;
    for release in Release::all() {
        let glance = release.glance();
        let freeze = [
            shared.join("releases/options"),
            project_dir().join("tools/releases"),
        ]
        .iter()
        .map(|d| d.join(format!("glance-{glance}.freeze.txt")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no pip freeze for glance {glance}"));
        let text = std::fs::read_to_string(&freeze).unwrap();
        let pinned = text
            .lines()
            .find_map(|l| l.strip_prefix("keystoneauth1=="))
            .unwrap_or_else(|| panic!("{} pins no keystoneauth1", freeze.display()));
        let row = TABLE.iter().find(|(g, _, _)| *g == glance);
        let Some((_, version, plugins)) = row else {
            panic!("no row for glance {glance}: run tools/gen-keystoneauth-plugins.py");
        };
        assert_eq!(*version, pinned.trim(), "glance {glance}");
        assert!(plugins.contains(&"password") && plugins.contains(&"v3password"));
        assert_eq!(release.keystoneauth_plugins(), *plugins);
    }
    assert_eq!(TABLE.len(), Release::all().len());
}

/// `auth_type` is judged by the plugins of the release's keystoneauth1: the OIDC device
/// authorization plugin is an error on Zed (keystoneauth1 5.0.1 has none; glance-api stops
/// with NoMatchingPlugin) and fine on the newest release.
#[test]
fn auth_plugins_are_those_of_the_releases_keystoneauth1() {
    let text =
        "[paste_deploy]\nflavor = keystone\n[keystone_authtoken]\nauth_type = v3oidcdeviceauthz\n";
    let fires = |series: &str| {
        lint(text, &options(Release::parse(series).unwrap()))
            .findings
            .iter()
            .find(|f| f.rule.name == "auth-plugin-unknown")
            .map(|f| f.message.clone())
    };
    let zed = fires("2022.2").expect("unknown on Zed");
    assert!(zed.contains("only from the keystoneauth1 of"), "{zed}");
    assert_eq!(fires("2026.2"), None);
}
