//! A Keystone URL read through `auth_section` gives the same findings as the
//! same URL set in the Keystone section itself (issue 11): the rules read the
//! login through the one auth view.

mod common;

use common::lint_text;

/// (code, label, the source text the finding points at) of every finding of
/// the URL rules (GL206 auth-url-mismatch, GL304 insecure-identity-uri).
fn url_findings(text: &str) -> Vec<(&'static str, String, String)> {
    let result = lint_text(text);
    let src = result.sources[0].text.clone();
    let mut v: Vec<_> = result
        .findings
        .iter()
        .filter(|f| ["GL206", "GL304"].contains(&f.rule.code))
        .map(|f| {
            let span = f.span.expect("anchored");
            (
                f.rule.code,
                f.label.clone().unwrap_or_default(),
                src[span.start..span.end].to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn auth_url_through_auth_section_gives_the_direct_findings() {
    let direct = "[keystone_authtoken]\nauth_url = http://ks:35357/v2.0\n";
    let redirected =
        "[keystone_authtoken]\nauth_section = svc\n[svc]\nauth_url = http://ks:35357/v2.0\n";
    let want = url_findings(direct);
    let codes: Vec<_> = want.iter().map(|f| f.0).collect();
    assert_eq!(codes, ["GL206", "GL206", "GL304"], "{want:?}");
    assert!(want.iter().all(|f| f.2 == "http://ks:35357/v2.0"));
    assert_eq!(url_findings(redirected), want);
}

#[test]
fn oslo_limit_through_auth_section_gives_the_direct_findings() {
    let direct = "[keystone_authtoken]\nauth_url = https://ks:5000\n\
                  [oslo_limit]\nauth_url = http://other:5000\n";
    let redirected = "[keystone_authtoken]\nauth_section = a\n[a]\nauth_url = https://ks:5000\n\
                      [oslo_limit]\nauth_section = b\n[b]\nauth_url = http://other:5000\n";
    let want = url_findings(direct);
    let codes: Vec<_> = want.iter().map(|f| f.0).collect();
    assert_eq!(codes, ["GL206", "GL304"], "{want:?}");
    assert_eq!(url_findings(redirected), want);
}

#[test]
fn a_shared_auth_section_is_reported_once() {
    let text = "[keystone_authtoken]\nauth_section = svc\n[oslo_limit]\nauth_section = svc\n\
                [svc]\nauth_url = http://ks:35357\n";
    let codes: Vec<_> = url_findings(text).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, ["GL206", "GL304"]);
}

#[test]
fn the_message_names_the_auth_section() {
    let result =
        lint_text("[keystone_authtoken]\nauth_section = svc\n[svc]\nauth_url = http://ks:35357\n");
    let f = result
        .findings
        .iter()
        .find(|f| f.rule.code == "GL206")
        .expect("GL206");
    assert_eq!(
        f.message,
        "`auth_url` in [keystone_authtoken] (auth_section [svc]) uses Keystone's retired admin port 35357"
    );
}
