//! The binary: parses arguments, calls the library, prints, exits.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use glance_lint::cli::{Cli, ColorChoice, Command, ExplainFormat, RulesFormat};
use glance_lint::report::markdown;
use glance_lint::rules::{self, docs};
use glance_lint::run::{self, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut output = None;
    let result = match cli.command {
        Some(Command::Config(args)) => run::config(&args),
        Some(Command::Rules { format }) => Ok(print(match format {
            RulesFormat::Human => docs::catalogue_text(),
            RulesFormat::Json => docs::catalogue_json(),
        })),
        Some(Command::Explain { rule, format }) => match rules::meta(&rule) {
            Some(meta) => {
                let page = docs::page(meta);
                let terminal = std::io::stdout().is_terminal();
                let format = format.unwrap_or(if terminal {
                    ExplainFormat::Terminal
                } else {
                    ExplainFormat::Markdown
                });
                Ok(print(match format {
                    ExplainFormat::Markdown => page,
                    ExplainFormat::Terminal => markdown::to_terminal(
                        &page,
                        width(terminal),
                        run::use_color(ColorChoice::Auto, terminal),
                    ),
                }))
            }
            None => Err(format!("no rule named `{rule}`{}", rules::rule_hint(&rule))),
        },
        Some(Command::Completions { shell }) => Ok(print_bytes(run::completions(shell))),
        Some(Command::Man) => Ok(print_bytes(run::man_page())),
        None => {
            output = cli.lint.output.clone();
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            run::lint(&cli.lint, to_terminal, width(to_terminal))
        }
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("glance-lint: error: {message}");
            return ExitCode::from(2);
        }
    };
    for e in &outcome.errors {
        eprintln!("glance-lint: error: {e}");
    }
    for n in &outcome.notes {
        eprintln!("glance-lint: {n}");
    }
    // `-` with `--fix`: the fixed text is the output; the report goes to
    // `--output`, or to standard error.
    if let Some(text) = &outcome.stdout {
        let _ = std::io::stdout().write_all(text.as_bytes());
        if output.is_none() {
            let _ = std::io::stderr().write_all(outcome.report.as_bytes());
            return ExitCode::from(outcome.status);
        }
    }
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, &outcome.report) {
                eprintln!("glance-lint: error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        // A closed pipe (`| head`) is not an error worth a panic.
        None => {
            let _ = std::io::stdout().write_all(outcome.report.as_bytes());
        }
    }
    ExitCode::from(outcome.status)
}

/// The report's width: `COLUMNS` when set, else the terminal's real width
/// when writing to one, else 100 columns.
fn width(to_terminal: bool) -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&w: &usize| w > 0)
        .or_else(|| {
            to_terminal
                .then(|| terminal_size::terminal_size_of(std::io::stdout()))
                .flatten()
                .map(|(w, _)| usize::from(w.0))
        })
        .unwrap_or(100)
}

fn print(text: String) -> Outcome {
    print_bytes(text.into_bytes())
}

fn print_bytes(report: Vec<u8>) -> Outcome {
    Outcome {
        report: String::from_utf8_lossy(&report).into_owned(),
        errors: Vec::new(),
        status: 0,
        ..Outcome::default()
    }
}
