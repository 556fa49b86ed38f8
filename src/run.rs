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
#[derive(Debug)]
pub struct Outcome {
    pub report: String,
    pub errors: Vec<String>,
    pub status: u8,
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
        Settings {
            fail_on: args
                .fail_on
                .or(conf.and_then(|c| c.fail_on))
                .unwrap_or(FailOn::Error),
            base: LintOptions {
                root: args.root.clone(),
                host_checks: !args.no_host_checks,
                service_user: args.service_user.clone(),
                selection,
                live: args.live.then_some(args.timeout),
                catalogue: crate::schema::catalogue(),
                fragment: args.fragment,
                template: false,
            },
            config,
        }
    }

    fn options_for(&self, input: &Input) -> LintOptions {
        let mut options = self.base.clone();
        if let Input::File { path, .. } = input {
            let config = self.config.as_ref();
            if let Some(c) = config {
                options.selection.ignore.extend(c.ignores_for(path));
                options.fragment |= c.is_fragment(path);
            }
            options.template = config
                .and_then(|c| c.is_template(path))
                .unwrap_or_else(|| path.extension().is_some_and(|e| e == "j2"));
        }
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
    Selection::validate(&args.select).map_err(|m| format!("--select: {m}"))?;
    Selection::validate(&args.ignore).map_err(|m| format!("--ignore: {m}"))?;
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
        let options = settings.options_for(&input);
        kept.push((input, i, options));
    }
    let render = RenderOptions {
        color: args.format == Format::Human && use_color(args.color, to_terminal),
        width,
    };
    // Each worker reads a file and lints it at once: reading is half the work
    // on many small files, and one file's model is freed before the next.
    let done = inputs::parallel_map(kept, |(input, i, options)| {
        let mut errors = Vec::new();
        let result = inputs::read(&input, &read, &mut errors).map(|t| {
            let mut result = crate::lint(t.sources, &options);
            result.finish(args.format, &render);
            result
        });
        (i, result, errors)
    });
    let (mut results, mut which) = (Vec::new(), Vec::new());
    for (i, result, errors) in done {
        input_errors.extend(errors);
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
    let text = report::render(args.format, &report, &render);
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
    })
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
