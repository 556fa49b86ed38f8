use super::{
    placeholder::{guide_token, template_marker},
    placeholder_password::effective_entries,
    Context, Rule, RuleMeta,
};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds values that still hold a placeholder from a guide or a template:
    /// `ENDPOINT_ID`, `<ENDPOINT_ID>`, `your_ip`, `PUBLIC_IP`, an unexpanded
    /// `$VAR`, an unrendered `{{ ... }}`.
    ///
    /// ## Why is this bad?
    /// Glance takes the placeholder literally: oslo.limit looks up an
    /// endpoint called `ENDPOINT_ID` and every quota check fails, a URL with
    /// `your_ip` resolves nowhere. A `$VAR` is worse: oslo.config treats `$`
    /// as a reference to another option and fails when the option is read.
    ///
    /// ## Example
    /// ```ini
    /// [oslo_limit]
    /// endpoint_id = ENDPOINT_ID
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [oslo_limit]
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    pub struct PlaceholderValue {
        code: "GL213",
        name: "placeholder-value",
        severity: Error,
        category: Consistency,
        summary: "a value is still a guide's or a template's placeholder",
    }
}

impl Rule for PlaceholderValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (section, key, entry) in effective_entries(ctx) {
            // Passwords are placeholder-password's.
            if ctx.is_secret(entry) {
                continue;
            }
            // A value Glance ignores cannot break it: the catalogue rules report the line.
            if !ctx.is_read(entry) {
                continue;
            }
            let why = match (template_marker(&entry.value), guide_token(&entry.value)) {
                (Some(why), _) => why.to_string(),
                (None, Some(token)) => format!("the guide's placeholder `{token}`"),
                (None, None) => continue,
            };
            out.push(
                Finding::new(
                    &Self::META,
                    format!("`{key}` in [{section}] is still {why}"),
                )
                .at_value(entry)
                .label("placeholder")
                .help(format!("replace it with the real value of `{key}`")),
            );
        }
    }
}
