use super::known::KeyClass;
use super::unresolved_interpolation::references;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::parse::normalize_section;
use crate::model::views::{list_items, url_password_ranges};
use crate::redact::MASK;
use crate::schema::{OptKind, OptionDef};

declare_rule! {
    /// ## What it does
    /// Checks each value against its option's type exactly as oslo.config
    /// converts it: booleans (`true/false`, `yes/no`, `on/off`, `1/0`),
    /// integers and floats with their bounds, ports, choices, regular
    /// expressions, host addresses, URIs, lists (some must be written inside
    /// `[ ]`) and `key:value` dicts such as `enabled_backends`. The message
    /// is oslo.config's own reason. Values with `$` references are checked
    /// after substituting the options they name (when the file sets them).
    ///
    /// ## Why is this bad?
    /// oslo.config converts a value only when the option is first read, so a
    /// bad value does not always stop Glance at start-up: it may fail hours
    /// later, on the first request that reads it, with `ConfigFileValueError:
    /// Value for option ... is not valid`. Store options are read at start-up:
    /// `filesystem_store_chunk_size = many` or `swift_store_auth_version = 2`
    /// (only `3` is accepted now) stop glance-api.
    ///
    /// A bad value of a store driver that `stores` does not load does not
    /// stop Glance yet: it is read once the driver is enabled.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// show_image_direct_url = maybe
    /// enabled_backends = fs
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// show_image_direct_url = false
    /// enabled_backends = fs:file
    /// ```
    pub struct InvalidValue {
        code: "GL104",
        name: "invalid-value",
        severity: Error,
        variants: {
            NOT_LOADED: Warning when "the option belongs to a store driver that `stores` does not load (Glance does not read it until the driver is enabled)",
        },
        category: Catalogue,
        summary: "oslo.config cannot convert this value to the option's type",
    }
}

/// The value after oslo.config's `$` substitution, using values set in the file;
/// None when a reference cannot be resolved from the file alone.
fn substitute(ctx: &Context, section: &str, value: &str) -> Option<String> {
    let refs = references(value);
    let mut out = String::new();
    let mut i = 0;
    let mut next = refs.iter().peekable();
    while i < value.len() {
        if let Some(r) = next.peek().filter(|r| r.start == i) {
            let found = match r.name.split_once('.') {
                Some((g, o)) => ctx.config.value(&normalize_section(g), o),
                None => ctx
                    .config
                    .value(section, &r.name)
                    .or_else(|| ctx.config.value("DEFAULT", &r.name)),
            }?;
            if found.contains('$') {
                return None; // nested references: not followed
            }
            out.push_str(found);
            i = r.end;
            next.next();
            continue;
        }
        let rest = &value[i..];
        if rest.starts_with("$$") || rest.starts_with("\\$") {
            out.push('$');
            i += 2;
            continue;
        }
        let c = rest.chars().next()?;
        out.push(c);
        i += c.len_utf8();
    }
    Some(out)
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!(" from {a} to {b}"),
        (Some(a), None) => format!(" of at least {a}"),
        (None, Some(b)) => format!(" of at most {b}"),
        (None, None) => String::new(),
    }
}

fn int_bounds(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if b < i64::MAX => format!(" from {a} to {b}"),
        (Some(a), _) => format!(" of at least {a}"),
        (None, Some(b)) => format!(" of at most {b}"),
        (None, None) => String::new(),
    }
}

/// What the option accepts, in words.
fn expected(o: &OptionDef) -> String {
    if !o.choices.is_empty() {
        return format!("one of: {}", o.choices.join(", "));
    }
    match o.kind {
        OptKind::Boolean => "true or false (also yes/no, on/off, 1/0)".into(),
        OptKind::Integer => format!("an integer{}", int_bounds(o.min, o.max)),
        OptKind::Float => format!("a number{}", bounds(o.min_f, o.max_f)),
        OptKind::Port => format!(
            "a port number{}",
            int_bounds(o.min.or(Some(0)), o.max.or(Some(65535)))
        ),
        OptKind::List if o.bounds => "a comma-separated list inside `[` `]`".into(),
        OptKind::List => match o.item.as_ref().filter(|i| !i.choices.is_empty()) {
            Some(i) => format!("a comma-separated list of: {}", i.choices.join(", ")),
            None => "a comma-separated list".into(),
        },
        OptKind::Dict if o.dest == "enabled_backends" => {
            "comma-separated `<id>:<store type>` pairs, e.g. `fs:file, ceph:rbd`".into()
        }
        OptKind::Dict => "comma-separated `key:value` pairs".into(),
        OptKind::HostAddress => "an IP address or a host name".into(),
        OptKind::Hostname => "a host name".into(),
        OptKind::IpAddress => "an IP address".into(),
        OptKind::Uri if !o.schemes.is_empty() => {
            format!("a URI with scheme {}", o.schemes.join(", "))
        }
        OptKind::Uri => "a URI (`scheme://host...`)".into(),
        OptKind::Range => "a range `start:end`".into(),
        _ => match &o.regex {
            Some(re) => format!("a value matching `{re}`"),
            None => "a string".into(),
        },
    }
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let known = ctx.known();
        for (entry, class) in ctx.classified() {
            let o = match class {
                KeyClass::Known(o) | KeyClass::Deprecated { opt: o, .. } => o,
                _ => continue,
            };
            let value = if entry.value.contains('$') {
                match substitute(ctx, &entry.section, &entry.value) {
                    Some(v) => v,
                    None => continue, // unresolved-interpolation's business
                }
            } else {
                entry.value.clone()
            };
            let Err(reason) = o.check_value(&value) else {
                continue;
            };
            let key = &entry.key;
            let secret = ctx.is_secret(entry);
            let message = if secret {
                format!("the value of `{key}` is not valid: Glance fails when it reads it")
            } else {
                let mut reason = reason;
                for (s, e) in url_password_ranges(&value) {
                    reason = reason.replace(&value[s..e], MASK);
                }
                format!("invalid value for `{key}`: {reason}")
            };
            let mut f = Finding::new(&Self::META, message)
                .at_value(entry)
                .label("oslo.config rejects this value")
                .help(format!("`{key}` takes {}", expected(o)));
            if o.dest == "enabled_backends" {
                if let Some((s, e)) = list_items(&entry.value)
                    .into_iter()
                    .find(|&(s, e)| !entry.value[s..e].contains(':'))
                {
                    f = f.at(entry.value_subspan(s, e)).label("no `:` here");
                }
            }
            if let Some(types) = known.unused_legacy_driver_opt(&entry.section, key) {
                f = f.variant(&Self::NOT_LOADED);
                f.message.push_str(&format!(
                    " (not read yet: `stores` does not load the {} driver)",
                    types.join("/")
                ));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn substitution() {
        let text =
            "[DEFAULT]\nhost = h\nport = 9\n[a]\nx = $host:${port}$$\ny = $nope\nz = $port$$x\n";
        let sources = vec![crate::source::SourceFile::from_text("t.conf", text)];
        let config = crate::effective_config(&sources);
        let options = crate::LintOptions::default();
        let ctx = super::Context::new(&config, &sources, &options);
        assert_eq!(
            super::substitute(&ctx, "a", "$host:${port}$$").as_deref(),
            Some("h:9$")
        );
        assert_eq!(super::substitute(&ctx, "a", "\\$x").as_deref(), Some("$x"));
        assert_eq!(super::substitute(&ctx, "a", "$nope"), None);
        assert_eq!(
            super::substitute(&ctx, "a", "$DEFAULT.port").as_deref(),
            Some("9")
        );
    }
}
