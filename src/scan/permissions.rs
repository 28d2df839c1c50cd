//! The operating system's permission files of an app that talks with Agora's Video/Voice SDK: an
//! iOS app's `Info.plist` must say why it uses the microphone (`NSMicrophoneUsageDescription`),
//! or iOS ends the app the first time the SDK opens the microphone; an Android manifest that
//! removes `RECORD_AUDIO` (`tools:node="remove"`) takes away the permission the SDK's own manifest
//! brings, so the app sends silence.
//! Sources: https://developer.apple.com/documentation/bundleresources/information-property-list/nsmicrophoneusagedescription
//! ("If your app attempts to access … without a corresponding purpose string, your app exits"),
//! https://developer.android.com/build/manage-manifests#node_markers (`tools:node="remove"`).
//! Pure: files and the project model in, findings out.

use std::collections::BTreeMap;

use super::config::line_of;
use super::model::{App, Product};
use super::walk::SourceFile;
use super::ScanFinding;
use crate::vocabulary::{Finding, Status};

/// Platforms whose apps ship an iOS `Info.plist` next to the Agora SDK.
const IOS_PLATFORMS: &[&str] = &["ios", "flutter", "react-native"];

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// An app's own property list (not an extension's, a framework's or a macOS target's).
fn is_ios_app_plist(path: &str, text: &str) -> bool {
    file_name(path) == "Info.plist"
        && !path.split('/').any(|d| d.eq_ignore_ascii_case("macos"))
        && (text.contains("LSRequiresIPhoneOS")
            || text.contains("UIApplicationSceneManifest")
            || text.contains("UILaunchStoryboardName"))
        && !text.contains("<key>NSExtension</key>")
}

fn uses_rtc(app: &App) -> bool {
    app.products.contains(&Product::Rtc)
}

/// Findings on the permission files of the apps that use Agora's Video/Voice SDK.
pub fn findings(
    files: &[&SourceFile],
    apps: &[App],
    app_of: &BTreeMap<String, usize>,
) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for f in files {
        let Some(app) = app_of.get(&f.path).and_then(|i| apps.get(*i)) else {
            continue;
        };
        if !uses_rtc(app) {
            continue;
        }
        if IOS_PLATFORMS.contains(&app.platform.as_str())
            && is_ios_app_plist(&f.path, &f.text)
            && !f.text.contains("NSMicrophoneUsageDescription")
        {
            let finding = Finding::new(
                "scan.permissions.ios_microphone_missing",
                Status::Fail,
                "the iOS app's Info.plist has no NSMicrophoneUsageDescription: iOS ends the app when the SDK opens the microphone",
            )
            .with_evidence(format!(
                "{} is the app's property list ({} app using Agora's Video/Voice SDK) and has no microphone purpose string",
                f.path, app.platform
            ))
            .with_fix("add NSMicrophoneUsageDescription (Privacy - Microphone Usage Description) with a sentence saying why the app uses the microphone; add NSCameraUsageDescription too for video");
            out.push(ScanFinding::at(finding, &f.path, None));
        }
        if file_name(&f.path) == "AndroidManifest.xml" {
            if let Some(at) = removed_record_audio(&f.text) {
                let finding = Finding::new(
                    "scan.permissions.android_record_audio_removed",
                    Status::Fail,
                    "the Android manifest removes RECORD_AUDIO (tools:node=\"remove\"): the app cannot use the microphone",
                )
                .with_evidence("Agora's Android SDK declares RECORD_AUDIO in its own manifest; a `tools:node=\"remove\"` marker in the app's manifest deletes it from the merged one, and the app can then neither ask for nor get the permission: remote users hear silence")
                .with_fix("delete the `tools:node=\"remove\"` entry for android.permission.RECORD_AUDIO and request the permission at run time before joining");
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

/// Where a `<uses-permission>` element removes RECORD_AUDIO.
fn removed_record_audio(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("<uses-permission") {
        let start = from + i;
        let end = text[start..].find('>').map_or(text.len(), |e| start + e);
        let element = &text[start..end];
        if element.contains("android.permission.RECORD_AUDIO")
            && element.contains("tools:node=\"remove\"")
        {
            return Some(start);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::walk::test_file as file;

    fn app(platform: &str, products: Vec<Product>) -> App {
        App {
            root: ".".into(),
            platform: platform.into(),
            products,
            sdks: Vec::new(),
            files: 1,
        }
    }

    fn keys(files: &[SourceFile], a: App) -> Vec<String> {
        let refs: Vec<&SourceFile> = files.iter().collect();
        let app_of = files.iter().map(|f| (f.path.clone(), 0)).collect();
        findings(&refs, &[a], &app_of)
            .into_iter()
            .map(|f| f.finding.key)
            .collect()
    }

    const APP_PLIST: &str = "<dict><key>LSRequiresIPhoneOS</key><true/><key>NSCameraUsageDescription</key><string>video</string></dict>";

    #[test]
    fn an_ios_app_without_a_microphone_purpose_string_is_reported() {
        let files = [file("ios/Runner/Info.plist", APP_PLIST)];
        assert_eq!(
            keys(&files, app("flutter", vec![Product::Rtc])),
            ["scan.permissions.ios_microphone_missing"]
        );
        // Signaling only, an extension's plist, a macOS target: nothing to say.
        assert!(keys(&files, app("flutter", vec![Product::Rtm])).is_empty());
        let extension = [file(
            "ios/Broadcast/Info.plist",
            "<dict><key>UILaunchStoryboardName</key><key>NSExtension</key><dict/></dict>",
        )];
        assert!(keys(&extension, app("ios", vec![Product::Rtc])).is_empty());
        let mac = [file("macos/Runner/Info.plist", APP_PLIST)];
        assert!(keys(&mac, app("flutter", vec![Product::Rtc])).is_empty());
        let fine = [file(
            "ios/Runner/Info.plist",
            "<dict><key>LSRequiresIPhoneOS</key><key>NSMicrophoneUsageDescription</key><string>calls</string></dict>",
        )];
        assert!(keys(&fine, app("flutter", vec![Product::Rtc])).is_empty());
    }

    #[test]
    fn a_manifest_removing_record_audio_is_reported() {
        let files = [file(
            "android/app/src/main/AndroidManifest.xml",
            "<manifest xmlns:tools=\"http://schemas.android.com/tools\">\n<uses-permission android:name=\"android.permission.RECORD_AUDIO\" tools:node=\"remove\" />\n</manifest>",
        )];
        assert_eq!(
            keys(&files, app("android", vec![Product::Rtc])),
            ["scan.permissions.android_record_audio_removed"]
        );
        let kept = [file(
            "android/app/src/main/AndroidManifest.xml",
            "<uses-permission android:name=\"android.permission.RECORD_AUDIO\" />\n<uses-permission android:name=\"android.permission.READ_PHONE_STATE\" tools:node=\"remove\" />",
        )];
        assert!(keys(&kept, app("android", vec![Product::Rtc])).is_empty());
    }
}
