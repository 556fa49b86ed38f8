//! What a placeholder looks like: the install guide's values and template
//! markers that were never rendered. Shared by `placeholder-password`,
//! `placeholder-value`, `endpoint-id-format` and `unresolved-interpolation`.

/// Upper-case tokens the install guides tell the reader to replace.
const GUIDE_TOKENS: &[&str] = &[
    "ENDPOINT_ID",
    "PUBLIC_IP",
    "MANAGEMENT_IP",
    "MANAGEMENT_INTERFACE_IP_ADDRESS",
    "CONTROLLER_IP",
    "CONTROLLER_NODE",
    "DB_MASTER",
    "IP_ADDRESS",
    "HOST_IP",
    "REGION_NAME",
    "PROJECT_ID",
    "USER_ID",
];

/// Why a value is a placeholder, or `None`. Each pattern is compiled only
/// when a byte search says it could match: most values reach none of them.
pub fn template_marker(value: &str) -> Option<&'static str> {
    if (value.contains("{{") || value.contains("{%"))
        && crate::lazy_regex!(r"\{\{.*?\}\}|\{%.*?%\}").is_match(value)
    {
        return Some("an unrendered Jinja template expression");
    }
    if value.contains('<') && crate::lazy_regex!(r"<[A-Za-z][A-Za-z0-9_ .-]*>").is_match(value) {
        return Some("a `<...>` placeholder");
    }
    if value.starts_with('$') && crate::lazy_regex!(r"^\$\{?[A-Z][A-Z0-9_]*\}?$").is_match(value) {
        return Some("an unexpanded shell variable");
    }
    if value.contains("$(") && crate::lazy_regex!(r"\$\([^)]*\)").is_match(value) {
        return Some("an unexpanded shell command substitution `$(...)`");
    }
    // `%SERVICE_PASSWORD%` (Windows-style and sed-template markers) and
    // `_SERVICE_PASSWORD_` (devstack/packstack-style templates): upper-case
    // words wrapped in the marker, never a real value.
    if value.contains('%') && crate::lazy_regex!(r"%[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*%").is_match(value)
    {
        return Some("a `%NAME%` template placeholder");
    }
    if opens_underscore_marker(value)
        && crate::lazy_regex!(
            r"(?:^|[^A-Za-z0-9_])_[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+_(?:$|[^A-Za-z0-9_])"
        )
        .is_match(value)
    {
        return Some("a `_NAME_` template placeholder");
    }
    let has_your = value
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"your"));
    if has_your && crate::lazy_regex!(r"(?i)\byour[_-][a-z_]+").is_match(value) {
        return Some("a `your_...` placeholder");
    }
    None
}

/// A `_` that starts a word and is followed by an upper-case letter: what
/// a `_NAME_` marker needs, checked before its regex (most values hold `_`
/// only inside names, `glance_store`, `image_cache_dir`).
fn opens_underscore_marker(value: &str) -> bool {
    let bytes = value.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memchr_iter(b'_', bytes).any(|i| {
        bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase) && (i == 0 || !word(bytes[i - 1]))
    })
}

/// A guide placeholder token such as `ENDPOINT_ID` anywhere in the value.
pub fn guide_token(value: &str) -> Option<&'static str> {
    if !GUIDE_TOKENS.iter().any(|t| value.contains(t)) {
        return None;
    }
    crate::lazy_regex!(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
        .find_iter(value)
        .find_map(|m| GUIDE_TOKENS.iter().copied().find(|t| *t == m.as_str()))
}

/// Whether a password is the install guide's (`GLANCE_PASS`, `RABBIT_PASS`
/// ...) or an obvious stand-in (`changeme`, `<password>`, `$GLANCE_PASS`):
/// text nobody set as the account's password. A real but poor password
/// (`password`, `openstack`) is [`weak_password`]'s.
pub fn password_placeholder(password: &str) -> Option<&'static str> {
    if password.contains("PASS")
        && crate::lazy_regex!(r"^[A-Z][A-Z0-9]*_(?:DB)?PASS(?:WORD)?$").is_match(password)
    {
        return Some("the install guide's placeholder");
    }
    if let Some(why) = template_marker(password) {
        return Some(why);
    }
    let lower = password.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "changeme" | "change_me" | "change-me" | "changeit" | "placeholder" | "todo" | "fixme"
    ) || (!password.is_empty() && password.chars().all(|c| c == 'x' || c == 'X' || c == '*'))
    {
        return Some("an obvious placeholder");
    }
    None
}

/// Passwords found in every cracking word list and in the install guides'
/// and tutorials' examples; matched case-insensitively.
const WELL_KNOWN_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "password1",
    "password123",
    "secret",
    "openstack",
    "0penstack",
    "stack",
    "devstack",
    "admin",
    "admin123",
    "glance",
    "keystone",
    "rabbit",
    "guest",
    "root",
    "toor",
    "qwerty",
    "letmein",
    "welcome",
    "123456",
    "12345678",
    "123456789",
    "1234",
    "test",
    "default",
];

/// Why a password is weak though real: a well-known word or the account's
/// own user name. `user` is the account's name when known. (Length alone is
/// not judged: a short password may be a lab's deliberate choice, and a
/// finding nobody acts on only teaches people to ignore the rule.)
pub fn weak_password(password: &str, user: Option<&str>) -> Option<&'static str> {
    if password.is_empty() {
        return None;
    }
    if WELL_KNOWN_PASSWORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(password))
    {
        return Some("a well-known password");
    }
    if user.is_some_and(|u| !u.is_empty() && u.eq_ignore_ascii_case(password)) {
        return Some("the account's own user name");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        for p in [
            "GLANCE_PASS",
            "GLANCE_DBPASS",
            "RABBIT_PASS",
            "changeme",
            "$GLANCE_PASS",
            "${GLANCE_PASS}",
            "<password>",
            "{{ glance_pass }}",
            "xxxx",
        ] {
            assert!(password_placeholder(p).is_some(), "{p}");
        }
        for p in [
            "k7Qp-2mZx9",
            "Glance_Pass_2024!",
            "openstack",
            "password",
            "secret",
            "",
        ] {
            assert!(password_placeholder(p).is_none(), "{p}");
        }
        for p in [
            "_SERVICE_PASSWORD_",
            "%SERVICE_PASSWORD%",
            "$(openssl rand -hex 10)",
        ] {
            assert!(password_placeholder(p).is_some(), "{p}");
        }
    }

    #[test]
    fn weak_passwords() {
        assert!(weak_password("password", None).is_some());
        assert!(weak_password("OpenStack", None).is_some());
        assert!(weak_password("glance", Some("glance")).is_some());
        assert!(weak_password("Nova-Svc-Pw", Some("nova-svc-pw")).is_some());
        assert!(weak_password("k7Qp-2mZx9", Some("glance")).is_none());
        assert!(weak_password("", None).is_none());
    }

    #[test]
    fn values() {
        assert_eq!(guide_token("ENDPOINT_ID"), Some("ENDPOINT_ID"));
        assert!(guide_token("http://PUBLIC_IP:5000").is_some());
        assert!(guide_token("RegionOne").is_none());
        assert!(template_marker("http://your_ip:5000").is_some());
        assert!(template_marker("<ENDPOINT_ID>").is_some());
        assert!(template_marker("%(asctime)s %(levelname)s").is_none());
        assert!(template_marker("http://controller:5000").is_none());
        assert!(template_marker("%SERVICE_TENANT_NAME%").is_some());
        assert!(template_marker("http://_CONTROLLER_IP_:5000").is_some());
        assert!(template_marker("$(hostname -f)").is_some());
        // Real values that look a little like the markers.
        for v in [
            "%(asctime)s %(levelname)s",
            "__init__",
            "glance_store",
            "my_DB_host",
            "100%",
            "$state_path/images",
        ] {
            assert!(template_marker(v).is_none(), "{v}");
        }
    }
}
