//! Unity's serialised files and fields: which files hold the values the Inspector gives a
//! script's fields (scenes, prefabs and assets under `Assets/`), and which C# fields it serialises.
//! Rules on paths and text alone, below every other scan module (the walk, the config rules and
//! the Unity project model ask them).
//!
//! Source: Unity's serialization rules (public non-static fields and `[SerializeField]` private
//! fields are serialised, <https://docs.unity3d.com/Manual/script-Serialization.html>).

/// Unity's text-serialised files read for the values of script fields.
const SERIALIZED_EXTENSIONS: &[&str] = &[".unity", ".prefab", ".asset"];

/// Whether `path` is a Unity scene, prefab or asset inside an `Assets/` folder.
pub fn is_serialized(path: &str) -> bool {
    SERIALIZED_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && (path.starts_with("Assets/") || path.contains("/Assets/"))
}

/// Whether the field assigned at byte `offset` of a C# file is serialised by the Inspector
/// (`public` and not `static`/`const`/`readonly`, or marked `[SerializeField]` on its line or the
/// attribute lines above it).
pub fn serialized_field(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let words: Vec<&str> = line.split_whitespace().collect();
    let fixed = words
        .iter()
        .any(|w| ["static", "const", "readonly"].contains(w));
    if fixed {
        return false;
    }
    if line.contains("SerializeField") || words.first() == Some(&"public") {
        return true;
    }
    // Attribute lines right above the declaration.
    let mut end = line_start;
    for _ in 0..4 {
        if end == 0 {
            break;
        }
        let prev_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = text[prev_start..end - 1].trim();
        if !prev.starts_with('[') {
            break;
        }
        if prev.contains("SerializeField") {
            return true;
        }
        end = prev_start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspector_fields_are_serialised() {
        let text = "class A {\n    [SerializeField]\n    private string AppID = \"your_appid\";\n    public string appId = \"\";\n    private string _appID = \"\";\n    public static string key = \"\";\n    [SerializeField] private string token = \"\";\n}";
        let at = |s: &str| text.find(s).unwrap();
        assert!(serialized_field(text, at("AppID =")));
        assert!(serialized_field(text, at("appId =")));
        assert!(!serialized_field(text, at("_appID =")));
        assert!(!serialized_field(text, at("key =")));
        assert!(serialized_field(text, at("token =")));
    }
}
