use std::os::unix::fs::MetadataExt;

use super::datadir_missing::file_store_datadirs;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::host::{octal, under_root, Accounts};

declare_rule! {
    /// ## What it does
    /// Looks at the file store's image directory on the host (the same
    /// directories as `datadir-missing`, resolved under `--root`): it must be
    /// owned by the `glance` user of `<root>/etc/passwd` and not writable by
    /// others. When the host has no `glance` user the rule says so instead
    /// of judging the owner. Skipped with `--no-host-checks`.
    ///
    /// ## Why is this bad?
    /// Every image's data is a file in this directory, read back by Glance
    /// and copied to compute nodes without re-checking the checksum in
    /// several paths. A directory others can write lets any local user
    /// replace a public image with a backdoored one, delete images, or fill
    /// the disk until every upload fails. A directory owned by another user
    /// gives that user the same power, and when Glance cannot write to it
    /// the file store is disabled and uploads fail.
    ///
    /// ## Example
    /// ```console
    /// $ stat -c '%U %a' /var/lib/glance/images
    /// root 777
    /// ```
    ///
    /// ## Use instead
    /// ```console
    /// $ chown glance:glance /var/lib/glance/images && chmod 750 /var/lib/glance/images
    /// ```
    pub struct DatadirPermissions {
        code: "GL308",
        name: "datadir-permissions",
        severity: Warning,
        variants: {
            NO_GLANCE_USER: Info when "the host has no `glance` user, so the directory's owner cannot be judged",
        },
        category: Security,
        summary: "the file store's image directory is writable by others or not owned by the glance user",
    }
}

impl Rule for DatadirPermissions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if !ctx.options.host_checks {
            return;
        }
        let accounts = Accounts::load(&ctx.options.root).ok();
        let mut no_glance_user_said = false;
        for entry in file_store_datadirs(ctx) {
            let path = under_root(&ctx.options.root, &entry.value);
            let shown = &entry.value;
            let Ok(meta) = std::fs::metadata(&path) else {
                continue; // datadir-missing reports it
            };
            if !meta.is_dir() {
                continue;
            }
            if meta.mode() & 0o002 != 0 {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "the image directory `{shown}` has mode {}: every local user can write to it",
                            octal(meta.mode())
                        ),
                    )
                    .at_value(entry)
                    .label("world-writable")
                    .help(format!("`chmod 750 {shown}`")),
                );
            }
            let Some(accounts) = &accounts else { continue };
            match accounts.uid("glance") {
                Some(uid) if uid != meta.uid() => out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "the image directory `{shown}` is owned by {}, not by the glance user",
                            accounts.user_name(meta.uid())
                        ),
                    )
                    .at_value(entry)
                    .label("owner")
                    .help(format!("`chown glance:glance {shown}`")),
                ),
                Some(_) => {}
                None if !no_glance_user_said => {
                    no_glance_user_said = true;
                    let f = Finding::new(
                        &Self::META,
                        "the host has no `glance` user (in /etc/passwd), so the image directory's owner cannot be checked",
                    )
                    .at_value(entry)
                    .label("owner not checked")
                    .help("check by hand that the user Glance runs as owns this directory")
                    .variant(&Self::NO_GLANCE_USER);
                    out.push(f);
                }
                None => {}
            }
        }
    }
}
