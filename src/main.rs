//! The binary: parses arguments, calls the library, prints, exits.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use glance_lint::cli::{Cli, Command, RulesFormat};
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
        Some(Command::Explain { rule }) => match rules::meta(&rule) {
            Some(meta) => Ok(print(docs::page(meta))),
            None => Err(format!(
                "no rule named `{rule}`; `glance-lint rules` lists them"
            )),
        },
        Some(Command::Completions { shell }) => Ok(print_bytes(run::completions(shell))),
        Some(Command::Man) => Ok(print_bytes(run::man_page())),
        None => {
            output = cli.lint.output.clone();
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            run::lint(&cli.lint, to_terminal, width)
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
