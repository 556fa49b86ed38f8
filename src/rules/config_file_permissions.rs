use std::os::unix::fs::MetadataExt;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::host::{config_file_path, describe_bits, octal, shown};
use crate::model::Entry;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reads the mode of each linted file (symlinks followed, like `stat -L`)
    /// and of the directory that holds it. A file may allow at most `0640`
    /// (owner read/write, group read): `0600` passes, `0644` or `0660` do not.
    /// Bits for others do not count when the directory already shuts others
    /// out (no `o+x`), which is the checklist's other way to pass. The
    /// directory may allow at most `0750`.
    ///
    /// The check is skipped with `--no-host-checks`,
    /// for standard input, and for files outside `--root`.
    ///
    /// ## Why is this bad?
    /// glance-api.conf holds the service user's Keystone password, the
    /// database password and the RabbitMQ password. A file others can read
    /// gives every local account (a compromised web app, a CI runner sharing
    /// the controller) those credentials: with the database password an
    /// attacker rewrites image locations and ownership directly; with the
    /// Keystone password they act as the glance service user. A file or
    /// directory the group or others can write lets them change what Glance
    /// runs with, from pointing it at a malicious Keystone to deleting the
    /// file, which stops Glance at its next restart.
    ///
    /// ## Example
    /// ```console
    /// $ stat -L -c '%a %n' /etc/glance /etc/glance/glance-api.conf
    /// 755 /etc/glance
    /// 644 /etc/glance/glance-api.conf
    /// ```
    ///
    /// ## Use instead
    /// ```console
    /// $ chmod 640 /etc/glance/glance-api.conf && chmod 750 /etc/glance
    /// ```
    pub struct ConfigFilePermissions {
        code: "GL302",
        name: "config-file-permissions",
        severity: Warning,
        variants: {
            READABLE_SECRET: Error when "others can read a file that holds a password, a secret key or a URL with a password in it",
            DIRECTORY_OPEN: Info when "others can merely enter or list the directory (it is not writable by the group or others)",
        },
        category: Security,
        summary: "the configuration file or its directory allows more than 0640 / 0750",
        reference: "OpenStack Security Guide Check-Image-02",
    }
}

/// The first assignment of a file that holds a secret value.
pub(crate) fn first_secret<'a>(ctx: &Context<'a>, file: usize) -> Option<&'a Entry> {
    ctx.config
        .docs
        .iter()
        .filter(|d| d.file == file)
        .flat_map(|d| &d.entries)
        .find(|e| !e.value.is_empty() && !ctx.secrets().spans(e).is_empty())
}

/// The first line of a file, where file-level findings point.
pub(crate) fn file_span(ctx: &Context, file: usize) -> Span {
    let (start, end) = ctx.sources[file].line_range(1);
    Span::new(file, start, end)
}

impl Rule for ConfigFilePermissions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut dirs_seen = Vec::new();
        let root = &ctx.options.root;
        for (file, src) in ctx.sources.iter().enumerate() {
            let Ok(path) = config_file_path(ctx.options, src) else {
                continue;
            };
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let dir = path.parent().map(|d| d.to_path_buf()).unwrap_or_default();
            let dir_mode = std::fs::metadata(&dir).map(|m| m.mode()).ok();
            let mode = meta.mode() & 0o7777;
            let mut extra = mode & !0o640;
            let others_shut_out = dir_mode.is_some_and(|m| m & 0o001 == 0);
            if others_shut_out {
                extra &= !0o007;
            }
            if extra != 0 {
                let secret = first_secret(ctx, file);
                let others_read = extra & 0o004 != 0;
                let mut f = Finding::new(
                    &Self::META,
                    format!(
                        "`{}` has mode {}: {}",
                        src.name,
                        octal(mode),
                        describe_bits(extra)
                    ),
                );
                f = match secret {
                    Some(e) if others_read => f.variant(&Self::READABLE_SECRET).at_key(e).label(
                        format!("every local user can read this [{}] {}", e.section, e.key),
                    ),
                    _ => f.at(file_span(ctx, file)).label("this file"),
                };
                out.push(f.help(format!(
                    "`chmod 640 {}` (owner root reads and writes, group glance reads, no one else)",
                    shown(root, &path)
                )));
            }
            let Some(dir_mode) = dir_mode else { continue };
            let dir_extra = dir_mode & 0o777 & !0o750;
            if dir_extra == 0 || dirs_seen.contains(&dir) {
                continue;
            }
            let writable = dir_extra & 0o022 != 0;
            let mut f = Finding::new(
                &Self::META,
                format!(
                    "the directory `{}` has mode {}: {}",
                    shown(root, &dir),
                    octal(dir_mode),
                    describe_bits(dir_extra)
                ),
            )
            .at(file_span(ctx, file))
            .label(if writable {
                "can be replaced by others"
            } else {
                "in a directory others can enter"
            })
            .help(format!("`chmod 750 {}`", shown(root, &dir)));
            if !writable {
                f = f.variant(&Self::DIRECTORY_OPEN);
            }
            out.push(f);
            dirs_seen.push(dir);
        }
    }
}
