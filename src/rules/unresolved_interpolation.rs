use super::{
    placeholder::{password_placeholder, template_marker},
    placeholder_password::effective_entries,
    Context, Rule, RuleMeta,
};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds `$name` and `${name}` in values that name no option of Glance's.
    /// oslo.config substitutes `$name` with the value of the option `name`
    /// (of the same section, then `[DEFAULT]`; `$group.name` for another
    /// section) when the option is read; `$$` is a literal `$`.
    ///
    /// ## Why is this bad?
    /// When the name is not a registered option, reading the value fails with
    /// `NoSuchOptError: no such option ... in group [DEFAULT]`: a password
    /// such as `pa$word` makes the auth middleware or the database engine
    /// fail at start-up. Environment variables are never expanded.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// password = pa$word
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// password = pa$$word
    /// ```
    pub struct UnresolvedInterpolation {
        code: "GL005",
        name: "unresolved-interpolation",
        severity: Error,
        category: File,
        summary: "a `$` reference names no option, so reading the value fails",
    }
}

/// A `$` reference in a value: its byte range and the name it refers to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reference {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Python `string.Template` references, after oslo.config's rewrite of `\$`
/// to `$$` (idpattern `[_a-z][._a-z0-9]*`, case-insensitive).
pub(crate) fn references(value: &str) -> Vec<Reference> {
    let b = value.as_bytes();
    let ident_start = |c: u8| c == b'_' || c.is_ascii_alphabetic();
    let ident = |c: u8| c == b'_' || c == b'.' || c.is_ascii_alphanumeric();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'{') => {
                let s = i + 2;
                let mut e = s;
                if e < b.len() && ident_start(b[e]) {
                    e += 1;
                    while e < b.len() && ident(b[e]) {
                        e += 1;
                    }
                    if b.get(e) == Some(&b'}') {
                        out.push(Reference {
                            start: i,
                            end: e + 1,
                            name: value[s..e].to_string(),
                        });
                        i = e + 1;
                        continue;
                    }
                }
                i += 1;
            }
            Some(&c) if ident_start(c) => {
                let s = i + 1;
                let mut e = s + 1;
                while e < b.len() && ident(b[e]) {
                    e += 1;
                }
                out.push(Reference {
                    start: i,
                    end: e,
                    name: value[s..e].to_string(),
                });
                i = e;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether Glance registers `name` in `group` (static catalogue, a backend
/// section's store options, or the auth plugin options).
pub(crate) fn is_registered(ctx: &Context, group: &str, name: &str) -> bool {
    let cat = ctx.catalogue();
    if cat.option(group, name).is_some() {
        return true;
    }
    if let Some((_, backends)) = crate::model::views::enabled_backends(ctx.config) {
        if let Some(b) = backends.iter().find(|b| b.id == group) {
            return cat
                .store_type_options(&b.store_type)
                .is_some_and(|opts| opts.iter().any(|o| o.dest == name));
        }
    }
    if group == "keystone_authtoken" || group == "oslo_limit" {
        let auth_type = ctx.config.value(group, "auth_type").unwrap_or("password");
        return cat
            .auth_plugin_options(auth_type)
            .is_some_and(|opts| opts.iter().any(|o| o.dest == name));
    }
    false
}

fn resolves(ctx: &Context, section: &str, name: &str) -> bool {
    match name.split_once('.') {
        Some((group, option)) => {
            is_registered(ctx, &crate::model::parse::normalize_section(group), option)
                || is_registered(ctx, "DEFAULT", name)
        }
        None => is_registered(ctx, section, name) || is_registered(ctx, "DEFAULT", name),
    }
}

impl Rule for UnresolvedInterpolation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (section, key, entry) in effective_entries(ctx) {
            if !entry.value.contains('$') || !is_registered(ctx, section, key) {
                continue; // an option Glance never reads is never substituted
            }
            // Whole-value placeholders are placeholder-*'s.
            if password_placeholder(&entry.value).is_some()
                || template_marker(&entry.value).is_some()
            {
                continue;
            }
            let secret = ctx.is_secret(entry) || key == "connection" || key == "transport_url";
            for r in references(&entry.value) {
                if resolves(ctx, section, &r.name) {
                    continue;
                }
                let f = if secret {
                    Finding::new(
                        &Self::META,
                        format!("the value of `{key}` contains a `$` that oslo.config reads as a reference to an option that does not exist: reading it fails with NoSuchOptError"),
                    )
                    .on(entry)
                    .at(entry.value_span)
                } else {
                    Finding::new(
                        &Self::META,
                        format!("`{}` in `{key}` names no option of Glance's: reading it fails with NoSuchOptError", &entry.value[r.start..r.end]),
                    )
                    .on(entry)
                    .at(entry.value_subspan(r.start, r.end))
                    .label("no such option")
                };
                out.push(f.help("write `$$` for a literal `$` (oslo.config only substitutes registered options, never environment variables)"));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::references;

    #[test]
    fn template_references() {
        let names = |v: &str| {
            references(v)
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("http://$host:80"), ["host"]);
        assert_eq!(names("${foo.bar}/x $foo.bar/x"), ["foo.bar", "foo.bar"]);
        assert!(names("pa$$word").is_empty());
        assert!(names("pa\\$word").is_empty());
        assert!(names("5$").is_empty());
        assert!(names("a $ b ${ x}").is_empty());
        assert_eq!(names("my$ecret"), ["ecret"]);
        assert_eq!(names("$HOME/x"), ["HOME"]);
    }
}
