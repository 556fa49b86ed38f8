use super::{
    placeholder::{guide_token, template_marker},
    Context, Rule, RuleMeta,
};
use crate::finding::Finding;
use crate::fix::{cut_value, Fix};
use crate::model::views::keystone_limits_on;

declare_rule! {
    /// ## What it does
    /// Checks that `[oslo_limit] endpoint_id` has the shape of a Keystone id:
    /// 32 hexadecimal digits, as printed by `openstack endpoint create` or
    /// `openstack endpoint list`.
    ///
    /// ## Why is this bad?
    /// With `use_keystone_limits = true`, oslo.limit fetches this endpoint
    /// from Keystone for every quota check. An id with a trailing comment, a
    /// missing digit or the endpoint's URL instead of its id is never found,
    /// and image uploads fail with a 500 once quotas are enforced.
    ///
    /// ## Example
    /// ```ini
    /// [oslo_limit]
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace # public
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [oslo_limit]
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    pub struct EndpointIdFormat {
        code: "GL207",
        name: "endpoint-id-format",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "`use_keystone_limits` is off: Glance never uses [oslo_limit] until it is turned on",
        },
        category: Consistency,
        summary: "[oslo_limit] endpoint_id is not a 32-digit Keystone id",
        fixes: {
            Safe: "keeps only the 32-digit id, moving a trailing comment to its own line above",
        },
    }
}

pub(crate) fn is_keystone_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Rule for EndpointIdFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some(entry) = ctx.config.get("oslo_limit", "endpoint_id") else {
            return;
        };
        let value = entry.value.as_str();
        // An empty value means "discover the endpoint"; placeholders are
        // placeholder-value's.
        if value.is_empty()
            || is_keystone_id(value)
            || template_marker(value).is_some()
            || guide_token(value).is_some()
        {
            return;
        }
        let first_word = value.split_whitespace().next().unwrap_or_default();
        let hex: String = value.chars().filter(|c| *c != '-').collect();
        let help = if is_keystone_id(first_word) {
            format!("keep only the id: `endpoint_id = {first_word}`")
        } else if is_keystone_id(&hex) {
            format!(
                "Keystone ids have no dashes: `endpoint_id = {}`",
                hex.to_ascii_lowercase()
            )
        } else if value.contains("://") {
            "this is a URL: use the endpoint's id from `openstack endpoint list --service glance --interface public`".to_string()
        } else {
            "copy the id from `openstack endpoint list --service glance --interface public -f value -c ID`".to_string()
        };
        let mut finding = Finding::new(
            &Self::META,
            format!(
                "`endpoint_id` is not a Keystone id (32 hexadecimal digits): {} characters",
                value.chars().count()
            ),
        )
        .at_value(entry)
        .label("not a 32-digit id")
        .help(help)
        .variant(if keystone_limits_on(ctx.config, ctx.catalogue()) {
            &Self::DEFAULT
        } else {
            &Self::LIMITS_OFF
        });
        // The id, then a comment or junk after a blank: the id is what the
        // operator meant, the rest cannot be part of any valid id.
        if is_keystone_id(first_word) && value.starts_with(first_word) {
            let rest = value[first_word.len()..].trim_start();
            let comment = rest.starts_with(['#', ';']).then_some(rest);
            let src = &ctx.sources[entry.key_span.file];
            if let Some(edits) = cut_value(src, entry, first_word.len(), comment) {
                let what = if comment.is_some() {
                    "move the comment above it"
                } else {
                    "delete what follows it"
                };
                finding = finding.fix(Fix::safe(
                    format!("keep only the id in `endpoint_id` and {what}"),
                    edits,
                ));
            }
        }
        out.push(finding);
    }
}
