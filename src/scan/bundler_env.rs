//! Environment variables a web bundler copies into the browser bundle: Create React App replaces
//! only `process.env.REACT_APP_*` (and `NODE_ENV`, `PUBLIC_URL`) in the app's code, Vite only
//! `import.meta.env.VITE_*` (and `MODE`, `BASE_URL`, `PROD`, `DEV`, `SSR`) unless `envPrefix` is
//! set. Any other name is `undefined` in the browser, so an App ID or token read from it never
//! reaches the join.
//! Sources: https://create-react-app.dev/docs/adding-custom-environment-variables/ and
//! https://vite.dev/guide/env-and-mode (both: "only variables prefixed with … are exposed").
//! Pure: manifests and files in, findings out.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::config::line_of;
use super::deps::Manifest;
use super::walk::SourceFile;
use super::ScanFinding;
use crate::vocabulary::{Finding, Status};

/// Names Create React App defines whatever their prefix.
const CRA_BUILT_IN: &[&str] = &["NODE_ENV", "PUBLIC_URL", "FAST_REFRESH"];
/// Names Vite defines whatever the prefix.
const VITE_BUILT_IN: &[&str] = &["MODE", "BASE_URL", "PROD", "DEV", "SSR"];

/// Which bundler builds the code under a package.json, when it is one with a fixed prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bundler {
    CreateReactApp,
    Vite,
}

fn bundler_of(m: &Manifest, files: &[&SourceFile]) -> Option<Bundler> {
    if m.deps.contains_key("react-scripts") {
        return Some(Bundler::CreateReactApp);
    }
    if m.deps.contains_key("vite") {
        // `envPrefix` in the config exposes other names: then nothing is known.
        let config_sets_prefix = files.iter().any(|f| {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            name.starts_with("vite.config") && f.text.contains("envPrefix")
        });
        return (!config_sets_prefix).then_some(Bundler::Vite);
    }
    None
}

fn reads() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b(process\.env|import\.meta\.env)\.([A-Za-z_][A-Za-z0-9_]*)")
            .expect("valid built-in regex")
    })
}

/// Whether a variable's name says it holds one of Agora's values.
fn agora_value(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "APP_ID", "APPID", "TOKEN", "CHANNEL", "AGORA", "CERT", "UID",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Browser code (under a CRA or Vite package, outside server folders) of `agora_code` that reads
/// an Agora value from a variable the bundler does not expose: one finding per variable.
pub fn findings(
    manifests: &[Manifest],
    files: &[&SourceFile],
    agora_code: &BTreeSet<&str>,
    server_side: &dyn Fn(&str) -> bool,
) -> Vec<ScanFinding> {
    let mut out: Vec<ScanFinding> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for m in manifests {
        let Some(bundler) = bundler_of(m, files) else {
            continue;
        };
        let under = |p: &str| m.dir.is_empty() || p.starts_with(&format!("{}/", m.dir));
        for f in files.iter().filter(|f| {
            under(&f.path) && agora_code.contains(f.path.as_str()) && !server_side(&f.path)
        }) {
            // The nearest package.json decides: a nested package is judged by its own.
            if manifests
                .iter()
                .any(|o| o.dir.len() > m.dir.len() && f.path.starts_with(&format!("{}/", o.dir)))
            {
                continue;
            }
            for c in reads().captures_iter(&f.text) {
                let via = &c[1];
                let name = &c[2];
                let hidden = match (bundler, via) {
                    (Bundler::CreateReactApp, "process.env") => {
                        !name.starts_with("REACT_APP_") && !CRA_BUILT_IN.contains(&name)
                    }
                    (Bundler::Vite, "import.meta.env") => {
                        !name.starts_with("VITE_") && !VITE_BUILT_IN.contains(&name)
                    }
                    _ => false,
                };
                if !hidden || !agora_value(name) || !seen.insert(format!("{}\u{0}{name}", m.dir)) {
                    continue;
                }
                let (tool, prefix) = match bundler {
                    Bundler::CreateReactApp => ("Create React App", "REACT_APP_"),
                    Bundler::Vite => ("Vite", "VITE_"),
                };
                let at = c.get(0).map_or(0, |m| m.start());
                let finding = Finding::new(
                    "scan.config.env_not_exposed",
                    Status::Fail,
                    format!(
                        "`{via}.{name}` is undefined in the browser: {tool} only exposes variables named {prefix}…"
                    ),
                )
                .with_evidence(format!(
                    "{} declares {}; the bundler replaces only {prefix}* names in the app's code, so this value is `undefined` when the app joins",
                    m.file,
                    match bundler {
                        Bundler::CreateReactApp => "react-scripts",
                        Bundler::Vite => "vite",
                    }
                ))
                .with_evidence("the Web SDK then refuses the join (`INVALID_PARAMS` for a missing App ID) or joins without the token")
                .with_fix(format!(
                    "rename the variable {prefix}{name} (in .env and in the code) and restart the dev server; never expose the App Certificate this way"
                ));
                out.push(ScanFinding::at(
                    finding,
                    &f.path,
                    Some(line_of(&f.text, at)),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::walk::test_file as file;

    fn manifest(dir: &str, deps: &[&str]) -> Manifest {
        Manifest {
            dir: dir.to_string(),
            file: if dir.is_empty() {
                "package.json".into()
            } else {
                format!("{dir}/package.json")
            },
            deps: deps
                .iter()
                .map(|d| (d.to_string(), "1".to_string()))
                .collect(),
            agora_electron_version: None,
        }
    }

    fn run(m: &[Manifest], files: &[SourceFile]) -> Vec<String> {
        let refs: Vec<&SourceFile> = files.iter().collect();
        let agora: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        findings(m, &refs, &agora, &|p| p.starts_with("server/"))
            .into_iter()
            .map(|f| f.finding.summary)
            .collect()
    }

    #[test]
    fn create_react_app_hides_names_without_its_prefix() {
        let files = [file(
            "src/settings.js",
            "const appId = process.env.APPID;\nconst token = process.env.REACT_APP_TOKEN;\nconst mode = process.env.NODE_ENV;",
        )];
        let got = run(&[manifest("", &["react-scripts"])], &files);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("process.env.APPID"));
    }

    #[test]
    fn vite_hides_process_env_names_only_through_import_meta() {
        let files = [file(
            "web/src/agora.ts",
            "const appId = import.meta.env.AGORA_APP_ID;\nconst t = import.meta.env.VITE_AGORA_TOKEN;",
        )];
        assert_eq!(run(&[manifest("web", &["vite"])], &files).len(), 1);
        let configured = [
            files[0].clone(),
            file(
                "web/vite.config.ts",
                "export default { envPrefix: 'AGORA_' }",
            ),
        ];
        assert!(run(&[manifest("web", &["vite"])], &configured).is_empty());
    }

    #[test]
    fn servers_and_other_bundlers_are_not_judged() {
        let files = [file("server/index.js", "const id = process.env.APP_ID;")];
        assert!(run(&[manifest("", &["react-scripts"])], &files).is_empty());
        let next = [file("src/a.js", "const id = process.env.APP_ID;")];
        assert!(run(&[manifest("", &["next"])], &next).is_empty());
    }
}
