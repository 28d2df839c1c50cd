//! The built-in demo page, carried inside the binary: `fixtures/web`'s page files embedded at build
//! time and served from memory by the simulated Web edge's page server, with the Web SDK bundle
//! found on this machine ([`super::web_sdk`]) at the paths the page loads it from. So an installed
//! or copied binary needs no checkout beside it.

use agora_sim::web::{PageFile, PageFiles};

use super::web_sdk::WebSdk;

/// The page's own files, as the page refers to them.
const FILES: &[(&str, &[u8])] = &[
    (
        "index.html",
        include_bytes!("../../fixtures/web/index.html"),
    ),
    ("demo.js", include_bytes!("../../fixtures/web/demo.js")),
];

/// Where `index.html` loads the SDK from, for each `?sdk=` choice; both serve the SDK found.
const SDK_PATHS: &[&str] = &[
    "node_modules/agora-rtc-sdk-ng-430/AgoraRTC_N-production.js",
    "node_modules/agora-rtc-sdk-ng-424/AgoraRTC_N-production.full.js",
];

/// What the page server serves: the embedded page and `sdk`'s bundle.
pub fn files(sdk: &WebSdk) -> PageFiles {
    let mut files: PageFiles = FILES
        .iter()
        .map(|(path, bytes)| (path.to_string(), PageFile::Memory(bytes)))
        .collect();
    for path in SDK_PATHS {
        files.insert(path.to_string(), PageFile::Disk(sdk.bundle.clone()));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_the_page_loads_is_served() {
        let index = std::str::from_utf8(FILES[0].1).unwrap();
        for path in SDK_PATHS {
            assert!(index.contains(path), "index.html no longer loads {path}");
        }
        assert!(index.contains(r#"<script src="demo.js">"#));
        let served = files(&WebSdk {
            version: "4.3.0".into(),
            bundle: "/sdk.js".into(),
            source: super::super::web_sdk::Source::Flag,
            passed_over: Vec::new(),
        });
        for path in SDK_PATHS.iter().chain(["index.html", "demo.js"].iter()) {
            assert!(served.contains_key(*path), "{path}");
        }
    }
}
