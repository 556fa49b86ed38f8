//! Several files merged as oslo.config merges `--config-file`s and
//! `--config-dir` overlays: for single-valued options the last file that sets
//! a key wins, and inside a file its last assignment wins; multi-valued
//! options collect every assignment, oldest first.

use std::collections::BTreeMap;

use super::{Document, Entry};

/// Where an assignment lives: `docs[doc].entries[entry]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef {
    pub doc: usize,
    pub entry: usize,
}

/// The files of one lint target, oldest (lowest priority) first, and an index
/// of every assignment by normalized section and key.
#[derive(Debug, Clone)]
pub struct EffectiveConfig {
    pub docs: Vec<Document>,
    index: BTreeMap<String, BTreeMap<String, Vec<EntryRef>>>,
}

impl EffectiveConfig {
    pub fn new(docs: Vec<Document>) -> Self {
        let mut index: BTreeMap<String, BTreeMap<String, Vec<EntryRef>>> = BTreeMap::new();
        for (d, doc) in docs.iter().enumerate() {
            for header in &doc.sections {
                index.entry(header.name.clone()).or_default();
            }
            for (e, entry) in doc.entries.iter().enumerate() {
                index
                    .entry(entry.section.clone())
                    .or_default()
                    .entry(entry.key.clone())
                    .or_default()
                    .push(EntryRef { doc: d, entry: e });
            }
        }
        EffectiveConfig { docs, index }
    }

    pub fn entry(&self, r: EntryRef) -> &Entry {
        &self.docs[r.doc].entries[r.entry]
    }

    /// The assignment Glance uses for a single-valued option.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        let refs = self.index.get(section)?.get(key)?;
        refs.last().map(|&r| self.entry(r))
    }

    /// The effective value, as a string.
    pub fn value(&self, section: &str, key: &str) -> Option<&str> {
        self.get(section, key).map(|e| e.value.as_str())
    }

    /// Every assignment of a key, oldest first (what a multi-valued option sees).
    pub fn all<'a>(&'a self, section: &str, key: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.index
            .get(section)
            .and_then(|s| s.get(key))
            .into_iter()
            .flatten()
            .map(move |&r| self.entry(r))
    }

    pub fn has_section(&self, section: &str) -> bool {
        self.index.contains_key(section)
    }

    /// Section names, sorted, `DEFAULT` first.
    pub fn sections(&self) -> impl Iterator<Item = &str> {
        let default = self.index.get_key_value("DEFAULT").map(|(k, _)| k.as_str());
        default.into_iter().chain(
            self.index
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "DEFAULT"),
        )
    }

    /// The effective entry of every key of a section, sorted by key.
    pub fn options<'a>(&'a self, section: &str) -> impl Iterator<Item = (&'a str, &'a Entry)> + 'a {
        self.index
            .get(section)
            .into_iter()
            .flatten()
            .filter_map(move |(k, refs)| refs.last().map(|&r| (k.as_str(), self.entry(r))))
    }

    /// Every assignment in every file, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.docs.iter().flat_map(|d| d.entries.iter())
    }

    /// The first error oslo.config would stop at, over all files in the order
    /// it reads them.
    pub fn first_parse_error(&self) -> Option<&super::ParseError> {
        self.docs.iter().find_map(|d| d.errors.first())
    }
}
