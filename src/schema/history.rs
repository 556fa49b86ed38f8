//! What happened to an option or a section across the releases the catalogue
//! knows, read from the release masks of the generated tables: where a key
//! the target release does not read existed, and under which name.
//!
//! A mask has bit i set for release i ([`Release::bit`]).

use super::{normalize_group, RawOpt, Release, GENERATED_GROUPS, GENERATED_STORE_TYPES};

fn table_group(
    table: &'static [(&'static str, &'static [RawOpt])],
    group: &str,
) -> &'static [RawOpt] {
    table
        .iter()
        .find(|(name, _)| *name == group)
        .map(|(_, opts)| *opts)
        .unwrap_or(&[])
}

fn mask_of<'a>(opts: impl Iterator<Item = &'a RawOpt>) -> u32 {
    opts.fold(0, |mask, o| mask | o.releases)
}

/// Releases whose static group `group` has an option with file key `key`.
pub fn option_releases(group: &str, key: &str) -> u32 {
    let group = normalize_group(group);
    mask_of(
        table_group(GENERATED_GROUPS, &group)
            .iter()
            .filter(|o| o.key() == key),
    )
}

/// Releases whose store type `store_type` (`file`, `rbd` ...) has an option
/// with file key `key`.
pub fn store_option_releases(store_type: &str, key: &str) -> u32 {
    mask_of(
        table_group(GENERATED_STORE_TYPES, store_type)
            .iter()
            .filter(|o| o.key() == key),
    )
}

/// Releases that have the static group at all.
pub fn group_releases(group: &str) -> u32 {
    mask_of(table_group(GENERATED_GROUPS, &normalize_group(group)).iter())
}

/// An old name: the option that read `[group] key` in the releases of `mask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldName {
    /// The group of the option that had the old name.
    pub group: &'static str,
    /// That option's file key.
    pub key: &'static str,
    pub mask: u32,
}

/// The options (of any static group) that read `[group] key` as an old
/// name, with the releases in which they did.
pub fn old_name_of(group: &str, key: &str) -> Vec<OldName> {
    let group = normalize_group(group);
    let mut found: Vec<OldName> = Vec::new();
    for (home, opts) in GENERATED_GROUPS {
        for o in opts.iter() {
            let named = o
                .deprecated
                .iter()
                .any(|(g, n)| *n == key && normalize_group(g) == group);
            if !named {
                continue;
            }
            match found
                .iter_mut()
                .find(|f| f.group == *home && f.key == o.key())
            {
                Some(f) => f.mask |= o.releases,
                None => found.push(OldName {
                    group: home,
                    key: o.key(),
                    mask: o.releases,
                }),
            }
        }
    }
    found
}

/// The newest release of a mask.
pub fn last(mask: u32) -> Option<Release> {
    Release::in_mask(mask).last()
}

/// The oldest release of a mask.
pub fn first(mask: u32) -> Option<Release> {
    Release::in_mask(mask).next()
}

/// What a key the target release does not read was, in other releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Read up to `last` (as an option, or as an old name of `renamed_to`),
    /// gone from `removed_in` on.
    Removed {
        last: Release,
        removed_in: Release,
        /// `[group] key` it was an old name of, when it was one.
        renamed_to: Option<(&'static str, &'static str)>,
    },
    /// Only newer releases read it.
    Added { added_in: Release },
}

/// The fate of `[group] key` (a static group) relative to `target`, or None
/// when no release the catalogue knows reads it there (or `target` does).
pub fn fate(group: &str, key: &str, target: Release) -> Option<Fate> {
    let own = option_releases(group, key);
    let old = old_name_of(group, key);
    let as_old: u32 = old.iter().fold(0, |m, o| m | o.mask);
    match fate_of_mask(own | as_old, target)? {
        // Read last under an old name: of which option.
        Fate::Removed {
            last, removed_in, ..
        } => Some(Fate::Removed {
            last,
            removed_in,
            renamed_to: (own & last.bit() == 0)
                .then(|| old.iter().find(|o| o.mask & last.bit() != 0))
                .flatten()
                .map(|o| (o.group, o.key)),
        }),
        added => Some(added),
    }
}

/// What a release mask says relative to `target`: removed after its last
/// release before `target`, or added after `target`; None when `target` is in
/// it or it is empty.
fn fate_of_mask(mask: u32, target: Release) -> Option<Fate> {
    if mask == 0 || mask & target.bit() != 0 {
        return None;
    }
    let before = mask & (target.bit() - 1);
    if let Some(last) = last(before) {
        return Some(Fate::Removed {
            last,
            removed_in: last.next()?,
            renamed_to: None,
        });
    }
    first(mask).map(|added_in| Fate::Added { added_in })
}

/// The fate of a whole static section relative to `target` (as [`fate`]).
pub fn group_fate(group: &str, target: Release) -> Option<Fate> {
    fate_of_mask(group_releases(group), target)
}

/// The fate of a store option in a backend section of `store_type`.
pub fn store_fate(store_type: &str, key: &str, target: Release) -> Option<Fate> {
    fate_of_mask(store_option_releases(store_type, key), target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(name: &str) -> Release {
        Release::parse(name).unwrap()
    }

    #[test]
    fn sql_connection_was_an_old_name_until_bobcat() {
        let bobcat = release("bobcat");
        assert_eq!(fate("DEFAULT", "sql_connection", bobcat), None);
        assert_eq!(
            fate("DEFAULT", "sql_connection", release("2024.1")),
            Some(Fate::Removed {
                last: bobcat,
                removed_in: release("caracal"),
                renamed_to: Some(("database", "connection")),
            })
        );
    }

    #[test]
    fn bind_host_went_with_the_standalone_server() {
        let newest = Release::newest();
        match fate("DEFAULT", "bind_host", newest) {
            Some(Fate::Removed { removed_in, .. }) => assert_eq!(removed_in, newest),
            other => panic!("{other:?}"),
        }
        assert_eq!(fate("DEFAULT", "bind_host", release("antelope")), None);
    }

    #[test]
    fn newer_options_are_added_not_removed() {
        let oldest = Release::oldest();
        // An option every release has is no one's fate.
        assert_eq!(fate("database", "connection", oldest), None);
        assert!(matches!(
            fate("DEFAULT", "worker_self_reference_url", oldest),
            Some(Fate::Added { .. }) | None
        ));
        assert_eq!(fate("DEFAULT", "no_such_option_anywhere", oldest), None);
    }

    #[test]
    fn removed_sections() {
        let newest = Release::newest();
        assert!(matches!(
            group_fate("oslo_messaging_amqp", newest),
            Some(Fate::Removed { .. })
        ));
        assert_eq!(group_fate("oslo_messaging_amqp", Release::oldest()), None);
        assert_eq!(group_fate("database", newest), None);
    }
}
