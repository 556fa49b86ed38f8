//! Typed views over the effective configuration: the values the rules reason
//! about, each with the span it came from.

pub mod database;
pub mod keystone;
pub mod transport;

use super::{EffectiveConfig, Entry, SectionHeader};
use crate::source::Span;

/// Re-exported where the rules have always found it.
pub use super::url_secrets::url_password_ranges;

/// One `id:type` item of `[DEFAULT] enabled_backends` (a DictOpt).
#[derive(Debug, Clone)]
pub struct Backend<'a> {
    pub id: String,
    pub store_type: String,
    pub id_span: Span,
    pub type_span: Span,
    pub entry: &'a Entry,
}

/// Items of a ListOpt/DictOpt value: split on `,`, each stripped, as
/// oslo.config's `types.List` does. Returns `(start, end)` ranges in `value`.
pub fn list_items(value: &str) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        items.push((start + lead, start + lead + trimmed.len()));
        start += piece.len() + 1;
    }
    // A trailing comma (or an empty value) adds no item.
    if let Some(&(s, e)) = items.last() {
        if s == e {
            items.pop();
        }
    }
    items
}

/// `[DEFAULT] enabled_backends`, or `None` when multi-store is not configured.
/// Items without `:` are skipped here (`invalid-value` reports them).
pub fn enabled_backends(cfg: &EffectiveConfig) -> Option<(&Entry, Vec<Backend<'_>>)> {
    let entry = cfg.get("DEFAULT", "enabled_backends")?;
    let mut backends = Vec::new();
    for (s, e) in list_items(&entry.value) {
        let item = &entry.value[s..e];
        let Some(colon) = item.find(':') else {
            continue;
        };
        let id = item[..colon].trim();
        let ty = item[colon + 1..].trim();
        let id_start = s + (item.len() - item.trim_start().len());
        let ty_start =
            s + colon + 1 + (item[colon + 1..].len() - item[colon + 1..].trim_start().len());
        backends.push(Backend {
            id: id.to_string(),
            store_type: ty.to_string(),
            id_span: entry.value_subspan(id_start, id_start + id.len()),
            type_span: entry.value_subspan(ty_start, ty_start + ty.len()),
            entry,
        });
    }
    Some((entry, backends))
}

/// Values as oslo.config converts them (one parser per kind, in `schema::types`).
pub use crate::schema::types::{parse_bool, py_int};

/// One part of a value (a URL's host, port ...): its byte range in the
/// value and its text. [`Entry::value_subspan`] maps the range to the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl<'a> Part<'a> {
    pub fn new(value: &'a str, start: usize, end: usize) -> Self {
        Part {
            start,
            end,
            text: &value[start..end],
        }
    }

    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// `(start, end)`.
    pub fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// A URL's port part as a number: `Ok(None)` when empty, Err when it is
    /// not a port.
    pub fn port(&self) -> Result<Option<u16>, String> {
        match self.text {
            "" => Ok(None),
            p => p
                .parse::<u16>()
                .map(Some)
                .map_err(|_| format!("bad port '{p}'")),
        }
    }
}

/// Percent-decode (lossy UTF-8) as Python's `urllib.parse.unquote`: `+` stays `+`.
pub fn unquote(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// `section.key` is set and reads as true. Spaces kept inside quotes make
/// the value invalid (`invalid-value`); the rules judge what it says.
pub fn is_true<'a>(cfg: &'a EffectiveConfig, section: &str, key: &str) -> Option<&'a Entry> {
    cfg.get(section, key)
        .filter(|e| parse_bool(e.value.trim()) == Some(true))
}

/// The effective assignment of an option, under its name or, when unset, a
/// deprecated one (as oslo.config looks an option up).
pub fn effective<'a>(
    cfg: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
    section: &str,
    key: &str,
) -> Option<&'a Entry> {
    cfg.get(section, key).or_else(|| {
        catalogue
            .option(section, key)?
            .deprecated_names
            .iter()
            .find_map(|d| cfg.get(&d.group, &d.name))
    })
}

/// The effective value of an option (see [`effective`]), trimmed; `None` when unset or empty.
pub fn effective_value<'a>(
    cfg: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
    section: &str,
    key: &str,
) -> Option<&'a str> {
    effective(cfg, catalogue, section, key)
        .map(|e| e.value.trim())
        .filter(|v| !v.is_empty())
}

/// `[paste_deploy] config_file` names a paste file of the operator's own:
/// its pipelines (and so what a flavor means) are not known here.
pub fn own_paste_file(cfg: &EffectiveConfig) -> bool {
    cfg.value("paste_deploy", "config_file")
        .is_some_and(|v| !v.trim().is_empty())
}

/// Whether Glance enforces Keystone's unified limits (`[DEFAULT]
/// use_keystone_limits`, the catalogue's default when unset): only then does
/// it use `[oslo_limit]` to log in and find its endpoint.
pub fn keystone_limits_on(cfg: &EffectiveConfig, catalogue: &crate::schema::Catalogue) -> bool {
    let value = effective_value(cfg, catalogue, "DEFAULT", "use_keystone_limits").or_else(|| {
        catalogue
            .option("DEFAULT", "use_keystone_limits")
            .and_then(|o| o.default.as_deref())
    });
    value.and_then(parse_bool) == Some(true)
}

/// The short store type (`file`, `rbd` ...) of a driver name, or `None` if
/// glance_store has no such driver.
pub fn store_type(catalogue: &crate::schema::Catalogue, driver: &str) -> Option<&'static str> {
    catalogue.normalize_store_type(driver)
}

/// The last `[section]` header of that (normalized) name, over every file.
pub fn section_header<'a>(cfg: &'a EffectiveConfig, section: &str) -> Option<&'a SectionHeader> {
    cfg.docs
        .iter()
        .flat_map(|d| d.sections.iter())
        .rfind(|h| h.name == section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_like_oslo() {
        let v = "fs:file, http:http ,";
        let items: Vec<_> = list_items(v).into_iter().map(|(s, e)| &v[s..e]).collect();
        assert_eq!(items, ["fs:file", "http:http"]);
        let v = "a,,b";
        let items: Vec<_> = list_items(v).into_iter().map(|(s, e)| &v[s..e]).collect();
        assert_eq!(items, ["a", "", "b"]);
        assert!(list_items("").is_empty());
    }

    #[test]
    fn unquote_keeps_plus_and_decodes_percent() {
        assert_eq!(unquote("a%2Fb+c%40"), "a/b+c@");
        assert_eq!(unquote("%2F"), "/");
        assert_eq!(unquote(""), "");
    }
}
