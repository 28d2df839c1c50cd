//! Unity projects: C# scripts and the scenes, prefabs and assets that hold the values the Inspector
//! gives a script's fields. The SDK generation comes from the namespace a script uses
//! (`agora_gaming_rtc` is the Unity SDK on native 3.x, `Agora.Rtc` the 4.x one); the SDK's own
//! sources (files that declare an Agora namespace) are vendored code, not the app's. A field the
//! Inspector serialises (`public`, or marked `[SerializeField]`) takes its value from the scene, so
//! the script's default is not judged; the scene's value is.
//!
//! Sources: Unity's serialization rules (public non-static fields and `[SerializeField]` private
//! fields are serialised, <https://docs.unity3d.com/Manual/script-Serialization.html>); Agora's
//! Unity SDK 4.x (`using Agora.Rtc; RtcEngine.CreateAgoraRtcEngine()`,
//! <https://docs.agora.io/en/video-calling/get-started/get-started-sdk?platform=unity>) and the
//! 3.x `agora_gaming_rtc` API (`IRtcEngine.GetEngine(appId)`), retired with native 3.x.

use std::collections::BTreeSet;

use super::config::{classify, line_of, Kind, Value};
use super::model::Generation;
use super::serialized::is_serialized;
use super::walk::SourceFile;

/// Namespaces of Agora's Unity SDKs and their helpers: a script that declares one is the SDK's
/// source, vendored into the project.
const SDK_NAMESPACES: &[&str] = &[
    "agora_gaming_rtc",
    "agora_rtm",
    "agora_utilities",
    "Agora.Rtc",
    "Agora.Rtm",
    "Agora.Util",
    "io.agora",
];

/// How the model names the community WebGL SDK for Unity
/// (<https://github.com/AgoraIO-Community/Agora_Unity_WebGL>): it keeps the 3.x `agora_gaming_rtc`
/// API but runs on Web SDK 4.x in the browser, so neither the native 3.x retirement nor the native
/// rules apply to it.
pub const WEBGL_PACKAGE: &str = "agora-unity-webgl";

/// Whether a path is part of the community WebGL SDK (its `.jslib` plugin or its page template
/// with the Web SDK), which marks the Unity project holding it as a WebGL one.
pub fn is_webgl_sdk_file(path: &str) -> bool {
    path.contains("AgoraWebGLSDK") || path.contains("WebGLTemplates/AgoraTemplate/")
}

/// Whether a file is the source of an Agora SDK: a C# file declaring one of the SDK's namespaces,
/// or a file of the community WebGL SDK.
pub fn is_sdk_source(path: &str, text: &str) -> bool {
    if is_webgl_sdk_file(path) {
        return true;
    }
    if !path.ends_with(".cs") {
        return false;
    }
    text.lines().any(|l| {
        l.trim_start().strip_prefix("namespace ").is_some_and(|ns| {
            let ns = ns.trim();
            SDK_NAMESPACES.iter().any(|s| {
                ns == *s
                    || ns.starts_with(&format!("{s}."))
                    || ns.starts_with(&format!("{s} "))
                    || ns.starts_with(&format!("{s}{{"))
            })
        })
    })
}

/// The Agora SDK a C# script uses, as (package, generation, byte offset of the first use).
pub fn sdk_of(path: &str, text: &str) -> Option<(&'static str, Generation, usize)> {
    if !path.ends_with(".cs") {
        return None;
    }
    for (needle, package, generation) in [
        (
            "using agora_gaming_rtc",
            "agora_gaming_rtc",
            Generation::Native3,
        ),
        ("agora_gaming_rtc.", "agora_gaming_rtc", Generation::Native3),
        ("using Agora.Rtc", "Agora.Rtc", Generation::Native4),
        ("Agora.Rtc.RtcEngine", "Agora.Rtc", Generation::Native4),
    ] {
        if let Some(at) = text.find(needle) {
            return Some((package, generation, at));
        }
    }
    None
}

/// The Unity project folder a path belongs to: the folder holding its `Assets/`.
pub fn project_of(path: &str) -> Option<String> {
    if path.starts_with("Assets/") {
        return Some(String::new());
    }
    path.find("/Assets/").map(|i| path[..i].to_string())
}

/// Names of the string fields with an App ID name that the scripts of a project using an Agora
/// Unity SDK declare (the field may be in a script that hands the value to the one calling Agora).
pub fn app_id_fields(scripts: &[&SourceFile]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !scripts.iter().any(|f| sdk_of(&f.path, &f.text).is_some()) {
        return out;
    }
    for f in scripts {
        if !f.path.ends_with(".cs") {
            continue;
        }
        for line in f.text.lines() {
            let t = line.trim();
            if !["public ", "private ", "protected ", "string ", "["]
                .iter()
                .any(|p| t.starts_with(p))
            {
                continue;
            }
            let decl = t.split(['=', ';']).next().unwrap_or("");
            let Some(name) = decl.split_whitespace().last() else {
                continue;
            };
            // A field the script assigns again (typed in at run time) starts from the scene's
            // value only.
            if decl.contains("string")
                && classify(name) == Some(Kind::AppId)
                && assignments(&f.text, name) <= 1
            {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// How many times `name` is given a value in `text` (`name =`, not `==`), its declaration included.
fn assignments(text: &str, name: &str) -> usize {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    text.match_indices(name)
        .filter(|(at, _)| {
            let end = at + name.len();
            (*at == 0 || !ident(bytes[at - 1])) && (end >= bytes.len() || !ident(bytes[end])) && {
                let rest = text[end..].trim_start_matches([' ', '\t']);
                rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
            }
        })
        .count()
}

/// The values a scene, prefab or asset gives the App ID fields named in `fields` (`  AppID: `,
/// `  appId: 0123…`) and any token-named field holding a token (`  token: 007eJ…`). Nothing else
/// in these files is read: fonts and style sheets hold base64 that has a token's shape.
pub fn serialized_values(file: &SourceFile, fields: &BTreeSet<String>) -> Vec<Value> {
    if !is_serialized(&file.path) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let t = line.trim_start();
        // Fields of a component are indented two spaces: `  name: value`.
        if t.len() == line.len() {
            continue;
        }
        let Some((name, value)) = t.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        let kind = if fields.contains(name) {
            Kind::AppId
        } else if (value.starts_with("006") || value.starts_with("007eJ"))
            && value.len() > 40
            && classify(name) == Some(Kind::Token)
        {
            Kind::Token
        } else {
            continue;
        };
        out.push(Value {
            kind,
            name: name.to_string(),
            value: value.to_string(),
            file: file.path.clone(),
            line: line_of(&file.text, at),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scan::walk::test_file as file;

    #[test]
    fn sdk_generation_from_the_namespace_used() {
        assert_eq!(
            sdk_of("A.cs", "using agora_gaming_rtc;\nclass A {}").map(|s| s.1),
            Some(Generation::Native3)
        );
        assert_eq!(
            sdk_of("A.cs", "using Agora.Rtc;\nclass A {}").map(|s| s.1),
            Some(Generation::Native4)
        );
        assert_eq!(sdk_of("A.cs", "using UnityEngine;"), None);
        assert!(is_sdk_source(
            "Assets/Agora/IRtcEngine.cs",
            "using System;\nnamespace agora_gaming_rtc\n{\n}"
        ));
        assert!(is_sdk_source("X.cs", "namespace Agora.Rtc.LitJson {"));
        assert!(!is_sdk_source(
            "X.cs",
            "using agora_gaming_rtc;\nnamespace MyGame {"
        ));
    }

    #[test]
    fn scene_values_of_app_id_fields() {
        let script = file(
            "Assets/Demo/Home.cs",
            "using agora_gaming_rtc;\nclass Home {\n    [SerializeField]\n    private string AppID = \"your_appid\";\n}",
        );
        let fields = app_id_fields(&[&script]);
        assert!(fields.contains("AppID"));
        // Typed in at run time: the scene's empty value is only where it starts.
        let typed = file(
            "Assets/Demo/Home.cs",
            "using agora_gaming_rtc;\nclass Home {\n    public string AppID = \"\";\n    void Set(string s) { AppID = s; }\n}",
        );
        assert!(app_id_fields(&[&typed]).is_empty());
        let scene = file(
            "Assets/Demo/Home.unity",
            "--- !u!114 &1\nMonoBehaviour:\n  m_Name: \n  AppID: \n  m_Text: AppID ???\n",
        );
        let values = serialized_values(&scene, &fields);
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].value, "");
        assert_eq!(values[0].line, 4);
        assert!(serialized_values(&file("Other/x.unity", &scene.text), &fields).is_empty());
    }
}
