//! The binary: wires clap to the library and the report to the exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use glance_lint::cli::{
    Cli, ColorChoice, Command, ConfigArgs, ConfigFormat, FailOn, LintArgs, RulesFormat,
};
use glance_lint::report::{self, Format, RenderOptions, Report};
use glance_lint::{config_output, inputs, rules, LintOptions, Selection, Severity};

const DEFAULT_PATH: &str = "/etc/glance/glance-api.conf";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Config(args)) => run_config(&args),
        Some(Command::Rules { format }) => {
            print!(
                "{}",
                match format {
                    RulesFormat::Human => rules::docs::catalogue_text(),
                    RulesFormat::Json => rules::docs::catalogue_json(),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explain { rule }) => match rules::meta(&rule) {
            Some(meta) => {
                print!("{}", rules::docs::page(meta));
                Ok(ExitCode::SUCCESS)
            }
            None => Err(format!(
                "no rule named `{rule}`; `glance-lint rules` lists them"
            )),
        },
        None => run_lint(cli.lint),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("glance-lint: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn selection(args: &LintArgs) -> Result<Selection, String> {
    Selection::validate(&args.select)?;
    Selection::validate(&args.ignore)?;
    let mut sel = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Selection::default()
    };
    for item in &args.severity {
        let (name, level) = item
            .split_once('=')
            .ok_or_else(|| format!("--severity takes NAME=LEVEL, got `{item}`"))?;
        let meta = rules::meta(name.trim())
            .ok_or_else(|| format!("--severity: no rule named `{name}`"))?;
        let level = Severity::parse(level.trim())
            .ok_or_else(|| format!("--severity: `{level}` is not error, warning or info"))?;
        sel.severity.insert(meta.code, level);
    }
    Ok(sel)
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
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

fn run_lint(args: LintArgs) -> Result<ExitCode, String> {
    let options = LintOptions {
        root: args.root.clone(),
        host_checks: !args.no_host_checks,
        selection: selection(&args)?,
        live: args.live.then_some(args.timeout),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_PATH)]
    } else {
        args.paths.clone()
    };
    let (targets, input_errors) = inputs::collect(&inputs::Collect {
        paths: &paths,
        config_dirs: &args.config_dir,
        stdin_name: &args.stdin_filename,
        max_bytes: args.max_file_size,
    });
    let results = glance_lint::lint_targets(targets, &options);
    let report = Report {
        results: &results,
        input_errors: &input_errors,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = match args.format {
        Format::Human => {
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            report::human(
                &report,
                &RenderOptions {
                    color: use_color(args.color, to_terminal),
                    width,
                },
            )
        }
        Format::Json => report::json(&report),
    };
    for e in &input_errors {
        eprintln!("glance-lint: error: {}: {}", e.path, e.message);
    }
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| {
        results
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.severity >= t)
    });
    Ok(if !input_errors.is_empty() {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_config(args: &ConfigArgs) -> Result<ExitCode, String> {
    let mut sources = Vec::new();
    for p in &args.paths {
        sources.push(
            inputs::read_file(p, args.max_file_size)
                .map_err(|m| format!("{}: {m}", p.display()))?,
        );
    }
    for dir in &args.config_dir {
        for f in inputs::overlay_files(dir)? {
            sources.push(
                inputs::read_file(&f, args.max_file_size)
                    .map_err(|m| format!("{}: {m}", f.display()))?,
            );
        }
    }
    let config = glance_lint::effective_config(&sources);
    if let Some(err) = config.first_parse_error() {
        let src = &sources[err.span.file];
        eprintln!(
            "glance-lint: {}: line {}: oslo.config cannot parse this file: {}",
            src.name,
            err.line,
            err.kind.oslo_message()
        );
        return Ok(ExitCode::from(1));
    }
    let text = match args.format {
        ConfigFormat::Ini => config_output::ini(&config, args.show_secrets),
        ConfigFormat::Json => config_output::json(&config, args.show_secrets),
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}
