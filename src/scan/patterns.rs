//! Code patterns with a known failure, as data (`data/patterns.toml`, embedded): each pattern has its
//! catalog key, the files it applies to, a regex, the conditions that silence it, the finding's text,
//! and examples that the tests below run (`bad` must hit, `good` must not).

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::config::line_of;
use super::model::{Built, Generation, SkippedRule};
use super::walk::SourceFile;
use super::ScanFinding;
use crate::vocabulary::{Finding, Status};

/// The pattern file, embedded at build time.
pub const PATTERNS_TOML: &str = include_str!("data/patterns.toml");

#[derive(Debug, Deserialize)]
struct PatternFile {
    pattern: Vec<RawPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    key: String,
    status: String,
    /// File extensions (`js`) or whole file names (`package.json`) the pattern reads.
    files: Vec<String>,
    regex: String,
    #[serde(default)]
    line_excludes: Option<String>,
    #[serde(default)]
    file_requires: Option<String>,
    #[serde(default)]
    file_unless: Option<String>,
    #[serde(default)]
    project_unless: Option<String>,
    #[serde(default)]
    once_per_file: bool,
    #[serde(default)]
    needs: Option<String>,
    #[serde(default)]
    agora_code: bool,
    summary: String,
    #[serde(default)]
    evidence: Vec<String>,
    fix: String,
    #[serde(default)]
    example: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    file: String,
    bad: String,
    good: String,
}

/// One compiled pattern.
#[derive(Debug)]
pub struct Pattern {
    /// Catalog key.
    pub key: String,
    /// Status of a hit.
    pub status: Status,
    files: Vec<String>,
    regex: Regex,
    line_excludes: Option<Regex>,
    file_requires: Option<Regex>,
    file_unless: Option<Regex>,
    project_unless: Option<Regex>,
    once_per_file: bool,
    /// The SDK generation the rule is written for (`web-4`), when it needs one.
    pub needs: Option<String>,
    /// Only in files that use Agora (they name it, or import a module that does): `.join(` alone
    /// is also how strings are joined.
    pub agora_code: bool,
    summary: String,
    evidence: Vec<String>,
    fix: String,
    /// `(file name, bad, good)` examples.
    pub examples: Vec<(String, String, String)>,
}

fn compile(what: &str, key: &str, pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("data/patterns.toml {key} {what}: {e}"))
}

/// Every pattern, compiled once. The file is part of the binary; a bad entry is a build-time bug
/// caught by the tests, so it panics with the key.
pub fn patterns() -> &'static [Pattern] {
    static P: OnceLock<Vec<Pattern>> = OnceLock::new();
    P.get_or_init(|| {
        let file: PatternFile = toml::from_str(PATTERNS_TOML)
            .unwrap_or_else(|e| panic!("data/patterns.toml does not parse: {e}"));
        file.pattern
            .into_iter()
            .map(|p| {
                let status = match p.status.as_str() {
                    "warn" => Status::Warn,
                    "fail" => Status::Fail,
                    other => panic!("data/patterns.toml {}: status {other:?}", p.key),
                };
                if let Some(n) = &p.needs {
                    assert!(n == "web-4", "data/patterns.toml {}: needs {n:?}", p.key);
                }
                let opt =
                    |what: &str, r: &Option<String>| r.as_deref().map(|r| compile(what, &p.key, r));
                Pattern {
                    regex: compile("regex", &p.key, &p.regex),
                    line_excludes: opt("line_excludes", &p.line_excludes),
                    file_requires: opt("file_requires", &p.file_requires),
                    file_unless: opt("file_unless", &p.file_unless),
                    project_unless: opt("project_unless", &p.project_unless),
                    examples: p
                        .example
                        .into_iter()
                        .map(|e| (e.file, e.bad, e.good))
                        .collect(),
                    key: p.key,
                    status,
                    files: p.files,
                    once_per_file: p.once_per_file,
                    needs: p.needs,
                    agora_code: p.agora_code,
                    summary: p.summary,
                    evidence: p.evidence,
                    fix: p.fix,
                }
            })
            .collect()
    })
}

impl Pattern {
    /// Whether this pattern reads the file at `path`.
    pub fn applies_to(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        self.files.iter().any(|f| f == name || f == ext)
    }

    /// Hits in one file, as `(byte offset, line)`; `project` is every file (for `project_unless`).
    pub fn hits(&self, file: &SourceFile, project_has_unless: bool) -> Vec<usize> {
        if project_has_unless || !self.applies_to(&file.path) {
            return Vec::new();
        }
        let text = &file.text;
        if self
            .file_requires
            .as_ref()
            .is_some_and(|r| !r.is_match(text))
            || self.file_unless.as_ref().is_some_and(|r| r.is_match(text))
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for m in self.regex.find_iter(text) {
            let start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let end = text[m.end()..]
                .find('\n')
                .map_or(text.len(), |i| m.end() + i);
            let line = &text[start..end];
            let trimmed = line.trim_start();
            // A commented-out line is not code that runs.
            if trimmed.starts_with("//") || trimmed.starts_with("/*") || trimmed.starts_with('*') {
                continue;
            }
            if self
                .line_excludes
                .as_ref()
                .is_some_and(|r| r.is_match(line))
            {
                continue;
            }
            out.push(m.start());
            if self.once_per_file {
                break;
            }
        }
        out
    }

    fn finding(&self, file: &SourceFile, offset: usize) -> ScanFinding {
        let line = line_of(&file.text, offset);
        let mut f = Finding::new(self.key.clone(), self.status, self.summary.clone());
        for e in &self.evidence {
            f = f.with_evidence(e.clone());
        }
        if self.needs.is_some() {
            f = f.with_evidence(
                "a Web SDK 4.x rule: applied to code written for agora-rtc-sdk-ng 4.x",
            );
        }
        f = f.with_fix(self.fix.clone());
        ScanFinding::at(f, &file.path, Some(line))
    }
}

/// Whether code of this generation is judged by a rule that needs `needs`.
fn generation_fits(needs: Option<&str>, code: Option<Generation>) -> bool {
    match (needs, code) {
        (Some("web-4"), Some(g)) => g == Generation::Web4,
        _ => true,
    }
}

/// Every pattern hit in the project's app code, on up to `threads` threads; a rule that needs an
/// SDK generation is not applied to code of another one, and each such skip is listed.
pub fn findings(
    files: &[&SourceFile],
    threads: usize,
    built: &Built,
    agora_files: &std::collections::BTreeSet<&str>,
) -> (Vec<ScanFinding>, Vec<SkippedRule>) {
    // Web SDK rules are for web code: not for the files of a React Native, Flutter or native app.
    let web_platform = |path: &str| {
        built.app_of.get(path).is_none_or(|i| {
            matches!(
                built.model.apps[*i].platform.as_str(),
                "web" | "electron" | "unknown"
            )
        })
    };
    let silenced: Vec<bool> = patterns()
        .iter()
        .map(|p| {
            p.project_unless
                .as_ref()
                .is_some_and(|r| files.iter().any(|f| r.is_match(&f.text)))
        })
        .collect();
    let mut skipped = std::collections::BTreeSet::new();
    for f in files {
        let code = built.web_generation.get(&f.path).copied();
        for p in patterns() {
            if !generation_fits(p.needs.as_deref(), code) && p.applies_to(&f.path) {
                let app = built
                    .app_of
                    .get(&f.path)
                    .map(|i| built.model.apps[*i].root.clone())
                    .unwrap_or_else(|| ".".into());
                skipped.insert(SkippedRule {
                    key: p.key.clone(),
                    needs: "Web SDK 4.x".into(),
                    app,
                    code_is: code.map_or("", |g| g.label()).to_string(),
                });
            }
        }
    }
    let mut out = super::par_flat_map(files, threads, |file| {
        let code = built.web_generation.get(&file.path).copied();
        patterns()
            .iter()
            .zip(&silenced)
            .filter(|(p, _)| generation_fits(p.needs.as_deref(), code))
            .filter(|(p, _)| p.needs.is_none() || web_platform(&file.path))
            .filter(|(p, _)| !p.agora_code || agora_files.contains(file.path.as_str()))
            .flat_map(|(p, silenced)| {
                p.hits(file, *silenced)
                    .into_iter()
                    .map(|offset| p.finding(file, offset))
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    out.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    (out, skipped.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            path: format!("src/{name}"),
            text: text.to_string(),
        }
    }

    #[test]
    fn every_pattern_has_examples_and_they_hold() {
        assert!(patterns().len() >= 8);
        for p in patterns() {
            assert!(!p.examples.is_empty(), "{} has no example", p.key);
            for (name, bad, good) in &p.examples {
                let bad_file = file(name, bad);
                assert!(
                    p.applies_to(&bad_file.path),
                    "{}: example file {name} not covered",
                    p.key
                );
                assert!(
                    !p.hits(&bad_file, false).is_empty(),
                    "{}: bad example did not hit:\n{bad}",
                    p.key
                );
                assert!(
                    p.hits(&file(name, good), false).is_empty(),
                    "{}: good example hit:\n{good}",
                    p.key
                );
            }
        }
    }

    #[test]
    fn project_unless_silences_a_pattern_everywhere() {
        let renew = patterns()
            .iter()
            .find(|p| p.key == "scan.code.token_never_renewed")
            .unwrap();
        let fetcher = file("a.js", "const token = await fetchToken(channel);\nawait client.join(appId, channel, token, uid);\n");
        let agora: std::collections::BTreeSet<&str> = ["src/a.js"].into_iter().collect();
        assert_eq!(
            findings(&[&fetcher], 2, &Built::default(), &agora)
                .0
                .iter()
                .filter(|f| f.finding.key == renew.key)
                .count(),
            1
        );
        // The same lines in a file that does not use Agora join strings, not a channel.
        assert_eq!(
            findings(&[&fetcher], 2, &Built::default(), &Default::default())
                .0
                .iter()
                .filter(|f| f.finding.key == renew.key)
                .count(),
            0
        );
        let handler = file("b.js", "client.on('token-privilege-will-expire', renew);\n");
        assert_eq!(
            findings(&[&fetcher, &handler], 2, &Built::default(), &agora)
                .0
                .iter()
                .filter(|f| f.finding.key == renew.key)
                .count(),
            0
        );
    }

    #[test]
    fn commented_out_lines_do_not_hit() {
        let p = patterns()
            .iter()
            .find(|p| p.key == "scan.code.remove_without_check")
            .unwrap();
        let text = "client.on('user-left', h);\nlet h = (user) => {\n  //document.getElementById(user.uid).remove()\n}\n";
        assert!(p.hits(&file("a.js", text), false).is_empty());
    }
}
