//! `explain` on a terminal: a rule page's Markdown (the same text as
//! `rules/*.md`) as plain text wrapped to the terminal: headings bold,
//! code in colour, lists with bullets, code blocks indented. pulldown-cmark
//! reads the Markdown (CommonMark, well kept), so this file only decides
//! how each part looks. `explain --format markdown`, or a pipe, gets the
//! Markdown itself.

use owo_colors::OwoColorize;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// The page as terminal text, `width` columns wide; colour only when asked.
pub fn to_terminal(markdown: &str, width: usize, color: bool) -> String {
    let width = width.clamp(40, 120);
    let mut out = String::new();
    // Inline text of the paragraph, heading or list item being read.
    let mut line = String::new();
    let mut lists = 0usize;
    let mut item_start = false;
    let mut in_code_block = false;
    let mut strong = false;
    let mut link: Option<String> = None;

    let flush = |out: &mut String, line: &mut String, lists: usize, item_start: &mut bool| {
        let text = line.trim();
        if text.is_empty() {
            line.clear();
            return;
        }
        let indent = "  ".repeat(lists.saturating_sub(1));
        let (first, rest) = if lists > 0 {
            let bullet = if *item_start { "- " } else { "  " };
            (format!("{indent}  {bullet}"), format!("{indent}    "))
        } else {
            (String::new(), String::new())
        };
        *item_start = false;
        let opts = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            // `OSSN-0052` stays whole.
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for l in textwrap::wrap(text, opts) {
            out.push_str(&l);
            out.push('\n');
        }
        line.clear();
    };

    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                let text = line.trim().to_string();
                line.clear();
                if color {
                    out.push_str(&text.bold().underline().to_string());
                } else {
                    out.push_str(&text);
                }
                // The title stands apart; section headings sit on their text.
                out.push_str(if level == HeadingLevel::H1 {
                    "\n\n"
                } else {
                    "\n"
                });
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                if lists == 0 {
                    out.push('\n');
                }
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                lists += 1;
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                lists = lists.saturating_sub(1);
                if lists == 0 {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                item_start = true;
            }
            Event::End(TagEnd::Item) => flush(&mut out, &mut line, lists, &mut item_start),
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut out, &mut line, lists, &mut item_start);
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push('\n');
            }
            Event::Start(Tag::Strong) => strong = true,
            Event::End(TagEnd::Strong) => strong = false,
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    line.push_str(&format!(" <{url}>"));
                }
            }
            Event::Text(text) if in_code_block => {
                for l in text.lines() {
                    let l = format!("    {l}");
                    if color {
                        out.push_str(&l.cyan().to_string());
                    } else {
                        out.push_str(&l);
                    }
                    out.push('\n');
                }
            }
            Event::Text(text) => {
                if strong && color {
                    line.push_str(&text.bold().to_string());
                } else {
                    line.push_str(&text);
                }
            }
            Event::Code(code) => {
                if color {
                    line.push_str(&code.cyan().to_string());
                } else {
                    line.push('`');
                    line.push_str(&code);
                    line.push('`');
                }
            }
            Event::SoftBreak => line.push(' '),
            Event::HardBreak => {
                flush(&mut out, &mut line, lists, &mut item_start);
            }
            Event::Html(html) | Event::InlineHtml(html) => line.push_str(&html),
            Event::Rule => {
                flush(&mut out, &mut line, lists, &mut item_start);
                out.push_str(&"─".repeat(width.min(40)));
                out.push('\n');
            }
            _ => {}
        }
    }
    flush(&mut out, &mut line, lists, &mut item_start);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headings_code_lists_and_blocks() {
        let md = "# GL201 `default-backend-not-enabled`\n\nDefault severity: **error**.\n\n- **warning** when `x` is not set\n\n## Example\n```ini\n[DEFAULT]\na = b\n```\n";
        let text = to_terminal(md, 80, false);
        assert_eq!(
            text,
            "GL201 `default-backend-not-enabled`\n\nDefault severity: error.\n\n  - warning when `x` is not set\n\nExample\n    [DEFAULT]\n    a = b\n"
        );
        assert!(!text.contains("```") && !text.contains("**") && !text.contains("# "));
        // Colour marks headings and code without the Markdown marks.
        let coloured = to_terminal(md, 80, true);
        assert!(coloured.contains('\u{1b}') && !coloured.contains("**"));
    }

    #[test]
    fn wraps_to_the_width() {
        let md = "word ".repeat(60);
        let text = to_terminal(&md, 50, false);
        assert!(text.lines().count() > 1);
        assert!(text.lines().all(|l| l.chars().count() <= 50), "{text}");
    }
}
