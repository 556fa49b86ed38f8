//! The Glance releases the catalogue knows, oldest first, as the generator
//! wrote them into `catalogue.json` (`tools/gen-catalogue.py`, `RELEASES`).

use std::fmt;

/// One Glance release: its index in the catalogue (bit `index` of an
/// option's release mask), glance version, OpenStack series and code name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    index: u8,
}

/// The releases as `build.rs` embeds them: (glance version, series, code name).
fn table() -> &'static [(&'static str, &'static str, &'static str)] {
    super::GENERATED_RELEASES
}

impl Release {
    /// Every release the catalogue knows, oldest first.
    pub fn all() -> impl DoubleEndedIterator<Item = Release> + ExactSizeIterator {
        (0..table().len()).map(|i| Release { index: i as u8 })
    }

    /// The newest release: what a file is judged against by default.
    pub fn newest() -> Release {
        Release {
            index: (table().len() - 1) as u8,
        }
    }

    pub fn oldest() -> Release {
        Release { index: 0 }
    }

    pub(crate) fn index(self) -> usize {
        usize::from(self.index)
    }

    /// This release's bit in a release mask.
    pub fn bit(self) -> u32 {
        1 << self.index
    }

    /// The glance version the catalogue was generated from (`28.2.0`).
    /// Every `auth_type` the keystoneauth1 of this release can load (its upper-constraints'
    /// pin; `tools/gen-keystoneauth-plugins.py`). Case-sensitive.
    pub fn keystoneauth_plugins(self) -> &'static [&'static str] {
        super::keystoneauth_plugins::KEYSTONEAUTH_PLUGINS_BY_RELEASE
            .iter()
            .find(|(glance, _, _)| *glance == self.glance())
            .map_or(&[], |(_, _, plugins)| *plugins)
    }

    pub fn glance(self) -> &'static str {
        table()[self.index()].0
    }

    /// The OpenStack series (`2024.1`).
    pub fn series(self) -> &'static str {
        table()[self.index()].1
    }

    /// The code name, lower case (`caracal`).
    pub fn code_name(self) -> &'static str {
        table()[self.index()].2
    }

    /// `2024.1 Caracal`: how messages name a release.
    pub fn label(self) -> String {
        let name = self.code_name();
        let mut chars = name.chars();
        let title: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{} {title}", self.series())
    }

    /// `2024.1 Caracal (glance 28.2.0)`.
    pub fn long_label(self) -> String {
        format!("{} (glance {})", self.label(), self.glance())
    }

    /// The release after this one, if the catalogue knows it.
    pub fn next(self) -> Option<Release> {
        (self.index() + 1 < table().len()).then(|| Release {
            index: self.index + 1,
        })
    }

    /// Releases after this one up to and including `to`, oldest first.
    pub fn up_to(self, to: Release) -> impl Iterator<Item = Release> {
        (self.index + 1..=to.index).map(|index| Release { index })
    }

    /// Reads a release as users write it: a code name (`caracal`, any case),
    /// a series (`2024.1`), a glance major version (`28`) or a full one
    /// (`28.2.0`; any `28.x.y` is release 28: stable releases add no
    /// options). The error lists what is known.
    pub fn parse(text: &str) -> Result<Release, String> {
        let t = text.trim().to_ascii_lowercase();
        let numbers: Vec<&str> = t.split('.').collect();
        let numeric = numbers
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        // A glance version: `28` or `28.x.y` (a series is `2024.1`: two parts).
        let glance_major = (numeric && matches!(numbers.len(), 1 | 3)).then(|| numbers[0]);
        let found = Release::all().find(|r| {
            r.code_name() == t
                || r.series() == t
                || glance_major.is_some_and(|m| r.glance().split('.').next() == Some(m))
        });
        found.ok_or_else(|| {
            format!(
                "unknown release `{text}`; known releases: {}",
                Release::all()
                    .map(|r| format!("{} ({}, glance {})", r.code_name(), r.series(), r.glance()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The releases of a mask, oldest first.
    pub fn in_mask(mask: u32) -> impl Iterator<Item = Release> {
        Release::all().filter(move |r| mask & r.bit() != 0)
    }
}

impl fmt::Debug for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Release({})", self.long_label())
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        let caracal = Release::parse("caracal").unwrap();
        assert_eq!(caracal.series(), "2024.1");
        assert_eq!(caracal.glance(), "28.2.0");
        for spelling in ["Caracal", "2024.1", "28", "28.2.0", "28.0.0", " CARACAL "] {
            assert_eq!(Release::parse(spelling), Ok(caracal), "{spelling}");
        }
        assert_eq!(caracal.label(), "2024.1 Caracal");
        assert_eq!(Release::parse("zed").unwrap().glance(), "25.1.0");
        assert_eq!(Release::parse("yoga").unwrap().series(), "2022.1");
        assert_eq!(Release::parse("33").unwrap(), Release::newest());
    }

    #[test]
    fn unknown_lists_known() {
        for bad in ["queens", "2019.1", "20", "2024", "28.1", "", "2024.3"] {
            let e = Release::parse(bad).unwrap_err();
            assert!(e.contains("caracal (2024.1, glance 28.2.0)"), "{bad}: {e}");
        }
    }

    #[test]
    fn order_and_neighbours() {
        let all: Vec<Release> = Release::all().collect();
        assert!(all
            .windows(2)
            .all(|w| w[0] < w[1] && w[0].next() == Some(w[1])));
        assert_eq!(Release::newest().next(), None);
        let zed = Release::parse("zed").unwrap();
        assert_eq!(zed.up_to(Release::parse("bobcat").unwrap()).count(), 2);
        assert_eq!(Release::in_mask(0b101).count(), 2);
    }
}
