//! The rule engine: the `Rule` trait, rule metadata, and the registry.
//!
//! Adding a rule: write `src/rules/<name>.rs` with `declare_rule!` (doc comment,
//! code, name, severity and its variants, category, summary) and `impl Rule`
//! (reading values through `model::views`, never parsing them), add one line
//! to [`RULES`], add `fixtures/<name>/bad.conf` and `good.conf`, then run
//! `UPDATE_RULE_DOCS=1 cargo test --test docs` and `cargo insta review`.
//! A live rule is declared in `live.rs` and reported by the probe that lists
//! it (`crate::live::PROBES`; README "Adding a probe").

use crate::finding::Finding;
use crate::model::EffectiveConfig;
use crate::options::LintOptions;
use crate::source::SourceFile;

pub use crate::meta::{Category, RuleMeta, Severity, Variant};

/// Everything a rule may look at. Rules read the model, never raw text.
pub struct Context<'a> {
    pub config: &'a EffectiveConfig,
    pub sources: &'a [SourceFile],
    pub options: &'a LintOptions,
    /// What Glance reads in this file, against the catalogue of the release.
    known: known::Known<'a>,
    /// Every key classified against the catalogue, computed once for the
    /// catalogue rules that all need it.
    classified: std::cell::OnceCell<Vec<(&'a crate::model::Entry, known::KeyClass)>>,
    /// The addresses of the classified entries Glance ignores, for [`Context::is_read`].
    ignored: std::cell::OnceCell<std::collections::HashSet<usize>>,
    /// Which values are secret, decided once for the rules and the redactor.
    secrets: std::cell::OnceCell<crate::redact::SecretPolicy>,
}

impl<'a> Context<'a> {
    pub fn new(
        config: &'a EffectiveConfig,
        sources: &'a [SourceFile],
        options: &'a LintOptions,
    ) -> Self {
        Context {
            config,
            sources,
            options,
            known: known::Known::new(config, options.catalogue),
            classified: std::cell::OnceCell::new(),
            ignored: std::cell::OnceCell::new(),
            secrets: std::cell::OnceCell::new(),
        }
    }

    /// The option catalogue of the release being linted.
    pub fn catalogue(&self) -> &'static crate::schema::Catalogue {
        self.options.catalogue
    }

    /// What Glance reads in this file: store mode, backends, auth sections.
    pub(crate) fn known(&self) -> &known::Known<'a> {
        &self.known
    }

    /// Every effective key of every known section, classified.
    pub(crate) fn classified(&self) -> &[(&'a crate::model::Entry, known::KeyClass)] {
        self.classified.get_or_init(|| self.known.entries())
    }

    /// Whether Glance reads this assignment: a known option (or an old name of one), or a
    /// key of a section this tool cannot check. Misplaced, unknown, removed and not-yet
    /// options are ignored by Glance, so their values cannot break it.
    pub(crate) fn is_read(&self, entry: &crate::model::Entry) -> bool {
        // The ignored assignments by address, collected once: rules ask for every entry, and
        // a file may have hundreds of thousands.
        let ignored = self.ignored.get_or_init(|| {
            self.classified()
                .iter()
                .filter(|(_, class)| {
                    !matches!(
                        class,
                        known::KeyClass::Known(_)
                            | known::KeyClass::Deprecated { .. }
                            | known::KeyClass::Unchecked
                    )
                })
                .map(|(e, _)| std::ptr::from_ref::<crate::model::Entry>(e) as usize)
                .collect()
        });
        !ignored.contains(&(std::ptr::from_ref(entry) as usize))
    }

    /// Every effective assignment Glance reads, with the option it sets (an
    /// old name resolved to the current option).
    pub(crate) fn read_options(
        &self,
    ) -> impl Iterator<Item = (&'a crate::model::Entry, &'static crate::schema::OptionDef)> + '_
    {
        self.classified()
            .iter()
            .filter_map(|(entry, class)| match class {
                known::KeyClass::Known(o) | known::KeyClass::Deprecated { opt: o, .. } => {
                    Some((*entry, *o))
                }
                _ => None,
            })
    }

    /// The secret policy of this target.
    pub fn secrets(&self) -> &crate::redact::SecretPolicy {
        self.secrets.get_or_init(|| {
            crate::redact::SecretPolicy::from_classified(
                self.config,
                &self.known,
                self.classified(),
            )
        })
    }

    /// The value of this assignment is secret: a rule never quotes it. (A
    /// secret option holding one URL is shown with its password masked: a
    /// rule quoting such a URL masks the ranges `url_password_ranges` finds.)
    pub fn is_secret(&self, entry: &crate::model::Entry) -> bool {
        self.secrets().masks_whole(entry)
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context, out: &mut Vec<Finding>);
}

/// Declares a rule's unit struct and its metadata; the doc comment becomes
/// the rule's documentation (clippy's `declare_clippy_lint!`).
///
/// `severity` is the level the rule reports at unless a declared variant
/// applies; `variants` names the others, each with its level and when it
/// applies. A finding picks one with `.variant(&Self::NAME)`; `Self::DEFAULT`
/// is the default level, for code that chooses between levels.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            $(variants: {
                $($variant:ident: $vsev:ident when $when:literal),* $(,)?
            },)?
            category: $cat:ident,
            summary: $summary:literal
            $(, reference: $reference:literal)?
            $(, fixes: { $($fixapp:ident: $fixdesc:literal),* $(,)? })? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;
        impl $ty {
            /// The rule's default level.
            #[allow(dead_code)]
            pub const DEFAULT: $crate::rules::Variant =
                $crate::rules::Variant::declared($code, $crate::rules::Severity::$sev, None);
            $($(
                #[doc = concat!(stringify!($vsev), " when ", $when)]
                pub const $variant: $crate::rules::Variant = $crate::rules::Variant::declared(
                    $code,
                    $crate::rules::Severity::$vsev,
                    Some($when),
                );
            )*)?
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::rules::Severity::$sev,
                variants: &[$($(Self::$variant),*)?],
                category: $crate::rules::Category::$cat,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                reference: declare_rule!(@opt $($reference)?),
                fixes: &[$($($crate::meta::FixMeta {
                    applicability: $crate::meta::Applicability::$fixapp,
                    description: $fixdesc,
                }),*)?],
            };
        }
    };
    (@opt $r:literal) => { Some($r) };
    (@opt) => { None };
}

mod auth_plugin_unknown;
mod auth_url_mismatch;
mod cache_self_reference_missing;
mod config_file_owner;
mod config_file_permissions;
mod credential_mismatch;
mod database_connection_missing;
mod datadir_missing;
mod datadir_permissions;
mod debug_enabled;
mod default_backend_missing;
mod default_backend_not_enabled;
mod deprecated_option;
pub mod docs;
mod duplicate_option;
mod endpoint_id_format;
mod image_locations_exposed;
mod inline_comment;
/// Exported for the differential test against the regex it replaces.
pub use inline_comment::comment_marker;
mod insecure_identity_uri;
mod invalid_log_format;
/// Exported for the differential test against Python's `%` operator.
pub use invalid_log_format::percent_format_error;
mod invalid_database_connection;
mod invalid_transport_url;
mod invalid_value;
mod keystone_auth_incomplete;
/// The catalogue reading of the file lives in the model (the secret policy uses it too).
use crate::model::known;
mod legacy_store_config;
pub mod live;
mod misplaced_option;
mod none_string_value;
mod not_glance_api_conf;
mod parse_error;
mod paste_flavor_invalid;
mod placeholder;
mod placeholder_password;
mod placeholder_value;
mod quoted_list_item;
mod removed_option;
mod reserved_backend_id;
mod selection;
mod suspicious_continuation;
mod tls_verification_disabled;
mod unknown_list_item;
mod unknown_option;
mod unknown_section;
mod unknown_store_type;
mod unresolved_interpolation;
mod upgrade_change;
mod weak_password;

pub mod unused_suppression;

/// The registry: one line per rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &parse_error::ParseError,
    &inline_comment::InlineComment,
    &duplicate_option::DuplicateOption,
    &suspicious_continuation::SuspiciousContinuation,
    &unresolved_interpolation::UnresolvedInterpolation,
    &unused_suppression::UnusedSuppression,
    &not_glance_api_conf::NotGlanceApiConf,
    &quoted_list_item::QuotedListItem,
    &none_string_value::NoneStringValue,
    &invalid_log_format::InvalidLogFormat,
    &unknown_section::UnknownSection,
    &unknown_option::UnknownOption,
    &misplaced_option::MisplacedOption,
    &invalid_value::InvalidValue,
    &deprecated_option::DeprecatedOption,
    &removed_option::RemovedOption,
    &upgrade_change::UpgradeChange,
    &unknown_list_item::UnknownListItem,
    &default_backend_not_enabled::DefaultBackendNotEnabled,
    &default_backend_missing::DefaultBackendMissing,
    &unknown_store_type::UnknownStoreType,
    &reserved_backend_id::ReservedBackendId,
    &legacy_store_config::LegacyStoreConfig,
    &auth_url_mismatch::AuthUrlMismatch,
    &endpoint_id_format::EndpointIdFormat,
    &keystone_auth_incomplete::KeystoneAuthIncomplete,
    &credential_mismatch::CredentialMismatch,
    &invalid_transport_url::InvalidTransportUrl,
    &invalid_database_connection::InvalidDatabaseConnection,
    &placeholder_password::PlaceholderPassword,
    &placeholder_value::PlaceholderValue,
    &cache_self_reference_missing::CacheSelfReferenceMissing,
    &paste_flavor_invalid::PasteFlavorInvalid,
    &auth_plugin_unknown::AuthPluginUnknown,
    &database_connection_missing::DatabaseConnectionMissing,
    &datadir_missing::DatadirMissing,
    &config_file_permissions::ConfigFilePermissions,
    &config_file_owner::ConfigFileOwner,
    &insecure_identity_uri::InsecureIdentityUri,
    &tls_verification_disabled::TlsVerificationDisabled,
    &debug_enabled::DebugEnabled,
    &image_locations_exposed::ImageLocationsExposed,
    &datadir_permissions::DatadirPermissions,
    &weak_password::WeakPassword,
    &live::KeystoneUnreachable,
    &live::KeystoneAuthFailed,
    &live::KeystoneEndpointNotFound,
    &live::KeystoneRoleMissing,
    &live::DatabaseUnreachable,
    &live::DatabaseAuthFailed,
    &live::DatabaseMissing,
    &live::DatabaseNotSynced,
    &live::RabbitmqUnreachable,
    &live::RabbitmqAuthFailed,
    &live::RabbitmqVhostDenied,
    &live::MemcachedUnreachable,
    &live::ImageEndpointMissing,
    &live::ImageEndpointUnreachable,
    &live::RegisteredLimitMissing,
    &live::DatabaseGrantsInsufficient,
    &live::DatabaseTablesMissing,
    &live::ImageDirNotWritable,
];

/// `parse-error`: in a template, a Jinja statement line is not one.
pub static PARSE_ERROR: &RuleMeta = &parse_error::ParseError::META;

/// `not-glance-api-conf`: when it fires, `lint` reports nothing else.
pub static NOT_GLANCE_API_CONF: &RuleMeta = &not_glance_api_conf::NotGlanceApiConf::META;

/// A rule by name or code.
pub fn find(name_or_code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        let m = r.meta();
        m.name == name_or_code || m.code.eq_ignore_ascii_case(name_or_code)
    })
}

/// The rules the live probes report (`--live`).
pub fn live_rules() -> impl Iterator<Item = &'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.category == Category::Live)
}

/// Rule metadata by name or code.
pub fn meta(name_or_code: &str) -> Option<&'static RuleMeta> {
    find(name_or_code).map(|r| r.meta())
}

/// The rule a mistyped name or code most likely meant ("did you mean"):
/// the closest name (or code) within a few edits, by strsim's
/// Damerau-Levenshtein distance, case-insensitively.
pub fn closest(typed: &str) -> Option<&'static RuleMeta> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return None;
    }
    // A third of the name, at least one edit and at most three: `debug-enable`
    // finds `debug-enabled`, `foo` finds nothing.
    let limit = (typed.chars().count() / 3).clamp(1, 3);
    RULES
        .iter()
        .map(|r| r.meta())
        .flat_map(|m| {
            [
                (strsim::damerau_levenshtein(&typed, m.name), m),
                (
                    strsim::damerau_levenshtein(&typed, &m.code.to_ascii_lowercase()),
                    m,
                ),
            ]
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, m)| (*d, m.code))
        .map(|(_, m)| m)
}

/// `: did you mean `NAME` (CODE)?` for a mistyped rule, else nothing.
pub fn did_you_mean(typed: &str) -> String {
    closest(typed)
        .map(|m| format!(": did you mean `{}` ({})?", m.name, m.code))
        .unwrap_or_default()
}

/// What to say after "not a rule": the rule meant, else where the rules are
/// listed.
pub fn rule_hint(typed: &str) -> String {
    match closest(typed) {
        Some(_) => did_you_mean(typed),
        None => " (`glance-lint rules` lists them)".to_string(),
    }
}
