use std::os::unix::fs::MetadataExt;

use super::config_file_permissions::file_span;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::host::{config_file_path, shown, Accounts};

declare_rule! {
    /// ## What it does
    /// Reads the owner and group of each linted file and of its directory
    /// (symlinks followed, like `stat -L`), and compares them with the user
    /// `root` and the group `glance` of the host, as named in
    /// `<root>/etc/passwd` and `<root>/etc/group`. The directory must be owned
    /// by root (its group is not judged).
    ///
    /// When the host has no `glance` group, the rule says so and
    /// judges nothing else: Glance then runs under some other group that the
    /// file cannot tell, and guessing it would give wrong advice. When
    /// `etc/passwd` or `etc/group` cannot be read, the report notes that
    /// owners were not checked. Skipped with `--no-host-checks`, for standard
    /// input, and for files outside `--root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file, or of its directory, can rewrite or delete it:
    /// an unprivileged owner can point Glance at a Keystone or a database of
    /// their choosing, or remove the file so that Glance does not start again
    /// (the Security Guide's denial-of-service case). A group other than
    /// `glance` either keeps the glance service from reading its own
    /// configuration (Glance fails at start-up) or lets that group's members
    /// read the passwords in it.
    ///
    /// ## Example
    /// ```console
    /// $ stat -L -c '%U %G' /etc/glance/glance-api.conf
    /// glance glance
    /// ```
    ///
    /// ## Use instead
    /// ```console
    /// $ chown root:glance /etc/glance/glance-api.conf /etc/glance
    /// ```
    pub struct ConfigFileOwner {
        code: "GL303",
        name: "config-file-owner",
        severity: Warning,
        variants: {
            NO_GLANCE_GROUP: Info when "the host has no `glance` group, so the file's group cannot be judged",
        },
        category: Security,
        summary: "the configuration file is not owned by root with group glance",
        reference: "OpenStack Security Guide Check-Image-01",
    }
}

impl Rule for ConfigFileOwner {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let files: Vec<_> = ctx
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s, config_file_path(ctx.options, s).ok()?)))
            .collect();
        let Some(&(first, _, _)) = files.first() else {
            return;
        };
        let Ok(accounts) = Accounts::load(&ctx.options.root) else {
            return; // noted once in the report
        };
        let Some(glance_gid) = accounts.gid("glance") else {
            let f = Finding::new(
                &Self::META,
                "the host has no `glance` group (in /etc/group), so the file's group cannot be checked",
            )
            .at(file_span(ctx, first))
            .label("owner not checked")
            .help("create the group Glance runs as (`groupadd --system glance`), or check by hand that only Glance's group can read this file")
            .variant(&Self::NO_GLANCE_GROUP);
            out.push(f);
            return;
        };
        let root_uid = accounts.uid("root");
        let root = &ctx.options.root;
        let mut dirs_seen = Vec::new();
        for (file, src, path) in files {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let (owner, group) = (meta.uid(), meta.gid());
            if root_uid != Some(owner) || group != glance_gid {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "`{}` is owned by {}:{}, not root:glance",
                            src.name,
                            accounts.user_name(owner),
                            accounts.group_name(group)
                        ),
                    )
                    .at(file_span(ctx, file))
                    .label("this file")
                    .help(format!("`chown root:glance {}`", shown(root, &path))),
                );
            }
            let Some(dir) = path.parent() else { continue };
            let Ok(dmeta) = std::fs::metadata(dir) else {
                continue;
            };
            if root_uid != Some(dmeta.uid()) && !dirs_seen.contains(&dir.to_path_buf()) {
                dirs_seen.push(dir.to_path_buf());
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "the directory `{}` is owned by {}, not root: that user can replace every file in it",
                            shown(root, dir),
                            accounts.user_name(dmeta.uid())
                        ),
                    )
                    .at(file_span(ctx, file))
                    .label("in that directory")
                    .help(format!("`chown root:glance {}`", shown(root, dir))),
                );
            }
        }
    }
}
