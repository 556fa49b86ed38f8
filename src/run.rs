//! The commands, from parsed arguments to the text to print and the exit
//! status. `main.rs` only parses, prints and exits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, ConfigArgs, ConfigFormat, FailOn, LintArgs};
use crate::inputs::{self, Input};
use crate::project::{self, ProjectConfig};
use crate::report::{self, Format, InputError, RenderOptions, Report};
use crate::{config_output, LintOptions, Selection, Severity};

/// The file linted when no PATH is given.
pub const DEFAULT_PATH: &str = "/etc/glance/glance-api.conf";

/// What a command produced: the report (for stdout or `--output`), lines for
/// standard error, and the exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: String,
    pub errors: Vec<String>,
    pub status: u8,
    /// Lines for standard error that are not errors (what `--fix` fixed).
    pub notes: Vec<String>,
    /// `-` with `--fix`: the fixed text, for standard output; the report
    /// then goes to `--output` or standard error.
    pub stdout: Option<String>,
}

/// Whether to colour: `--color`, then `NO_COLOR`, `FORCE_COLOR`,
/// `CLICOLOR_FORCE`, then whether the report goes to a terminal.
pub fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if env_set("FORCE_COLOR") || env_set("CLICOLOR_FORCE") {
                true
            } else {
                to_terminal
            }
        }
    }
}

fn parse_severities(items: &[String]) -> Result<Vec<(String, Severity)>, String> {
    items
        .iter()
        .map(|item| {
            let (name, level) = item
                .split_once('=')
                .ok_or_else(|| format!("--severity takes NAME=LEVEL, got `{item}`"))?;
            let name = name.trim().to_string();
            Selection::validate(std::slice::from_ref(&name))
                .map_err(|m| format!("--severity: {m}"))?;
            let level = Severity::parse(level.trim())
                .ok_or_else(|| format!("--severity: `{level}` is not error, warning or info"))?;
            Ok((name, level))
        })
        .collect()
}

/// The options for files under one project config (or none): the config's
/// settings with the command line's over them.
struct Settings {
    config: Option<ProjectConfig>,
    fail_on: FailOn,
    base: LintOptions,
    /// `--target-release` was given: it wins over the config's per-file releases.
    cli_release: bool,
}

impl Settings {
    fn new(
        args: &LintArgs,
        cli_severity: &[(String, Severity)],
        config: Option<ProjectConfig>,
    ) -> Self {
        let pick = |cli: &Vec<String>, conf: Option<&Vec<String>>| {
            if cli.is_empty() {
                conf.cloned().unwrap_or_default()
            } else {
                cli.clone()
            }
        };
        let conf = config.as_ref();
        let mut selection = Selection {
            select: pick(&args.select, conf.and_then(|c| c.select.as_ref())),
            ignore: pick(&args.ignore, conf.and_then(|c| c.ignore.as_ref())),
            ..Selection::default()
        };
        if let Some(c) = conf {
            selection.set_severities(&c.severity);
        }
        // The command line's overrides win over the config's, whatever their
        // specificity.
        selection.set_severities(cli_severity);
        let release = args.target_release.or(conf.and_then(|c| c.target_release));
        Settings {
            cli_release: args.target_release.is_some(),
            fail_on: args
                .fail_on
                .or(conf.and_then(|c| c.fail_on))
                .unwrap_or(FailOn::Error),
            base: LintOptions {
                root: args.root.clone(),
                host_checks: !args.no_host_checks,
                service_user: args
                    .service_user
                    .clone()
                    .or_else(|| conf.and_then(|c| c.service_user.clone())),
                selection,
                live: args.live.then_some(args.timeout),
                catalogue: crate::schema::catalogue_for(
                    release.unwrap_or_else(crate::schema::Release::newest),
                ),
                release_chosen: release.is_some(),
                upgrade_to: args.upgrade_to,
                fragment: args.fragment,
                template: false,
            },
            config,
        }
    }

    /// The options for one input. Standard input is judged as the file it
    /// is named after (`--stdin-filename`): its globs, its `.j2` template.
    fn options_for(&self, input: &Input, stdin_name: &str) -> LintOptions {
        let mut options = self.base.clone();
        let path = match input {
            Input::File { path, .. } => path.as_path(),
            Input::Stdin => Path::new(stdin_name),
        };
        let config = self.config.as_ref();
        if let Some(c) = config {
            options.selection.ignore.extend(c.ignores_for(path));
            options.fragment |= c.is_fragment(path);
            // The command line's release wins over the config's.
            if !self.cli_release {
                if let Some(release) = c.release_for(path) {
                    options.catalogue = crate::schema::catalogue_for(release);
                    options.release_chosen = true;
                }
            }
        }
        options.template = config
            .and_then(|c| c.is_template(path))
            .unwrap_or_else(|| path.extension().is_some_and(|e| e == "j2"));
        options
    }
}

/// Project configs by file, loaded once each.
struct Configs<'a> {
    args: &'a LintArgs,
    cli_severity: Vec<(String, Severity)>,
    by_file: HashMap<Option<PathBuf>, usize>,
    settings: Vec<Settings>,
    discovery: project::Discovery,
}

impl Configs<'_> {
    /// The settings for files in `dir`.
    fn for_dir(&mut self, dir: &Path) -> Result<usize, String> {
        let file = match &self.args.config {
            Some(f) => Some(f.clone()),
            None => self.discovery.find(dir),
        };
        if let Some(&i) = self.by_file.get(&file) {
            return Ok(i);
        }
        let config = file.as_deref().map(ProjectConfig::load).transpose()?;
        self.settings
            .push(Settings::new(self.args, &self.cli_severity, config));
        self.by_file.insert(file, self.settings.len() - 1);
        Ok(self.settings.len() - 1)
    }
}

fn input_dir(input: &Input, stdin_name: &str) -> PathBuf {
    let path = match input {
        Input::File { path, .. } => path.as_path(),
        // Standard input is looked up as if it were the file it is named after.
        Input::Stdin => Path::new(stdin_name),
    };
    let dir = project::absolute(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    if dir.is_dir() {
        dir
    } else {
        project::absolute(Path::new("."))
    }
}

/// `glance-lint [OPTIONS] [PATH ...]`. An `Err` is a usage or project
/// config error (exit status 2, nothing linted).
pub fn lint(args: &LintArgs, to_terminal: bool, width: usize) -> Result<Outcome, String> {
    if args.live && !cfg!(feature = "live") {
        return Err(
            "--live: this glance-lint was built without the `live` feature (cargo install glance-lint, without --no-default-features, has it)"
                .into(),
        );
    }
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err("--unsafe-fixes: use it with --fix or --diff".into());
    }
    Selection::validate(&args.select).map_err(|m| format!("--select: {m}"))?;
    Selection::validate(&args.ignore).map_err(|m| format!("--ignore: {m}"))?;
    if let (Some(to), Some(from)) = (args.upgrade_to, args.target_release) {
        if to <= from {
            return Err(format!(
                "--upgrade-to {to} is not newer than --target-release {from}: nothing changes on the way"
            ));
        }
    }
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise) {
        return Err("--statistics works with --format human or concise".into());
    }
    let mut configs = Configs {
        args,
        cli_severity: parse_severities(&args.severity)?,
        by_file: HashMap::new(),
        settings: Vec::new(),
        discovery: project::Discovery::default(),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_PATH)]
    } else {
        args.paths.clone()
    };
    let (inputs, mut input_errors) = inputs::resolve(&paths);
    let read = inputs::ReadOptions {
        config_dirs: &args.config_dir,
        stdin_name: &args.stdin_filename,
        max_bytes: args.max_file_size,
    };
    let mut kept = Vec::new();
    for input in inputs {
        let i = configs.for_dir(&input_dir(&input, &args.stdin_filename))?;
        let settings = &configs.settings[i];
        if let (Input::File { path, walked: true }, Some(c)) = (&input, &settings.config) {
            if c.excludes(path) {
                continue;
            }
        }
        if !args.live && only_live_rules(&settings.base.selection) {
            return Err(
                "the selected rules are all live probes (GL9xx), which run only with --live: add --live, or select other rules"
                    .into(),
            );
        }
        let mut options = settings.options_for(&input, &args.stdin_filename);
        // Host checks judge the host Glance runs on: only a file where Glance
        // reads it tells about that host, unless --host-checks says otherwise.
        // `--live` says this is the host the file's services run on: its
        // host checks (the image directory for the service user) run too.
        let not_read_here = options.host_checks
            && !args.host_checks
            && !args.live
            && match &input {
                Input::File { path, .. } => !crate::host::glance_reads(&args.root, path),
                // Standard input keeps its own note (no file mode to judge).
                Input::Stdin => false,
            };
        if not_read_here {
            options.host_checks = false;
        }
        kept.push((input, i, options, not_read_here));
    }
    let render = RenderOptions {
        color: args.format == Format::Human && use_color(args.color, to_terminal),
        width,
    };
    // Each worker reads a file and lints it at once: reading is half the work
    // on many small files, and one file's model is freed before the next.
    // `--statistics` in the human format shows counts, not the findings: no
    // need to draw them.
    let finish_as = if args.statistics {
        Format::Concise
    } else {
        args.format
    };
    let done = inputs::parallel_map(kept, |(input, i, options, not_read_here)| {
        let mut errors = Vec::new();
        let mut fixing = FixReport::default();
        let result = inputs::read(&input, &read, &mut errors).map(|t| {
            let mut result = if args.fix || args.diff {
                fix_target(t.sources, &options, args, &mut fixing, &mut errors)
            } else {
                crate::lint(t.sources, &options)
            };
            if not_read_here {
                for n in &mut result.notes {
                    if n == crate::host::NO_HOST_CHECKS_NOTE {
                        *n = crate::host::not_read_here_note(&args.root);
                    }
                }
            }
            result.finish(finish_as, &render);
            result
        });
        (i, result, errors, fixing)
    });
    let (mut results, mut which) = (Vec::new(), Vec::new());
    let mut fixes = FixReport::default();
    for (i, result, errors, fixing) in done {
        input_errors.extend(errors);
        fixes.merge(fixing);
        if let Some(result) = result {
            results.push(result);
            which.push(i);
        }
    }
    let failed = results.iter().zip(&which).any(|(r, &i)| {
        let threshold = configs.settings[i].fail_on.threshold();
        threshold.is_some_and(|t| r.findings.iter().any(|f| f.severity() >= t))
    });
    let report = Report {
        results: &results,
        input_errors: &input_errors,
    };
    let text = match (args.statistics, args.format) {
        (true, Format::Human) => {
            report::statistics(&report) + &report::human::footer(&report, &render)
        }
        (true, _) => report::render(args.format, &report, &render) + &report::statistics(&report),
        (false, _) => report::render(args.format, &report, &render),
    };
    if args.diff {
        // The diff is the output; exit 1 when there is one.
        let mut notes = fixes.notes;
        notes.push(format!(
            "would fix {} problem{}{}",
            fixes.fixed,
            if fixes.fixed == 1 { "" } else { "s" },
            if args.fix {
                " (--diff writes nothing)"
            } else {
                ""
            }
        ));
        return Ok(Outcome {
            report: fixes.diff,
            errors: describe(&input_errors),
            status: if !input_errors.is_empty() {
                2
            } else if fixes.changed {
                1
            } else {
                0
            },
            notes,
            stdout: None,
        });
    }
    let mut notes = fixes.notes;
    if args.fix {
        let remaining: usize = results.iter().map(|r| r.findings.len()).sum();
        notes.push(format!(
            "fixed {} problem{}, {} remaining",
            fixes.fixed,
            if fixes.fixed == 1 { "" } else { "s" },
            remaining
        ));
    }
    Ok(Outcome {
        report: text,
        errors: describe(&input_errors),
        status: if !input_errors.is_empty() {
            2
        } else if failed {
            1
        } else {
            0
        },
        notes,
        stdout: fixes.stdout,
    })
}

/// What `--fix` or `--diff` did over one target (then over all of them).
#[derive(Debug, Default)]
struct FixReport {
    /// How many fixes were applied (or would be, with `--diff`).
    fixed: usize,
    /// Whether any file changes.
    changed: bool,
    diff: String,
    /// One line per fix, for standard error.
    notes: Vec<String>,
    /// Standard input's fixed text.
    stdout: Option<String>,
}

impl FixReport {
    fn merge(&mut self, other: FixReport) {
        self.fixed += other.fixed;
        self.changed |= other.changed;
        self.diff.push_str(&other.diff);
        self.notes.extend(other.notes);
        if other.stdout.is_some() {
            self.stdout = other.stdout;
        }
    }
}

/// `--fix` / `--diff` on one target: applies its fixes, writes each changed
/// file (or, with `--diff`, only shows the change) and returns the lint of
/// what is now on disk. A file that cannot be written is an input error and
/// is left as it was; its findings are those of the unchanged file.
fn fix_target(
    sources: Vec<crate::source::SourceFile>,
    options: &LintOptions,
    args: &LintArgs,
    report: &mut FixReport,
    errors: &mut Vec<InputError>,
) -> crate::LintResult {
    use crate::fix::Applicability;
    let level = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fixed = crate::autofix::fix(sources, options, level);
    if let Some(reason) = &fixed.refused {
        report.notes.push(reason.clone());
    }
    let changed: Vec<usize> = (0..fixed.original.len())
        .filter(|&i| fixed.changed(i))
        .collect();
    // The files whose fixes took: every changed one for `--diff`, the
    // ones written (or standard input) for `--fix`.
    let mut done = vec![args.diff; fixed.original.len()];
    if !args.diff {
        for &i in &changed {
            let src = &fixed.result.sources[i];
            done[i] = match &src.disk_path {
                Some(path) => match crate::write::write_atomic(path, src.text.as_bytes()) {
                    Ok(()) => true,
                    Err(message) => {
                        errors.push(InputError {
                            path: src.name.clone(),
                            message,
                        });
                        false
                    }
                },
                None => true,
            };
        }
    }
    let verb = if args.diff { "would fix" } else { "fixed" };
    for a in fixed.applied.iter().filter(|a| done[a.file]) {
        report.fixed += 1;
        report.notes.push(format!(
            "{verb} {}:{}: {} ({}): {}",
            fixed.original[a.file].name, a.line, a.rule.name, a.rule.code, a.message
        ));
    }
    report.changed |= changed.iter().any(|&i| done[i]);
    if args.diff {
        report.diff.push_str(&crate::write::diff(&fixed));
        // Nothing written: what remains is what the files hold now.
        return crate::lint(fixed.original, options);
    }
    // Standard input (no path on disk): its fixed text, changed or not.
    if let Some(src) = fixed.result.sources.iter().find(|s| s.disk_path.is_none()) {
        report.stdout = Some(src.text.clone());
    }
    if changed.iter().all(|&i| done[i]) {
        return fixed.result;
    }
    // What is on disk now: the files written, and the others as they were.
    let actual = fixed
        .result
        .sources
        .into_iter()
        .zip(fixed.original)
        .zip(done)
        .map(|((new, old), done)| if done { new } else { old })
        .collect();
    crate::lint(actual, options)
}

/// Whether a selection leaves only the live rules, which run only with `--live`.
fn only_live_rules(selection: &Selection) -> bool {
    let mut enabled = crate::rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| selection.enabled(m))
        .peekable();
    enabled.peek().is_some() && enabled.all(|m| m.category == crate::rules::Category::Live)
}

/// `glance-lint config`: one effective configuration of every file given.
pub fn config(args: &ConfigArgs) -> Result<Outcome, String> {
    let mut sources = Vec::new();
    let read = |p: &Path| {
        inputs::read_file(p, args.max_file_size).map_err(|m| format!("{}: {m}", p.display()))
    };
    for p in &args.paths {
        sources.push(read(p)?);
    }
    for dir in &args.config_dir {
        for f in inputs::overlay_files(dir).map_err(|m| format!("{}: {m}", dir.display()))? {
            sources.push(read(&f)?);
        }
    }
    let config = crate::effective_config(&sources);
    if let Some(err) = config.first_parse_error() {
        let src = &sources[err.span.file];
        return Ok(Outcome {
            report: String::new(),
            errors: vec![format!(
                "{}: line {}: oslo.config cannot parse this file: {}",
                src.name,
                err.line,
                err.kind.oslo_message()
            )],
            status: 1,
            ..Outcome::default()
        });
    }
    let report = match args.format {
        ConfigFormat::Ini => {
            config_output::ini(&config, crate::schema::catalogue(), args.show_secrets)
        }
        ConfigFormat::Json => {
            config_output::json(&config, crate::schema::catalogue(), args.show_secrets)
        }
    };
    Ok(Outcome {
        report,
        errors: Vec::new(),
        status: 0,
        ..Outcome::default()
    })
}

/// `glance-lint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "glance-lint", &mut out);
    out
}

/// `glance-lint man`: the man page, in roff.
pub fn man_page() -> Vec<u8> {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .expect("writing to a Vec cannot fail");
    out
}

/// Input errors as they are printed.
pub fn describe(errors: &[InputError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect()
}
