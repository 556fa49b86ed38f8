use super::{
    placeholder::{password_placeholder, weak_password},
    placeholder_password::password_candidates,
    Context, Rule, RuleMeta,
};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds real but weak passwords: a word found in every password list
    /// (`password`, `secret`, `openstack`, `admin` ...) or the account's own
    /// user name (`glance` for the user `glance`), in password options and
    /// inside the database and transport URLs. Placeholders that were never
    /// replaced (`GLANCE_PASS`, `<password>`, `{{ ... }}`) are
    /// `placeholder-password`'s.
    ///
    /// ## Why is this bad?
    /// Glance works with it: Keystone, MariaDB or RabbitMQ accept the
    /// password they were given. But anyone who can reach those services can
    /// guess it, and with the glance service user's password they hold a
    /// Keystone token with the `admin` role on the service project, and with
    /// the database password every image record.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    /// password = openstack
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    /// password = k7Qp2mZx9vLw
    /// ```
    pub struct WeakPassword {
        code: "GL309",
        name: "weak-password",
        severity: Warning,
        category: Security,
        summary: "a password is a well-known word or the account's user name",
    }
}

impl Rule for WeakPassword {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // Only passwords Glance uses: one in an option it ignores (removed,
        // unknown, misplaced) is those rules' finding, and weak or not it
        // opens nothing.
        let read: std::collections::HashSet<_> = ctx
            .read_options()
            .map(|(entry, _)| entry.key_span)
            .collect();
        for c in password_candidates(ctx) {
            if !read.contains(&c.entry.key_span) {
                continue;
            }
            let password = c.password();
            // A placeholder is placeholder-password's: one mistake, one finding.
            if password_placeholder(password).is_some() {
                continue;
            }
            let Some(why) = weak_password(password, c.user) else {
                continue;
            };
            let section = c.section;
            out.push(
                Finding::new(
                    &Self::META,
                    format!("{} in [{section}] is {why}", c.what()),
                )
                .on(c.entry)
                .at(c.entry.value_subspan(c.start, c.end))
                .label("weak password")
                .help(
                    "set a long random password for this account (e.g. `openssl rand -hex 16`) \
                     in the service and here",
                ),
            );
        }
    }
}
