use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::list_items;
use crate::schema::OptKind;

declare_rule! {
    /// ## What it does
    /// Finds list and dict options whose items are quoted one by one
    /// (`enabled_import_methods = "glance-direct", "web-download"`,
    /// `memcached_servers = 'a:11211','b:11211'`).
    ///
    /// ## Why is this bad?
    /// oslo.config removes one pair of quotes around the whole value, never
    /// around each item: the value above is read as the items
    /// `glance-direct"` and `"web-download`, which name nothing. Glance
    /// then rejects the value, or silently uses items that match nothing
    /// (a memcached host `'a`, a store id `"fast`).
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_import_methods = "glance-direct", "web-download"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_import_methods = glance-direct, web-download
    /// ```
    pub struct QuotedListItem {
        code: "GL008",
        name: "quoted-list-item",
        severity: Warning,
        category: File,
        summary: "list items are quoted one by one, and oslo.config keeps those quotes",
    }
}

impl Rule for QuotedListItem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (entry, o) in ctx.read_options() {
            // Never quote a secret's items in a message.
            if !matches!(o.kind, OptKind::List | OptKind::Dict) || o.bounds || o.secret {
                continue;
            }
            // An item type that strips its own quotes (`String(quotes=True)`).
            if o.item.as_ref().is_some_and(|i| i.quotes) {
                continue;
            }
            let value = &entry.value;
            let items = list_items(value);
            if items.len() < 2 {
                continue;
            }
            let quoted = |s: &str| s.starts_with(['"', '\'']) || s.ends_with(['"', '\'']);
            let Some(&(s, e)) = items.iter().find(|&&(s, e)| quoted(&value[s..e])) else {
                continue;
            };
            let read: Vec<String> = items
                .iter()
                .take(3)
                .map(|&(s, e)| format!("`{}`", &value[s..e]))
                .collect();
            let clean: Vec<&str> = items
                .iter()
                .map(|&(s, e)| value[s..e].trim_matches(['"', '\'']))
                .collect();
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "oslo.config removes only the quotes around the whole value of `{}`: it \
                         reads the items {}{}",
                        entry.key,
                        read.join(", "),
                        if items.len() > 3 { " ..." } else { "" }
                    ),
                )
                .on(entry)
                .at(entry.value_subspan(s, e))
                .label("quotes kept in the item")
                .help(format!(
                    "write the items without quotes: `{} = {}`",
                    entry.key,
                    clean.join(", ")
                )),
            );
        }
    }
}
