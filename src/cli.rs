//! Command-line arguments (clap derive structs only).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "glance-lint",
    version,
    about = "Lint OpenStack Glance's glance-api.conf the way Glance reads it",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the effective configuration, as Glance reads it
    Config(ConfigArgs),
    /// List the rules
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Show one rule's documentation (RULE = name or code)
    Explain {
        rule: String,
        /// terminal: rendered as text; markdown: the page's Markdown
        /// [default: terminal on a terminal, else markdown]
        #[arg(long, value_enum)]
        format: Option<ExplainFormat>,
    },
    /// Print a shell completion script (e.g. `glance-lint completions bash > /etc/bash_completion.d/glance-lint`)
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), e.g. `glance-lint man > glance-lint.1`
    Man,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExplainFormat {
    Terminal,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConfigFormat {
    Ini,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        <FailOn as ValueEnum>::from_str(s, false).ok()
    }

    /// The lowest severity that fails, if any does.
    pub fn threshold(self) -> Option<crate::Severity> {
        match self {
            FailOn::Error => Some(crate::Severity::Error),
            FailOn::Warning => Some(crate::Severity::Warning),
            FailOn::Info => Some(crate::Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files, directories (every glance-api.conf below), or - for standard input.
    /// Default: /etc/glance/glance-api.conf
    pub paths: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Count the findings per rule: instead of them (human) or after them (concise)
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these rules (names, codes or code prefixes, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub select: Vec<String>,
    /// Skip these rules (names, codes or code prefixes, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub ignore: Vec<String>,
    /// Override a rule's severity: NAME=error|warning|info, NAME a rule name,
    /// code or code prefix (repeatable)
    #[arg(long, value_name = "NAME=LEVEL")]
    pub severity: Vec<String>,
    /// Lowest severity that makes the exit status 1 [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Project config to use instead of the .glance-lint.toml found from
    /// each linted file's directory upward
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also merge the *.conf files of DIR, as oslo.config's --config-dir (repeatable)
    #[arg(long, value_name = "DIR")]
    pub config_dir: Vec<PathBuf>,
    /// Name standard input in reports
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,
    /// Check host paths (image directory, file modes) under DIR instead of /
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Skip every check that looks at the host rather than the file
    #[arg(long)]
    pub no_host_checks: bool,
    /// Judge the host (file mode and owner, image directory) also for files
    /// outside <root>/etc/glance/, where Glance reads its configuration
    #[arg(long, conflicts_with = "no_host_checks")]
    pub host_checks: bool,
    /// The user glance-api runs as, for --live's image directory check (default: glance of <root>/etc/passwd)
    #[arg(long, value_name = "NAME")]
    pub service_user: Option<String>,
    /// The files are fragments merged into a base file elsewhere: skip the checks that need the whole file
    #[arg(long)]
    pub fragment: bool,
    /// Judge the files against this Glance release: a code name (caracal), a
    /// series (2024.1) or a glance version (28, 28.2.0) [default: the newest]
    #[arg(long, value_name = "RELEASE", value_parser = parse_release)]
    pub target_release: Option<crate::schema::Release>,
    /// Also report what changes for each file between the target release and
    /// RELEASE, release by release
    #[arg(long, value_name = "RELEASE", value_parser = parse_release)]
    pub upgrade_to: Option<crate::schema::Release>,
    /// Apply the safe fixes in place (with `-`: print the fixed text), then
    /// report what remains
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (they may change what Glance does)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there is one)
    #[arg(long)]
    pub diff: bool,
    /// Refuse inputs larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::inputs::DEFAULT_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(1..=crate::inputs::MAX_INPUT_BYTES))]
    pub max_file_size: u64,
    /// Colour: auto (a terminal, unless NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also probe the Keystone, database, RabbitMQ and memcached the file names (read-only)
    #[arg(long)]
    pub live: bool,
    /// Per-probe timeout for --live, in seconds
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_timeout)]
    pub timeout: Duration,
}

/// `--timeout`: a positive number of seconds (fractions allowed), at most a day.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!(
            "`{s}` is not a number of seconds between 0 and 86400"
        )),
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The files Glance reads, oldest first (later files win)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ConfigFormat::Ini)]
    pub format: ConfigFormat,
    /// Print secret values instead of ***
    #[arg(long)]
    pub show_secrets: bool,
    /// Also merge the *.conf files of DIR (repeatable)
    #[arg(long, value_name = "DIR")]
    pub config_dir: Vec<PathBuf>,
    #[arg(long, value_name = "BYTES", default_value_t = crate::inputs::DEFAULT_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(1..=crate::inputs::MAX_INPUT_BYTES))]
    pub max_file_size: u64,
}

/// `--target-release`, `--upgrade-to`: an unknown release is a usage error
/// (exit 2) that lists the known ones.
fn parse_release(text: &str) -> Result<crate::schema::Release, String> {
    crate::schema::Release::parse(text)
}
